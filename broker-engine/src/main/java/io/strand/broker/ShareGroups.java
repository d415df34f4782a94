package io.strand.broker;

import io.strand.log.LogManager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share groups of every queue partition and shared subscription partition, persisted in the
 * internal log {@code $sharegroups} (see {@link InternalStateLog}). Each record is keyed by group
 * name (the queue's name, or {@link SharedSubscription#groupName}) and partition; its value is either
 * a delta (the changes of one acquisition or acknowledgement) or a full state written by a snapshot:
 *
 * <pre>
 *   int8   format (2)
 *   int8   kind: 0 delta, 1 full
 *   int64  start offset (full only)
 *   int32  n, then n x (int64 first, int64 last, int32 delivery count; 0 = done,
 *                       int8 flags: 1 = held by a prepared XA transaction branch)
 * </pre>
 *
 * Records of format 1, written before XA, have no flags byte: nothing in them is held by a branch.
 *
 * A null value removes the partition's group (its queue was deleted). A state or a delta of more than
 * {@link #CHANGES_PER_RECORD} changes is written as several records in a row, the first full or delta and the
 * rest deltas: a queue whose consumers take every tenth record of millions (a selector) holds hundreds of
 * thousands of ranges, more than one record of the log may carry. Thread-safe; changes of one partition are
 * persisted under that partition's lock, so its records reach the log in order.
 */
final class ShareGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ShareGroups.class);
    static final String LOG_TOPIC = "$sharegroups";
    private static final byte FORMAT = 2;
    private static final byte FORMAT_WITHOUT_FLAGS = 1;
    private static final byte HELD_BY_PREPARED = 1;
    private static final byte DELTA = 0;
    private static final byte FULL = 1;
    /** Bytes of one change in the current format. */
    private static final int CHANGE_BYTES = 8 + 8 + 4 + 1;
    /** Log bytes beyond the last snapshot that make one due whatever their number of records. */
    static final long MIN_BYTES_BEFORE_SNAPSHOT = 2 << 20;
    /** At most this many changes in one record: 210,000 bytes, well under the log's largest batch. */
    static final int CHANGES_PER_RECORD = 10_000;

    private final InternalStateLog stateLog;
    private final long acquisitionLockMs;
    private final Map<String, SharePartition> partitions = new ConcurrentHashMap<>();
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    /** How many changes the last snapshot wrote. */
    private volatile long lastSnapshotChanges;

    private ShareGroups(InternalStateLog stateLog, long acquisitionLockMs) {
        this.stateLog = stateLog;
        this.acquisitionLockMs = acquisitionLockMs;
    }

    /** @param acquisitionLockMs how long a consumer may hold a record unsettled; 0 for as long as it lives */
    static ShareGroups load(LogManager logs, long acquisitionLockMs) {
        ShareGroups groups = new ShareGroups(InternalStateLog.open(logs, LOG_TOPIC), acquisitionLockMs);
        groups.stateLog.replay(groups::replayRecord);
        LOG.info("loaded the share groups of {} queue partition(s)", groups.partitions.size());
        return groups;
    }

    /** How long a consumer may hold a record it was sent without settling it; 0 for as long as it lives. */
    long acquisitionLockMs() {
        return acquisitionLockMs;
    }

    static String key(String queue, int partition) {
        return queue + '\0' + partition;
    }

    /** The share group of a queue partition; a new one starts at the log start: a queue keeps what was sent before. */
    SharePartition partition(String queue, int partition, long logStartOffset) {
        return partitions.computeIfAbsent(key(queue, partition), k -> new SharePartition(logStartOffset));
    }

    /** The state of a queue partition's share group, or null when it has none yet. */
    QueueState state(String queue, int partition) {
        SharePartition share = partitions.get(key(queue, partition));
        return share == null ? null : share.state();
    }

    /** The share group of a queue partition, or null when it has none yet. */
    SharePartition find(String queue, int partition) {
        return partitions.get(key(queue, partition));
    }

    /** Every partition's share group, by {@link #key}. */
    Map<String, SharePartition> all() {
        return Map.copyOf(partitions);
    }

    /**
     * Starts a queue partition's share group afresh at {@code newStart}: everything below is consumed,
     * everything from there on is available, never delivered (an operator's rewind or purge). Records
     * consumers hold are forgotten; their later acknowledgements of records below the start are
     * ignored. Completes once durable.
     */
    CompletableFuture<Void> restartAt(String queue, int partition, long logStartOffset, long newStart) {
        SharePartition share = partition(queue, partition, logStartOffset);
        synchronized (share) {
            share.reset(newStart);
            return append(key(queue, partition), FULL, newStart, List.of());
        }
    }

    /** Persists changes of {@code partition}; call with the partition's lock held. Completes once durable. */
    CompletableFuture<Void> persist(String key, SharePartition partition, List<SharePartition.Change> changes) {
        assert Thread.holdsLock(partition);
        return append(key, DELTA, 0, changes);
    }

    /**
     * Appends a full state or a delta in records of at most {@link #CHANGES_PER_RECORD} changes, the first of
     * {@code kind} and the others deltas (replayed in order, they give the same state); completes once all are
     * durable.
     */
    private CompletableFuture<Void> append(String key, byte kind, long start, List<SharePartition.Change> changes) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int end = Math.min(changes.size(), CHANGES_PER_RECORD);
        CompletableFuture<Void> durable = stateLog.append(new InternalStateLog.Entry(keyBytes,
                encode(kind, start, changes.subList(0, end))));
        for (int from = end; from < changes.size(); from += CHANGES_PER_RECORD) {
            List<SharePartition.Change> part = changes.subList(from, Math.min(changes.size(), from + CHANGES_PER_RECORD));
            durable = stateLog.append(new InternalStateLog.Entry(keyBytes, encode(DELTA, 0, part)));
        }
        return durable; // the last append is durable only once those before it are
    }

    /**
     * Writes a snapshot when the log has grown far past the live state; call with no partition lock held. By
     * records, a snapshot also waits until the log has grown by as many records as the last one wrote changes: a
     * queue that holds hundreds of thousands of ranges (a selector consumer's) would otherwise write them all again
     * every few thousand acknowledgements. By bytes, it is due once the log holds {@link #MIN_BYTES_BEFORE_SNAPSHOT}
     * and twice the last snapshot beyond it: the records of a selector consumer's acquisitions are large, and a
     * new active broker reads all of them while its clients wait (16 MB in 2.9 s were seen, under 2,000 records).
     */
    void snapshotIfDue() {
        boolean dueByRecords = stateLog.snapshotDue(partitions.size())
                && stateLog.recordsSinceSnapshot() >= lastSnapshotChanges;
        boolean dueByBytes = stateLog.bytesSinceSnapshot()
                >= Math.max(MIN_BYTES_BEFORE_SNAPSHOT, 2 * lastSnapshotChanges * CHANGE_BYTES);
        if (!(dueByRecords || dueByBytes) || !snapshotting.compareAndSet(false, true)) {
            return;
        }
        try {
            long start = stateLog.beginSnapshot();
            long written = 0;
            for (Map.Entry<String, SharePartition> entry : partitions.entrySet()) {
                SharePartition partition = entry.getValue();
                synchronized (partition) {
                    List<SharePartition.Change> state = partition.snapshot();
                    append(entry.getKey(), FULL, partition.startOffset(), state);
                    written += state.size();
                }
            }
            stateLog.completeSnapshot(start, partitions.size());
            lastSnapshotChanges = written;
        } catch (RuntimeException e) {
            // The records written so far stay; a snapshot only lets older segments go, so the request that
            // happened to trigger it has not failed. The next due check tries again.
            LOG.warn("could not write a snapshot of the share groups in {}; their log keeps every record", LOG_TOPIC, e);
        } finally {
            snapshotting.set(false);
        }
    }

    /**
     * Starts the group {@code group} afresh at {@code starts} (one offset per partition), replacing any
     * state it had, and persists the starts; completes once they are durable.
     */
    CompletableFuture<Void> start(String group, long[] starts) {
        CompletableFuture<Void> durable = CompletableFuture.completedFuture(null);
        for (int p = 0; p < starts.length; p++) {
            String key = key(group, p);
            SharePartition partition = new SharePartition(starts[p]);
            synchronized (partition) {
                partitions.put(key, partition);
                durable = append(key, FULL, starts[p], List.of());
            }
        }
        return durable; // the last append is durable only once those before it are
    }

    /** @return the names of the groups whose name satisfies {@code condition}, with their partition counts */
    Map<String, Integer> groupsWhere(Predicate<String> condition) {
        Map<String, Integer> found = new HashMap<>();
        for (String key : partitions.keySet()) {
            String group = key.substring(0, key.lastIndexOf('\0'));
            if (condition.test(group)) {
                found.merge(group, 1, Integer::sum);
            }
        }
        return found;
    }

    /** Forgets every partition of the group {@code group} (a shared subscription that ended). */
    void removeGroup(String group) {
        removeGroupsIf(group::equals);
    }

    /**
     * Forgets the partitions of every group whose name satisfies {@code condition}.
     *
     * @return how many groups were removed
     */
    int removeGroupsIf(Predicate<String> condition) {
        Set<String> removedGroups = new HashSet<>();
        for (String key : List.copyOf(partitions.keySet())) {
            String group = key.substring(0, key.lastIndexOf('\0'));
            if (condition.test(group) && partitions.remove(key) != null) {
                removedGroups.add(group);
                stateLog.append(new InternalStateLog.Entry(key.getBytes(StandardCharsets.UTF_8), null));
            }
        }
        return removedGroups.size();
    }

    /** Forgets the share groups of a deleted queue. */
    void remove(String queue, int partitionCount) {
        for (int p = 0; p < partitionCount; p++) {
            String key = key(queue, p);
            if (partitions.remove(key) != null) {
                stateLog.append(new InternalStateLog.Entry(key.getBytes(StandardCharsets.UTF_8), null));
            }
        }
    }

    private static byte[] encode(byte kind, long start, List<SharePartition.Change> changes) {
        ByteBuffer out = ByteBuffer.allocate(2 + (kind == FULL ? 8 : 0) + 4 + changes.size() * CHANGE_BYTES);
        out.put(FORMAT).put(kind);
        if (kind == FULL) {
            out.putLong(start);
        }
        out.putInt(changes.size());
        for (SharePartition.Change change : changes) {
            out.putLong(change.first()).putLong(change.last()).putInt(change.deliveryCount())
                    .put(change.prepared() ? HELD_BY_PREPARED : 0);
        }
        return out.array();
    }

    private void replayRecord(ByteBuffer key, ByteBuffer value) {
        String id = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
        if (value == null) {
            partitions.remove(id);
            return;
        }
        ByteBuffer in = value.duplicate();
        byte format = in.remaining() < 2 + 4 ? -1 : in.get();
        if (format != FORMAT && format != FORMAT_WITHOUT_FLAGS) {
            throw new IllegalStateException("share group record of " + id.replace('\0', '/') + " has an unknown format"
                    + " (written by an incompatible build?)");
        }
        int changeBytes = format == FORMAT ? CHANGE_BYTES : CHANGE_BYTES - 1;
        byte kind = in.get();
        if (kind == FULL && in.remaining() < 8 + 4) {
            throw new IllegalStateException("share group snapshot of " + id.replace('\0', '/') + " is truncated");
        }
        long start = kind == FULL ? in.getLong() : -1;
        int count = in.getInt();
        if (count < 0 || (long) count * changeBytes != in.remaining()) {
            throw new IllegalStateException("share group record of " + id.replace('\0', '/') + " holds " + count
                    + " changes in " + in.remaining() + " bytes");
        }
        SharePartition partition = partitions.computeIfAbsent(id, k -> new SharePartition(Math.max(0, start)));
        if (kind == FULL) {
            partition.reset(start);
        }
        for (int i = 0; i < count; i++) {
            long first = in.getLong();
            long last = in.getLong();
            int deliveryCount = in.getInt();
            boolean prepared = format == FORMAT && (in.get() & HELD_BY_PREPARED) != 0;
            partition.apply(new SharePartition.Change(first, last, deliveryCount, prepared));
        }
    }
}
