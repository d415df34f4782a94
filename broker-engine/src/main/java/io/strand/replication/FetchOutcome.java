package io.strand.replication;

import java.nio.ByteBuffer;

/** The leader's answer to a {@link ReplicaFetch}. */
public sealed interface FetchOutcome {
    /**
     * Records from the fetch offset (possibly none) and where the leader stands.
     *
     * @param records       whole record batches from the fetch offset, read-only; empty when caught up
     * @param highWatermark the leader's high watermark
     * @param logEndOffset  the leader's log end
     * @param logStartOffset the leader's log start: the follower deletes what lies wholly below it too
     */
    record Records(ByteBuffer records, long highWatermark, long logEndOffset, long logStartOffset)
            implements FetchOutcome {
        /** Records from a leader whose log starts at offset 0. */
        public Records(ByteBuffer records, long highWatermark, long logEndOffset) {
            this(records, highWatermark, logEndOffset, 0);
        }
    }

    /**
     * The leader's log no longer holds the fetch offset: it deleted the segments below
     * {@code logStartOffset} (retention, or a compacting snapshot). The follower starts its log again there.
     */
    record LogStartMoved(long logStartOffset) implements FetchOutcome {
    }

    /**
     * The follower's log diverged from the leader's: its last epoch ended earlier on the leader, or is
     * unknown there. The follower truncates to {@code endOffset} (or its own end of {@code epoch}, if
     * lower) and fetches again.
     *
     * @param epoch     the largest epoch at or below the follower's last one that the leader knows
     * @param endOffset where that epoch ends in the leader's log
     */
    record Diverging(int epoch, long endOffset) implements FetchOutcome {
    }

    /** The fetch was refused; the follower waits for new partition metadata. */
    record Refused(FetchError error, String message) implements FetchOutcome {
    }
}
