package io.strand.log;

import java.util.concurrent.CompletableFuture;

/**
 * When an appended record counts as committed, so that the broker may acknowledge it: on a single broker
 * when it is durable ({@link PartitionLog#awaitDurable}); in a cluster when the in-sync replicas have it
 * and the high watermark passed it. The log knows nothing of replication; the broker installs the policy
 * on its {@link LogManager}.
 */
@FunctionalInterface
public interface CommitPolicy {
    /** Durable on this broker's disk is committed. */
    CommitPolicy DURABLE = new CommitPolicy() {
        @Override
        public CompletableFuture<Void> awaitCommitted(PartitionLog log, long offsetExclusive) {
            return log.awaitDurable(offsetExclusive);
        }

        @Override
        public CompletableFuture<Void> awaitCommittedOnCaller(PartitionLog log, long offsetExclusive) {
            return log.awaitDurableForcingHere(offsetExclusive);
        }
    };

    /** Completes once every offset of {@code log} below {@code offsetExclusive} is committed, or fails with why not. */
    CompletableFuture<Void> awaitCommitted(PartitionLog log, long offsetExclusive);

    /**
     * As {@link #awaitCommitted}, for a caller that holds no lock and may do the waiting work itself where that is
     * quicker than handing it to another thread (see {@link PartitionLog#awaitDurableForcingHere}). The returned
     * future may be complete, and its callbacks run, before this returns.
     */
    default CompletableFuture<Void> awaitCommittedOnCaller(PartitionLog log, long offsetExclusive) {
        return awaitCommitted(log, offsetExclusive);
    }
}
