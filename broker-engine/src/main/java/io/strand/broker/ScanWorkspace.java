package io.strand.broker;

import io.strand.jms.message.RecordHeaders;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;

/**
 * What a queue consumer's scans reuse from one look to the next: the heap buffer whole batches are read
 * into, the record iterator (with its decompression buffer), the in-place header reader and the copies of
 * selected records. A consumer with a selector reads every batch, and fresh ones per look cost more in
 * allocation and zeroing than the reading itself. Allocated on first use; the read buffer is as large as
 * the largest batch read so far. Not thread-safe: one per consumer, used on its event loop.
 */
final class ScanWorkspace {
    private final RecordIterator iterator = new RecordIterator();
    private final RecordHeaders headers = new RecordHeaders();
    private ByteBuffer buffer;
    private SelectedRecords selected;

    /** A cleared buffer of exactly {@code size} bytes (limit), valid until the next call. */
    ByteBuffer forBytes(int size) {
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocate(size);
        }
        return buffer.clear().limit(size);
    }

    RecordIterator iterator() {
        return iterator;
    }

    RecordHeaders headers() {
        return headers;
    }

    /** The copies store, emptied for a new look. */
    SelectedRecords emptySelected() {
        if (selected == null) {
            selected = new SelectedRecords();
        }
        selected.clear();
        return selected;
    }
}
