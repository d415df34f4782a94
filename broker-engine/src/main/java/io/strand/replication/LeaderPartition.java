package io.strand.replication;

import io.strand.log.EpochEndOffset;
import io.strand.log.FileSlice;
import io.strand.log.LeaderEpochCache;
import io.strand.log.PartitionLog;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * This broker leads a partition in one leader epoch: it serves its followers' fetches, tracks how far
 * each one's log matches its own and is durable, advances the high watermark, and proposes ISR changes.
 *
 * <p>The high watermark is the minimum durable end over the in-sync replicas — the leader's own
 * included — so a record below it is on the disk of every ISR member, and any of them elected next has
 * it. While an ISR change waits for the controller, the union of the old and proposed sets counts,
 * which is never less safe than either. The high watermark never moves back.
 *
 * <p>A follower's progress counts only from fetches that prove its log matches this one up to the fetch
 * offset (its last epoch ends here at or after the fetch offset); a diverging follower first truncates.
 *
 * <p>Not thread-safe: the broker serialises calls per partition.
 */
public final class LeaderPartition {
    private static final long UNKNOWN = -1;
    /** The last caught-up time of a follower never seen caught up: far enough back for any lag, without overflow. */
    private static final long NEVER = Long.MIN_VALUE / 2;

    /** What the leader knows of one follower. */
    private static final class Progress {
        long brokerEpoch = UNKNOWN;
        long fetchOffset = UNKNOWN;
        long durableOffset = UNKNOWN;
        long lastCaughtUpMs;
        long logEndAtLastFetch = UNKNOWN;
        long lastFetchMs;

        /**
         * @param lastCaughtUpMs when it counts as caught up last: an ISR member gets the time the lead began, as
         *                       a grace period to fetch; any other follower first has to catch up
         */
        Progress(long lastCaughtUpMs) {
            this.lastCaughtUpMs = lastCaughtUpMs;
        }
    }

    private final PartitionLog log;
    private final int brokerId;
    private final int leaderEpoch;
    private List<Integer> replicas;
    private final long epochStartOffset;
    private final Map<Integer, Progress> followers = new HashMap<>();
    private Set<Integer> isr;
    private int partitionEpoch;
    private IsrChange pending;

