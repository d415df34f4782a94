package io.strand.replication;

import io.strand.log.EpochEndOffset;
import io.strand.log.PartitionLog;
import java.util.OptionalInt;

/**
 * This broker follows a partition's leader in one leader epoch: it fetches from its log end with the
 * epoch of its last record, truncates where the leader says its log diverged, appends what the leader
 * sends, keeping offsets and epochs, and follows the leader's high watermark as far as its own log reaches.
 *
 * <p>Not thread-safe: the broker serialises calls per partition.
 */
public final class FollowerPartition {
    private final PartitionLog log;
    private final int brokerId;
    private final long brokerEpoch;
    private final int leaderId;
    private final int leaderEpoch;
    private FetchError refusal;

    /** @param brokerEpoch this broker's registration epoch in the cluster, new with every start */
    public FollowerPartition(PartitionLog log, int brokerId, long brokerEpoch, int leaderId, int leaderEpoch) {
        this.log = log;
        this.brokerId = brokerId;
        this.brokerEpoch = brokerEpoch;
        this.leaderId = leaderId;
        this.leaderEpoch = leaderEpoch;
    }

    public int leaderId() {
        return leaderId;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public PartitionLog log() {
        return log;
    }

    /** Why the leader refused the last fetch, or null: a refused follower waits for new metadata. */
    public FetchError refusal() {
        return refusal;
    }

    /**
     * The next fetch: from the log end, with the epoch of the last record and how far the log is durable. Below
     * the log start there is nothing to lose, so a log started again at the leader's log start (which keeps its
     * older, lower recovery point) is durable up to there before anything is appended.
     */
    public ReplicaFetch nextFetch(int maxBytes) {
        OptionalInt lastEpoch = log.leaderEpochCache().latestEpoch();
        long end = log.logEndOffset();
        long durable = Math.max(log.logStartOffset(), Math.min(log.recoveryPoint(), end));
        return new ReplicaFetch(brokerId, brokerEpoch, leaderEpoch, end, lastEpoch.orElse(-1), durable, maxBytes);
    }

    /**
     * Applies the leader's answer to a fetch made with {@code sent}. An answer to an older fetch, from
     * before the log end moved, is dropped: its records would not start at the log end.
     */
    public void onFetched(ReplicaFetch sent, FetchOutcome outcome) {
        if (sent.fetchOffset() != log.logEndOffset()) {
            return;
        }
        if (outcome instanceof FetchOutcome.Records records) {
            if (records.records().hasRemaining()) {
                log.appendAsFollower(records.records().duplicate());
            }
            log.maybeIncrementHighWatermark(Math.min(records.highWatermark(), log.logEndOffset()));
            if (records.logStartOffset() > log.logStartOffset()) {
                log.deleteSegmentsBelow(records.logStartOffset()); // the leader compacted or retained that far
            }
        } else if (outcome instanceof FetchOutcome.LogStartMoved moved) {
            log.truncateFullyAndStartAt(moved.logStartOffset());
        } else if (outcome instanceof FetchOutcome.Diverging diverging) {
            truncateAt(diverging);
        } else if (outcome instanceof FetchOutcome.Refused refused) {
            refusal = refused.error();
        }
    }

    private void truncateAt(FetchOutcome.Diverging diverging) {
        long target = diverging.endOffset();
        if (diverging.epoch() >= 0) {
            EpochEndOffset own = log.leaderEpochCache().endOffsetFor(diverging.epoch(), log.logEndOffset());
            if (!own.isUndefined() && own.epoch() == diverging.epoch()) {
                target = Math.min(target, own.endOffset());
            }
        }
        log.truncateTo(Math.max(target, 0));
    }

    @Override
    public String toString() {
        return "FollowerPartition(" + log.topicPartition() + " on broker " + brokerId + ", leader " + leaderId
                + " epoch " + leaderEpoch + ", HW " + log.highWatermark() + ", LEO " + log.logEndOffset() + ")";
    }
}
