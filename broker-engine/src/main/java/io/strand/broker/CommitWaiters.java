package io.strand.broker;

import io.strand.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The writes of one led partition that wait for its high watermark. Each completes once the high
 * watermark passes its end — unless the in-sync replicas then number fewer than the partition needs,
 * for then the write is on too few disks to be acknowledged; and all fail when this broker stops leading.
 * Thread-safe.
 */
final class CommitWaiters {
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
    /** Why the broker stopped leading the partition; a write added after that fails at once. */
    private BrokerException stopped;

    /**
     * A future for the offsets below {@code offsetExclusive}; completes at once if the high watermark passed them,
     * fails at once if the broker stopped leading the partition meanwhile (a write that looked the partition up
     * just before must not wait on waiters nobody completes any more).
     */
    synchronized CompletableFuture<Void> add(long offsetExclusive, long highWatermark) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        if (stopped != null) {
            committed.completeExceptionally(stopped);
        } else if (offsetExclusive <= highWatermark) {
            committed.complete(null);
        } else {
            waiting.computeIfAbsent(offsetExclusive, k -> new ArrayList<>(1)).add(committed);
        }
        return committed;
    }

    /**
     * The high watermark is {@code highWatermark} and the ISR has {@code isrSize} of the {@code minIsr}
     * members writes need: completes the writes it passed, or fails them when the ISR is too small.
     */
    void advanced(long highWatermark, int isrSize, int minIsr, String partition) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            Map<Long, List<CompletableFuture<Void>>> passed = waiting.headMap(highWatermark, true);
            passed.values().forEach(done::addAll);
            passed.clear();
        }
        if (isrSize >= minIsr) {
            done.forEach(f -> f.complete(null));
        } else {
            BrokerException tooFew = new BrokerException(ErrorCode.NOT_ENOUGH_REPLICAS, "the write to " + partition
                    + " reached only " + isrSize + " in-sync replica(s), " + minIsr + " are required"
                    + " (min.insync.replicas); it may still be delivered");
            done.forEach(f -> f.completeExceptionally(tooFew));
        }
    }

    /** Fails every waiting write: this broker stopped leading the partition. */
    void failAll(BrokerException why) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (this) {
            stopped = why;
            waiting.values().forEach(all::addAll);
            waiting.clear();
        }
        all.forEach(f -> f.completeExceptionally(why));
    }
}
