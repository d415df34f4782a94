package io.strand.log;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Appends waiting for their bytes to reach the disk, ordered by the offset they wait for. A flush
 * that forced everything below offset X completes every waiter at or below X at once: this is
 * where concurrent appenders share one {@code force()}. Thread-safe.
 */
final class DurabilityWaiters {
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>();

    /** A future completed once everything below {@code offsetExclusive} is durable. */
    synchronized CompletableFuture<Void> add(long offsetExclusive) {
        Waiter waiter = new Waiter(offsetExclusive, new CompletableFuture<>());
        waiting.add(waiter);
        return waiter.future;
    }

    /** Completes the waiters whose offset is covered by {@code durableOffsetExclusive}; returns how many. */
    int completeUpTo(long durableOffsetExclusive) {
        CompletableFuture<?>[] done;
        synchronized (this) {
            int n = 0;
            for (Waiter w : waiting) {
                if (w.offsetExclusive <= durableOffsetExclusive) {
                    n++;
                }
            }
            done = new CompletableFuture<?>[n];
            for (int i = 0; i < n; i++) {
                done[i] = waiting.poll().future;
            }
        }
        // Complete outside the lock: callbacks may append again and wait on this partition.
        for (CompletableFuture<?> future : done) {
            future.complete(null);
        }
        return done.length;
    }

    /** Fails the waiters above {@code offsetExclusive} (their records were truncated) or all of them. */
    void failAbove(long offsetExclusive, RuntimeException cause) {
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        synchronized (this) {
            waiting.removeIf(w -> {
                if (w.offsetExclusive > offsetExclusive) {
                    failed.add(w.future);
                    return true;
                }
                return false;
            });
        }
        failed.forEach(f -> f.completeExceptionally(cause));
    }

    private record Waiter(long offsetExclusive, CompletableFuture<Void> future) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter other) {
            return Long.compare(offsetExclusive, other.offsetExclusive);
        }
    }
}
