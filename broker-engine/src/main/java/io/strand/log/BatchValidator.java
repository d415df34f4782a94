package io.strand.log;

import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * Checks the batches of an append before any of them reaches the log: every header in bounds,
 * magic 2, the CRC, the size limit, and (for a follower's append) offsets that continue the log
 * without gaps or overlaps. Runs outside the partition lock, since the CRC is the costly part.
 * Stateless and thread-safe.
 */
final class BatchValidator {
    private BatchValidator() {
    }

    /**
     * Validates every batch in {@code batches} (position to limit) and sums them up. The batches'
     * offsets are not looked at; the caller assigns them.
     *
     * @throws CorruptRecordException naming the first bad batch and what is wrong with it
     */
    static Summary validate(ByteBuffer batches, int maxBatchBytes) {
        if (!batches.hasRemaining()) {
            throw new CorruptRecordException("an append must hold at least one record batch; it was empty");
        }
        RecordBatch batch = new RecordBatch();
        int count = 0;
        long records = 0;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            batch.ensureValid(batches.limit(), maxBatchBytes);
            count++;
            records += batch.recordCount();
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
        }
        return new Summary(count, records, maxTimestamp);
    }

    /**
     * Checks that a follower's already-offset batches start at {@code expectedFirstOffset} and
     * follow each other without gaps; returns the offset after the last batch.
     */
    static long checkContiguous(ByteBuffer batches, long expectedFirstOffset) {
        RecordBatch batch = new RecordBatch();
        long expected = expectedFirstOffset;
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            if (batch.baseOffset() != expected) {
                throw new CorruptRecordException("replicated batch at position " + pos + " starts at offset "
                        + batch.baseOffset() + ", expected " + expected);
            }
            expected = batch.nextOffset();
        }
        return expected;
    }

    /** What an append holds. */
    record Summary(int batchCount, long recordCount, long maxTimestamp) {
    }
}
