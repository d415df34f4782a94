package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.log.FileSlice;
import io.strand.log.PartitionLog;
import java.nio.ByteBuffer;

/**
 * Reads the whole batches that hold up to {@code maxMessages} records of a partition from an offset,
 * below the high watermark, for an admin browse. Stops early at a byte limit so one browse of large
 * messages stays a modest frame. Stateless.
 */
final class BrowseReader {
    /** Bytes of batches one browse returns at most (at least one batch is always returned). */
    static final int MAX_BYTES = 4 << 20;
    private static final int READ_BYTES = 256 * 1024;

    private BrowseReader() {
    }

    /** The batches, in a buffer the caller releases; empty when nothing lies at or past {@code from}. */
    static ByteBuf read(ByteBufAllocator allocator, PartitionLog log, long from, int maxMessages) {
        ByteBuf out = allocator.buffer();
        long highWatermark = log.highWatermark();
        long next = from;
        try {
            while (next < highWatermark && next - from < maxMessages && out.readableBytes() < MAX_BYTES) {
                try (FileSlice slice = log.read(next, READ_BYTES, highWatermark)) {
                    if (slice.isEmpty()) {
                        break;
                    }
                    ByteBuffer batches = slice.readIntoHeap();
                    out.writeBytes(batches);
                    next = slice.nextOffset();
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
