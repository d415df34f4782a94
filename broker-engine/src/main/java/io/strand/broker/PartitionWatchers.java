package io.strand.broker;

import io.strand.log.TopicPartition;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who waits for new records on which partition: consumers register here and are woken when a
 * partition's high watermark moves. Thread-safe; waking only schedules work on each consumer's own
 * event loop.
 */
final class PartitionWatchers {
    /** Something that reads a partition and wants to hear when it grows. */
    interface Watcher {
        void recordsAvailable();
    }

    private final ConcurrentMap<TopicPartition, Set<Watcher>> watchers = new ConcurrentHashMap<>();

    void watch(TopicPartition partition, Watcher watcher) {
        watchers.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(watcher);
    }

    void unwatch(TopicPartition partition, Watcher watcher) {
        watchers.computeIfPresent(partition, (p, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    /** Who watches a partition now. */
    List<Watcher> watchersOf(TopicPartition partition) {
        Set<Watcher> set = watchers.get(partition);
        return set == null ? List.of() : List.copyOf(set);
    }

    void recordsAvailable(TopicPartition partition) {
        Set<Watcher> set = watchers.get(partition);
        if (set != null) {
            set.forEach(Watcher::recordsAvailable);
        }
    }
}
