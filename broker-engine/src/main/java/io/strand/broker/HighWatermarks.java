package io.strand.broker;

import io.strand.log.FlushMode;
import io.strand.log.PartitionLog;

/**
 * Moves the high watermark of a single broker's partitions. Here the high watermark is what is
 * durable: the log end in flush mode none, the recovery point in flush mode fsync, so consumers
 * never see a record that a crash could take back. Thread-safe.
 */
final class HighWatermarks {
    private final PartitionWatchers watchers;

    HighWatermarks(PartitionWatchers watchers) {
        this.watchers = watchers;
    }

    /** Raises the high watermark to what is durable now and wakes the partition's consumers if it moved. */
    void advance(PartitionLog log) {
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
                log.awaitDurable(log.logEndOffset()).thenRun(() -> advance(log));
            }
        }
    }
}
