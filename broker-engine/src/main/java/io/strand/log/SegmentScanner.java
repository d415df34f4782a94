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
                throw new CorruptRecordException("file ends inside the batch at file position " + position);
            }
        }
        buffer.flip();
        batch.wrap(buffer, 0);
        // The header was checked against the file when it was read; what is left is the CRC, reported
        // with the file position rather than the position within this read buffer.
        long stored = batch.checksum();
        long computed = batch.computeChecksum();
        if (stored != computed) {
            throw new CorruptRecordException("batch at file position " + position + " (base offset "
                    + batch.baseOffset() + ") fails its CRC: stored " + Long.toHexString(stored) + ", computed "
                    + Long.toHexString(computed));
        }
        if (batch.baseOffset() < minBaseOffset) {
            throw new CorruptRecordException("batch at file position " + position + " has base offset "
                    + batch.baseOffset() + ", below the next expected offset " + minBaseOffset);
        }
        return batch;
    }
}
