package io.strand.log;

import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads whole batches from a segment file and checks each completely: header bounds, CRC, and an
 * offset range that continues the batches before it. Used by recovery, where nothing on disk is
 * trusted. Reuses one read buffer that grows to the largest batch seen. Not thread-safe.
 */
final class SegmentScanner {
    private final FileChannel channel;
    private final long fileSize;
    private final int maxBatchBytes;
    private final BatchHeaderReader headers = new BatchHeaderReader();
    private final RecordBatch batch = new RecordBatch();
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    SegmentScanner(FileChannel channel, long fileSize, int maxBatchBytes) {
        this.channel = channel;
        this.fileSize = fileSize;
        this.maxBatchBytes = maxBatchBytes;
    }

    /**
     * The batch at {@code position}, fully validated, in a buffer valid until the next call.
     *
     * @param minBaseOffset the next offset the log expects; a batch starting below it is out of order
     * @throws CorruptRecordException naming the position and the problem
     */
    RecordBatch readValidBatch(long position, long minBaseOffset) throws IOException {
        RecordBatch header = headers.readAt(channel, position, fileSize, maxBatchBytes);
        int size = header.sizeInBytes();
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocate(Math.max(size, buffer.capacity() * 2));
        }
        buffer.clear().limit(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptRecordException("file ends inside the batch at position " + position);
            }
        }
        buffer.flip();
        batch.wrap(buffer, 0);
        try {
            batch.ensureValid(size, maxBatchBytes);
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("at file position " + position + ": " + e.getMessage(), e);
        }
        if (batch.baseOffset() < minBaseOffset) {
            throw new CorruptRecordException("batch at file position " + position + " has base offset "
                    + batch.baseOffset() + ", below the next expected offset " + minBaseOffset);
        }
        return batch;
    }
}
