package io.strand.log;

/**
 * One leader epoch of a partition and the first offset written in it. Entries of a
 * {@link LeaderEpochCache} have strictly increasing epochs and strictly increasing start offsets.
 */
public record EpochEntry(int epoch, long startOffset) {
    public EpochEntry {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " and startOffset=" + startOffset
                    + " must both be zero or more");
        }
    }
}
