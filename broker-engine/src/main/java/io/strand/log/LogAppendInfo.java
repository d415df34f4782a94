package io.strand.log;

/**
 * The result of one append: the offsets it was given and what it held.
 *
 * @param firstOffset  base offset of the first batch appended
 * @param lastOffset   last offset of the last batch appended
 * @param maxTimestamp largest batch timestamp among the batches
 * @param batchCount   number of batches
 * @param recordCount  number of records, as the batch headers count them
 * @param sizeInBytes  bytes written to the log
 * @param duplicate    whether nothing was written because an idempotent producer's batch was in the log
 *                     already; the offsets are those it got then
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, int batchCount, long recordCount,
                            int sizeInBytes, boolean duplicate) {

    /** The offset after this append: the log end offset once it is in, and what to wait on for durability. */
    public long nextOffset() {
        return lastOffset + 1;
    }
}
