package io.strand.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader epochs of one partition: for each epoch, the first offset written in it. Replication
 * uses it to find where a follower's log diverges from the leader's ({@link #endOffsetFor}).
 *
 * <p>Key invariant: epochs strictly increase and so do their start offsets; every change keeps it.
 *
 * <p>File {@code <partitionDir>/leader-epoch-checkpoint}, in the {@link CheckpointFile} text format
 * with the epoch as key:
 * <pre>
 *   0            version
 *   2            number of entries
 *   0 0          epoch, one space, start offset
 *   3 1042
 * </pre>
 * Every change rewrites the file atomically before it becomes visible in memory (persist, then
 * publish): a crash leaves the old or the new epochs, and the log loader then truncates the cache to
 * the recovered log end.
 *
 * <p>Threading: changes are serialized by the cache's lock; readers take no lock and see an immutable
 * snapshot. {@link #assign} of an epoch already current is a lock-free no-op, so it may be called for
 * every appended batch.
 */
public final class LeaderEpochCache {
    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(LeaderEpochCache.class);

    /** Epoch to start offset, unmodifiable, with its last entry (null when empty) for the lock-free fast path. */
    private record Snapshot(NavigableMap<Integer, Long> epochs, EpochEntry latest) {
        static Snapshot of(TreeMap<Integer, Long> epochs) {
            Map.Entry<Integer, Long> last = epochs.lastEntry();
            return new Snapshot(Collections.unmodifiableNavigableMap(epochs),
                    last == null ? null : new EpochEntry(last.getKey(), last.getValue()));
        }
    }

    private final Path file;
    /** Replaced whole, and only after the file holds the same entries. */
    private volatile Snapshot snapshot;

    private LeaderEpochCache(Path file, TreeMap<Integer, Long> epochs) {
        this.file = file;
        this.snapshot = Snapshot.of(epochs);
    }

    /**
     * Reads the cache of the partition in {@code partitionDir}; a missing file is an empty cache.
     *
     * @throws CorruptCheckpointException naming the file and line if it is malformed or out of order
     */
    public static LeaderEpochCache load(Path partitionDir) {
        Path file = partitionDir.resolve(FILE_NAME);
        TreeMap<Integer, Long> epochs = new TreeMap<>();
        for (CheckpointFile.Line line : CheckpointFile.readLines(file)) {
            int epoch;
            try {
                epoch = Integer.parseInt(line.key());
            } catch (NumberFormatException e) {
                throw new CorruptCheckpointException(file, line.number(), "epoch '" + line.key() + "' is not a number");
            }
            Map.Entry<Integer, Long> last = epochs.lastEntry();
            if (epoch < 0 || line.value() < 0
                    || last != null && (epoch <= last.getKey() || line.value() <= last.getValue())) {
                throw new CorruptCheckpointException(file, line.number(), "entry " + epoch + " " + line.value()
                        + " is negative or does not follow the previous entry in epoch and start offset");
            }
            epochs.put(epoch, line.value());
        }
        return new LeaderEpochCache(file, epochs);
    }

    public Path file() {
        return file;
    }

    /**
     * Records that {@code epoch} wrote {@code startOffset}. The rule:
     * <ul>
     *   <li>If {@code epoch} is the latest epoch and {@code startOffset} is not below its start, nothing
     *       changes: later batches of the current epoch do not move its start.</li>
     *   <li>Otherwise {@code (epoch, startOffset)} becomes the latest entry, and every entry that would
     *       break the invariant is dropped first: those with an epoch at or above {@code epoch}, and
     *       those starting at or after {@code startOffset}. The log is the truth, and this call says
     *       the log now holds {@code epoch} from {@code startOffset}, so what the cache believed
     *       about later offsets is stale. Dropping a higher epoch is logged as a warning.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if the epoch or offset is negative
     */
    public void assign(int epoch, long startOffset) {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException("epoch=" + epoch + " and startOffset=" + startOffset + " for " + file
                    + " must both be zero or more");
        }
        if (isCurrent(snapshot.latest(), epoch, startOffset)) {
            return;
        }
        synchronized (this) {
            Snapshot current = snapshot;
            if (isCurrent(current.latest(), epoch, startOffset)) {
                return;
            }
            TreeMap<Integer, Long> next = new TreeMap<>();
            List<EpochEntry> dropped = new ArrayList<>();
            for (Map.Entry<Integer, Long> entry : current.epochs().entrySet()) {
                if (entry.getKey() >= epoch || entry.getValue() >= startOffset) {
                    dropped.add(new EpochEntry(entry.getKey(), entry.getValue()));
                } else {
                    next.put(entry.getKey(), entry.getValue());
                }
            }
            next.put(epoch, startOffset);
            // A lower epoch starting at or after startOffset held no records that are still in the log (an
            // epoch in which its leader appended nothing, or records truncated since): replacing it is routine.
            // A higher one means epochs would go back, which only a damaged cache or log explains.
            if (dropped.stream().anyMatch(e -> e.epoch() > epoch)) {
                LOG.warn("{}: epoch {} starting at offset {} replaces conflicting entries {}", file, epoch,
                        startOffset, dropped);
            } else if (dropped.stream().anyMatch(e -> e.epoch() != epoch)) {
                LOG.debug("{}: epoch {} starting at offset {} replaces {}", file, epoch, startOffset, dropped);
            }
            publish(next);
        }
    }

    public OptionalInt latestEpoch() {
        EpochEntry latest = snapshot.latest();
        return latest == null ? OptionalInt.empty() : OptionalInt.of(latest.epoch());
    }

    /** Every entry, in increasing epoch order. */
    public List<EpochEntry> entries() {
        List<EpochEntry> list = new ArrayList<>();
        snapshot.epochs().forEach((epoch, start) -> list.add(new EpochEntry(epoch, start)));
        return Collections.unmodifiableList(list);
    }

    /**
     * Where {@code requestedEpoch} ended in this log, for a follower that wrote up to that epoch:
     * <ul>
     *   <li>the latest epoch: {@code (latest, logEndOffset)};</li>
     *   <li>a known epoch, or one between two known epochs: {@code (largest known epoch <= requested,
     *       start offset of the next higher known epoch)};</li>
     *   <li>below every known epoch, above the latest one, or an empty cache: {@link EpochEndOffset#UNDEFINED}.</li>
     * </ul>
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        NavigableMap<Integer, Long> epochs = snapshot.epochs();
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requestedEpoch);
        if (floor == null) {
            return EpochEndOffset.UNDEFINED;
        }
        if (floor.getKey().equals(epochs.lastKey())) {
            return floor.getKey() == requestedEpoch ? new EpochEndOffset(requestedEpoch, logEndOffset)
                    : EpochEndOffset.UNDEFINED;
        }
        return new EpochEndOffset(floor.getKey(), epochs.higherEntry(requestedEpoch).getValue());
    }

    /** The log was truncated to end at {@code endOffset} (exclusive): drops entries starting at or after it. */
    public synchronized void truncateFromEnd(long endOffset) {
        Snapshot current = snapshot;
        if (current.latest() == null || current.latest().startOffset() < endOffset) {
            return;
        }
        TreeMap<Integer, Long> next = new TreeMap<>();
        current.epochs().forEach((epoch, start) -> {
            if (start < endOffset) {
                next.put(epoch, start);
            }
        });
        publish(next);
    }

    /**
     * The log now starts at {@code startOffset}: entries wholly before it are dropped, and the latest
     * entry starting at or before it is kept, its start moved up to {@code startOffset}.
     */
    public synchronized void truncateFromStart(long startOffset) {
        NavigableMap<Integer, Long> current = snapshot.epochs();
        Map.Entry<Integer, Long> first = current.firstEntry();
        if (first == null || first.getValue() >= startOffset) {
            return;
        }
        TreeMap<Integer, Long> next = new TreeMap<>();
        int covering = first.getKey();
        for (Map.Entry<Integer, Long> entry : current.entrySet()) {
            if (entry.getValue() <= startOffset) {
                covering = entry.getKey(); // starts increase with epochs: the last such entry covers startOffset
            } else {
                next.put(entry.getKey(), entry.getValue());
            }
        }
        next.put(covering, startOffset);
        publish(next);
    }

    private static boolean isCurrent(EpochEntry latest, int epoch, long startOffset) {
        return latest != null && latest.epoch() == epoch && latest.startOffset() <= startOffset;
    }

    /** Persist, then publish: the file holds the new entries before any reader can see them. */
    private void publish(TreeMap<Integer, Long> next) {
        List<Map.Entry<String, Long>> lines = new ArrayList<>(next.size());
        next.forEach((epoch, start) -> lines.add(Map.entry(Integer.toString(epoch), start)));
        CheckpointFile.writeLines(file, lines);
        snapshot = Snapshot.of(next);
    }

    @Override
    public String toString() {
        return "LeaderEpochCache(" + file + ", " + snapshot.epochs() + ")";
    }
}
