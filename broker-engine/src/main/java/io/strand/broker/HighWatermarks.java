package io.strand.broker;

import io.strand.log.FlushMode;
import io.strand.log.PartitionLog;

/**
 * Moves the high watermark of a broker's partitions once appends are committed
 * ({@link PartitionLog#awaitCommitted}), and wakes the consumers of a partition whose records became
 * visible. On a broker alone the high watermark is what is durable: the log end in flush mode none,
 * the recovery point in flush mode fsync, so consumers never see a record that a crash could take back.
 * In a cluster the partition's leader moves it to what the in-sync replicas hold before the commit
 * completes, so here only the consumers wake. Thread-safe.
 */
final class HighWatermarks {
    private final PartitionWatchers watchers;
    private final boolean replicated;

    /** @param replicated whether replication moves the high watermark (a cluster) */
    HighWatermarks(PartitionWatchers watchers, boolean replicated) {
        this.watchers = watchers;
        this.replicated = replicated;
    }

    /** After a commit: raises the high watermark to what is durable (alone) and wakes the partition's consumers. */
    void advance(PartitionLog log) {
        if (replicated) {
            watchers.recordsAvailable(log.topicPartition());
            return;
        }
        long durableEnd = log.config().flushMode() == FlushMode.NONE ? log.logEndOffset() : log.recoveryPoint();
        if (log.maybeIncrementHighWatermark(durableEnd)) {
            watchers.recordsAvailable(log.topicPartition());
        }
    }

    /**
     * After a start, records recovered past the last checkpoint become visible once forced: asks for
     * that flush without waiting, so the broker is ready at once and the flusher catches up behind it.
     */
    void catchUpAfterStart(Iterable<Destination> destinations) {
        for (Destination destination : destinations) {
            for (PartitionLog log : destination.partitions()) {
                log.awaitCommitted(log.logEndOffset()).thenRun(() -> advance(log));
            }
        }
    }
}
