package io.strand.log;

/**
 * The answer of {@link LeaderEpochCache#endOffsetFor}: the largest known epoch at or below the one
 * asked for, and the offset at which it ended (exclusive: the first offset of the next epoch, or the
 * log end offset for the latest epoch). {@link #UNDEFINED} when the cache knows nothing about the
 * epoch asked for.
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_OFFSET = -1L;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);

    public boolean isUndefined() {
        return epoch == UNDEFINED_EPOCH;
    }
}
