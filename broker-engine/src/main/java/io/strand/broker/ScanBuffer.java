package io.strand.broker;

import java.nio.ByteBuffer;

/**
 * The heap buffer a queue consumer reads whole batches into while it scans for records it may take, kept
 * from one scan to the next: a consumer with a selector reads every batch, and a fresh buffer per batch
 * costs more in allocation and zeroing than reading it. Allocated on first use, as large as the largest
 * batch read so far. Not thread-safe: one per consumer, used on its event loop.
 */
final class ScanBuffer {
    private ByteBuffer buffer;

    /** A cleared buffer of exactly {@code size} bytes (limit), valid until the next call. */
    ByteBuffer forBytes(int size) {
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocate(size);
        }
        return buffer.clear().limit(size);
    }
}
