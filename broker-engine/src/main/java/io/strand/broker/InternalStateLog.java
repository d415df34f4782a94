package io.strand.broker;

import io.strand.log.FileSlice;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.record.CompressionType;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An internal log that keeps a broker component's state as records: each change is appended as a
 * keyed record, and at start the log is replayed in order. Shared by durable subscriptions and
 * share groups (DESIGN.md §3: their state lives in internal logs).
 *
 * <p>Compaction by snapshot: once the log holds many more records than the component has live
 * state, the component's full state is appended again, forced, and the segments wholly before
 * that snapshot are deleted. A crash at any point leaves the old records or the snapshot, or both;
 * replaying either gives the same state, so nothing is ever lost to compaction.
 *
 * <p>Thread-safe: appends are serialised on this object.
 */
final class InternalStateLog {
    private static final Logger LOG = LoggerFactory.getLogger(InternalStateLog.class);
    /** Snapshot when the log holds this many records per live one, and at least the minimum. */
    private static final int RECORDS_PER_LIVE_RECORD = 64;
    /**
     * Every record since the last snapshot is replayed when a cluster's next active broker loads the state, while
     * clients wait; a snapshot of a small state is a few records and one flush.
     */
    private static final int MIN_RECORDS_BEFORE_SNAPSHOT = 2_000;

    /** A record of state: a key, and a value or null for a removal. */
    record Entry(byte[] key, byte[] value) {
    }

    private final PartitionLog log;
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private long recordsSinceSnapshot;
    /** Bytes of the log since the last snapshot began (or, after a load, replayed): what a load reads again. */
    private long bytesSinceSnapshot;

    private InternalStateLog(PartitionLog log) {
        this.log = log;
    }

    /**
     * Internal logs roll small segments: a snapshot deletes only whole segments before it, and a load replays the
     * log from its first segment, so the segment the snapshot starts in bounds the replay with the records since.
     * (About 1,900 share-group records.)
     */
    private static final int SEGMENT_BYTES = 256 << 10;

    static InternalStateLog open(LogManager logs, String topic) {
        PartitionLog log = logs.getOrCreateLog(new TopicPartition(topic, 0));
        // Set again after every start: a loaded log gets the broker's default settings.
        log.updateConfig(withInternalSegments(log.config()).with(LogConfig.FLUSH_MODE, "fsync")
                .with(LogConfig.RETENTION_MS, "-1").with(LogConfig.RETENTION_BYTES, "-1"));
        return new InternalStateLog(log);
    }

    /**
     * {@code config} with the segment size of internal logs, which a cluster's followers keep too: a follower drops
     * only its segments wholly below the leader's log start, and replays its whole log when it becomes active.
     */
    static LogConfig withInternalSegments(LogConfig config) {
        return config.with(LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES));
    }

    /** Replays every record in order: {@code apply} gets the key and the value (null for a removal). */
    synchronized void replay(BiConsumer<ByteBuffer, ByteBuffer> apply) {
        long next = log.logStartOffset();
        long records = 0;
        RecordBatch batch = new RecordBatch();
        RecordIterator iterator = new RecordIterator();
        while (next < log.logEndOffset()) {
            ByteBuffer batches;
            try (FileSlice slice = log.read(next, 1 << 20, log.logEndOffset())) {
                batches = slice.readIntoHeap();
                next = slice.nextOffset();
            }
            for (int pos = 0; pos < batches.limit(); pos += batch.sizeInBytes()) {
                iterator.reset(batch.wrap(batches, pos));
                while (iterator.hasNext()) {
                    Record record = iterator.next();
                    apply.accept(record.key(), record.hasValue() ? record.value() : null);
                    records++;
                }
            }
        }
        log.updateHighWatermark(log.logEndOffset());
        recordsSinceSnapshot = records;
        bytesSinceSnapshot = log.sizeInBytes();
        LOG.debug("replayed {} record(s) of {}", records, log.topicPartition());
    }

    /** Appends one change; completes once it is durable. */
    synchronized CompletableFuture<Void> append(Entry entry) {
        long next = appendOne(entry);
        recordsSinceSnapshot++;
        bytesSinceSnapshot += entry.key().length + (entry.value() == null ? 0 : entry.value().length);
        return log.awaitCommitted(next);
    }

    /** Whether the log has grown far enough past {@code liveRecords} records of live state to snapshot it. */
    synchronized boolean snapshotDue(int liveRecords) {
        return recordsSinceSnapshot > MIN_RECORDS_BEFORE_SNAPSHOT
                && recordsSinceSnapshot > (long) RECORDS_PER_LIVE_RECORD * Math.max(1, liveRecords);
    }

    /** How many records were appended since the last snapshot (or, after a load, replayed). */
    synchronized long recordsSinceSnapshot() {
        return recordsSinceSnapshot;
    }

    /** About how many bytes the log holds beyond the last snapshot: those appended since, or after a load all. */
    synchronized long bytesSinceSnapshot() {
        return bytesSinceSnapshot;
    }

    /**
     * Starts a snapshot: the caller then appends its whole live state with {@link #append} (changes
     * made meanwhile may interleave, as long as each key's full record precedes its later changes)
     * and calls {@link #completeSnapshot} with the offset returned here.
     */
    synchronized long beginSnapshot() {
        return log.logEndOffset();
    }

    /** Forces the snapshot and deletes the segments wholly before it. */
    synchronized void completeSnapshot(long snapshotStart, int liveRecords) {
        log.flushTo(log.logEndOffset());
        log.updateHighWatermark(log.logEndOffset());
        int deleted = log.deleteSegmentsBelow(snapshotStart);
        recordsSinceSnapshot = liveRecords;
        bytesSinceSnapshot = 0;
        LOG.info("{}: snapshot of {} live record(s) written; {} old segment(s) deleted", log.topicPartition(),
                liveRecords, deleted);
    }

    private long appendOne(Entry entry) {
        builder.reset(CompressionType.NONE, 0);
        builder.append(System.currentTimeMillis(), ByteBuffer.wrap(entry.key()),
                entry.value() == null ? null : ByteBuffer.wrap(entry.value()), null);
        return log.appendAsLeader(builder.build(), log.latestLeaderEpoch()).nextOffset();
    }
}
