package io.strand.broker;

import io.netty.channel.EventLoop;
import io.strand.log.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Replica fetches that found nothing new, held until a partition they ask for gets an append or their
 * wait runs out, so that a follower neither spins nor waits to learn of a new record. Thread-safe.
 */
final class ParkedFetches {
    private final Map<TopicPartition, Set<Parked>> byPartition = new ConcurrentHashMap<>();

    /** One held fetch: answered once, on its connection's event loop. */
    private final class Parked {
        private final List<TopicPartition> partitions;
        private final EventLoop loop;
        private final Runnable answer;
        private final AtomicBoolean answered = new AtomicBoolean();

        Parked(List<TopicPartition> partitions, EventLoop loop, Runnable answer) {
            this.partitions = partitions;
            this.loop = loop;
            this.answer = answer;
        }

        void fire() {
            if (answered.compareAndSet(false, true)) {
                for (TopicPartition tp : partitions) {
                    Set<Parked> parked = byPartition.get(tp);
                    if (parked != null) {
                        parked.remove(this);
                    }
                }
                loop.execute(answer);
            }
        }
    }

    /**
     * Holds a fetch of {@code partitions} for up to {@code maxWaitMs}; {@code answer} then runs on
     * {@code loop}. {@code stillEmpty} is asked once more after parking, so an append that came between
     * the empty read and the parking is not missed.
     */
    void park(List<TopicPartition> partitions, EventLoop loop, long maxWaitMs, Runnable answer,
              BooleanSupplier stillEmpty) {
        Parked parked = new Parked(partitions, loop, answer);
        for (TopicPartition tp : partitions) {
            byPartition.computeIfAbsent(tp, k -> ConcurrentHashMap.newKeySet()).add(parked);
        }
        loop.schedule(parked::fire, maxWaitMs, TimeUnit.MILLISECONDS);
        if (!stillEmpty.getAsBoolean()) {
            parked.fire();
        }
    }

    /** A partition got new records: answers every fetch held for it. */
    void wake(TopicPartition tp) {
        Set<Parked> parked = byPartition.get(tp);
        if (parked != null && !parked.isEmpty()) {
            for (Parked p : List.copyOf(parked)) {
                p.fire();
            }
        }
    }
}
