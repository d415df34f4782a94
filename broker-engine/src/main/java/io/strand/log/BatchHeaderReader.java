package io.strand.log;

import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the fixed header of the batch at a file position into a reusable buffer, so that a segment
 * can walk batch boundaries (to translate an offset, bound a read, or recover) without loading
 * batch bodies. Not thread-safe: one instance per walk.
 */
final class BatchHeaderReader {
    private final ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
    private final RecordBatch batch = new RecordBatch().wrap(header, 0);

    /**
     * The header of the batch at {@code position}, validated against the {@code fileSize} and the
     * largest batch allowed, or null when the file ends exactly at {@code position}.
     *
     * @throws CorruptRecordException when the bytes there are not a plausible batch header
     */
    RecordBatch readAt(FileChannel channel, long position, long fileSize, int maxBatchBytes) throws IOException {
        long available = fileSize - position;
        if (available == 0) {
            return null;
        }
        header.clear();
        if (available < RecordBatch.HEADER_SIZE) {
            throw new CorruptRecordException("batch at file position " + position + " is truncated: " + available
                    + " bytes left, a batch header needs " + RecordBatch.HEADER_SIZE);
        }
        while (header.hasRemaining()) {
            if (channel.read(header, position + header.position()) < 0) {
                throw new CorruptRecordException("file ends inside the batch header at position " + position);
            }
        }
        try {
            // The limit is what remains of the file: the header check reads only the header's bytes.
            RecordBatch.validateHeader(header, 0, (int) Math.min(available, Integer.MAX_VALUE), maxBatchBytes);
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("at file position " + position + ": " + e.getMessage(), e);
        }
        return batch;
    }
}