    /**
     * Takes the lead: records that {@code leaderEpoch} starts at the log end, so that a follower of an
     * earlier leader learns where that leader's records diverge from this log.
     *
     * @param replicas every replica of the partition, this broker included
     * @param isr      the in-sync replicas as the controller committed them, this broker included
     */
    public LeaderPartition(PartitionLog log, int brokerId, int leaderEpoch, List<Integer> replicas, Set<Integer> isr,
                           int partitionEpoch, long nowMs) {
        if (!replicas.contains(brokerId) || !isr.contains(brokerId) || !replicas.containsAll(isr)) {
            throw new IllegalArgumentException("broker " + brokerId + " cannot lead " + log.topicPartition()
                    + " with replicas " + replicas + " and ISR " + isr);
        }
        this.log = log;
        this.brokerId = brokerId;
        this.leaderEpoch = leaderEpoch;
        this.replicas = List.copyOf(replicas);
        this.isr = Set.copyOf(isr);
        this.partitionEpoch = partitionEpoch;
        this.epochStartOffset = log.logEndOffset();
        log.leaderEpochCache().assign(leaderEpoch, epochStartOffset);
        for (int replica : replicas) {
            if (replica != brokerId) {
                followers.put(replica, new Progress(isr.contains(replica) ? nowMs : NEVER));
            }
        }
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public PartitionLog log() {
        return log;
    }

    public Set<Integer> isr() {
        return isr;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    /** Whether the committed ISR is large enough to accept a send that needs {@code minInSyncReplicas}. */
    public boolean hasEnoughReplicas(int minInSyncReplicas) {
        return isr.size() >= minInSyncReplicas;
    }

    /** Serves a follower's fetch at {@code nowMs}. */
    public FetchOutcome fetch(ReplicaFetch fetch, long nowMs) {
        Progress progress = followers.get(fetch.replicaId());
        if (progress == null) {
            return new FetchOutcome.Refused(FetchError.NOT_A_REPLICA, "broker " + fetch.replicaId()
                    + " is not a replica of " + log.topicPartition() + " (replicas " + replicas + ")");
        }
        if (fetch.leaderEpoch() != leaderEpoch) {
            return new FetchOutcome.Refused(fetch.leaderEpoch() < leaderEpoch ? FetchError.FENCED_LEADER_EPOCH
                    : FetchError.UNKNOWN_LEADER_EPOCH, "broker " + brokerId + " leads " + log.topicPartition()
                    + " in epoch " + leaderEpoch + "; the fetch is for epoch " + fetch.leaderEpoch());
        }
        long logEnd = log.logEndOffset();
        if (fetch.fetchOffset() < log.logStartOffset()) {
            return new FetchOutcome.LogStartMoved(log.logStartOffset());
        }
        FetchOutcome mismatch = divergence(fetch, logEnd);
        if (mismatch != null) {
            return mismatch;
        }
        record(progress, fetch, logEnd, nowMs);
        advanceHighWatermark();
        ByteBuffer records = ByteBuffer.allocate(0);
        if (fetch.fetchOffset() < logEnd) {
            try (FileSlice slice = log.read(fetch.fetchOffset(), fetch.maxBytes(), logEnd)) {
                records = slice.readIntoHeap();
            }
        }
        return new FetchOutcome.Records(records.asReadOnlyBuffer(), log.highWatermark(), logEnd,
                log.logStartOffset());
    }

    /**
     * Where the follower's log leaves this one ({@link FetchOutcome.Diverging}), that it must start again at
     * the log start ({@link FetchOutcome.LogStartMoved}), or null when it matches up to the fetch offset.
     */
    private FetchOutcome divergence(ReplicaFetch fetch, long logEnd) {
        LeaderEpochCache epochs = log.leaderEpochCache();
        if (fetch.lastFetchedEpoch() < 0) {
            return fetch.fetchOffset() > logEnd ? new FetchOutcome.Diverging(-1, logEnd) : null;
        }
        EpochEndOffset end = epochs.endOffsetFor(fetch.lastFetchedEpoch(), logEnd);
        if (end.isUndefined()) {
            // The follower's last records are of an epoch this log no longer knows: a snapshot or retention deleted
            // the segments below the log start, and their epochs with them. Nothing tells whether its records from
            // the log start on match these, so it keeps none of them and starts again at the log start. Telling it
            // to truncate there instead never ends when its log ends at the log start: it keeps its end and last
            // epoch, and asks again with them until the log start moves on.
            return new FetchOutcome.LogStartMoved(log.logStartOffset());
        }
        if (end.epoch() < fetch.lastFetchedEpoch() || end.endOffset() < fetch.fetchOffset()) {
            return new FetchOutcome.Diverging(end.epoch(), end.endOffset());
        }
        return null;
    }

    /**
     * Notes a matching follower's position. It is caught up when it fetched from this log's end, or from
     * where the log ended at its previous fetch (so a steady stream of appends does not make a follower
     * that keeps pace look lagging).
     */
    private static void record(Progress progress, ReplicaFetch fetch, long logEnd, long nowMs) {
        if (fetch.fetchOffset() >= logEnd) {
            progress.lastCaughtUpMs = nowMs;
        } else if (progress.logEndAtLastFetch != UNKNOWN && fetch.fetchOffset() >= progress.logEndAtLastFetch) {
            progress.lastCaughtUpMs = Math.max(progress.lastCaughtUpMs, progress.lastFetchMs);
        }
        if (progress.brokerEpoch != fetch.brokerEpoch()) {
            progress.lastCaughtUpMs = Math.min(progress.lastCaughtUpMs, nowMs); // a new run of the broker
            progress.brokerEpoch = fetch.brokerEpoch();
        }
        progress.fetchOffset = fetch.fetchOffset();
        progress.durableOffset = fetch.durableOffset();
        progress.logEndAtLastFetch = logEnd;
        progress.lastFetchMs = nowMs;
    }

    /** The leader's own records became durable up to {@link PartitionLog#recoveryPoint()}. */
    public void localDurable() {
        advanceHighWatermark();
    }

    private void advanceHighWatermark() {
        long candidate = log.recoveryPoint();
        for (int member : effectiveIsr()) {
            Progress progress = followers.get(member);
            if (member == brokerId || progress == null) {
                continue; // this broker, or a replica a reassignment dropped while the ISR still names it
            }
            long durable = progress.durableOffset;
            if (durable == UNKNOWN) {
                return; // an ISR member has not fetched in this epoch yet: nothing is known to be on its disk
            }
            candidate = Math.min(candidate, durable);
        }
        log.maybeIncrementHighWatermark(candidate);
    }

    private Set<Integer> effectiveIsr() {
        if (pending == null) {
            return isr;
        }
        Set<Integer> union = new HashSet<>(isr);
        union.addAll(pending.proposedIsr());
        return union;
    }

    /**
     * The ISR change this partition needs now, if any and if none is waiting for the controller: followers
     * that were not caught up for {@code lagMaxMs} leave; followers join whose log matches and is durable up
     * to the high watermark, reaches this epoch, and that fetched up to this log's end within
     * {@code lagMaxMs} — and are not fenced. The change is then pending until {@link #isrCommitted} or
     * {@link #isrRefused}.
     *
     * <p>The recent fetch matters on an idle partition: there a follower that died stays level with the log
     * end it last saw, and only the silence tells that it is gone. The controller would refuse to add a fenced
     * broker anyway; not asking spares it a request per partition for as long as the broker stays down.
     *
     * @param fenced whether the controller has fenced a broker (it left the cluster, or has not registered again)
     */
    public Optional<IsrChange> proposeIsrChange(long nowMs, long lagMaxMs, IntPredicate fenced) {
        if (pending != null) {
            return Optional.empty();
        }
        Set<Integer> proposed = new HashSet<>(isr);
        long highWatermark = log.highWatermark();
        followers.forEach((replica, progress) -> {
            boolean caughtUpRecently = nowMs - progress.lastCaughtUpMs <= lagMaxMs;
            if (isr.contains(replica) && !caughtUpRecently) {
                proposed.remove(replica);
            } else if (!isr.contains(replica) && caughtUpRecently && !fenced.test(replica)
                    && progress.durableOffset != UNKNOWN && progress.durableOffset >= highWatermark
                    && progress.fetchOffset >= epochStartOffset) {
                proposed.add(replica);
            }
        });
        if (proposed.equals(isr)) {
            return Optional.empty();
        }
        Map<Integer, Long> epochs = new HashMap<>();
        for (int member : proposed) {
            Progress progress = followers.get(member);
            if (progress != null) {
                epochs.put(member, progress.brokerEpoch);
            }
        }
        pending = new IsrChange(proposed, epochs, partitionEpoch);
        return Optional.of(pending);
    }

    /**
     * The controller changed the partition's replicas in this leader epoch (a reassignment): a new follower
     * starts with nothing known of it, one that left is forgotten.
     */
    public void replicasChanged(List<Integer> newReplicas) {
        if (!newReplicas.contains(brokerId)) {
            throw new IllegalArgumentException("broker " + brokerId + " cannot lead " + log.topicPartition()
                    + " without being one of its replicas " + newReplicas);
        }
        replicas = List.copyOf(newReplicas);
        followers.keySet().retainAll(newReplicas);
        for (int replica : newReplicas) {
            if (replica != brokerId) {
                followers.computeIfAbsent(replica, id -> new Progress(NEVER));
            }
        }
    }

    /** The controller committed an ISR for this partition (this change or another one). */
    public void isrCommitted(Set<Integer> committedIsr, int newPartitionEpoch) {
        if (newPartitionEpoch <= partitionEpoch) {
            return; // an older decision arriving late
        }
        isr = Set.copyOf(committedIsr);
        partitionEpoch = newPartitionEpoch;
        pending = null;
        advanceHighWatermark();
    }

    /** The controller refused the pending change (a stale partition epoch); the next proposal starts afresh. */
    public void isrRefused() {
        pending = null;
    }

    @Override
    public String toString() {
        return "LeaderPartition(" + log.topicPartition() + " on broker " + brokerId + ", epoch " + leaderEpoch
                + ", ISR " + isr + ", HW " + log.highWatermark() + ", LEO " + log.logEndOffset() + ")";
    }
}
