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
    CommitPolicy DURABLE = PartitionLog::awaitDurable;

    /** Completes once every offset of {@code log} below {@code offsetExclusive} is committed, or fails with why not. */
    CompletableFuture<Void> awaitCommitted(PartitionLog log, long offsetExclusive);
}
