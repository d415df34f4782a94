package io.strand.broker;

import io.strand.log.LogManager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal log {@code $transactions} (an {@link InternalStateLog}): the {@link CommitRecord} of each
 * commit that spans partitions, from the moment it is recorded until the commit completes, replayed at
 * start so that {@link TransactionRecovery} can finish what a crash interrupted.
 *
 * <p>A commit record holds the transaction's batches, so it can be far larger than the largest batch a
 * log takes; it is stored as {@link Chunks} that each fit in one batch:
 *
 * <pre>
 *   key    int64 transaction id, int32 chunk index
 *   value  a chunk of the encoded commit record (see {@link Chunks})
 * </pre>
 *
 * A commit counts as recorded once every chunk is durable, and the committer appends nothing before that,
 * so a commit found with chunks missing after a crash never started: it is dropped. Completion appends a
 * tombstone keyed by the transaction id alone (8 bytes).
 *
 * <p>Compaction: when the log has grown far past the open commits (by {@link InternalStateLog}'s record
 * count rule, or {@value #SNAPSHOT_BYTES} bytes recorded since the last snapshot), the open commits' chunks
 * are appended again and the segments before them deleted.
 *
 * <p>Thread-safe: every method locks this object, which then takes the state log's lock, never the reverse.
 */
final class TransactionLog {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLog.class);
    static final String LOG_TOPIC = "$transactions";
    static final long SNAPSHOT_BYTES = 64L << 20;

    private final InternalStateLog stateLog;
    private final int chunkBytes;
    /** The chunk values of every commit recorded and not completed, by transaction id. */
    private final Map<Long, List<byte[]>> open = new LinkedHashMap<>();
    private long bytesSinceSnapshot;
    private long highestTransactionId;

    private TransactionLog(InternalStateLog stateLog, int chunkBytes) {
        this.stateLog = stateLog;
        this.chunkBytes = chunkBytes;
    }

    /** Opens the log; {@link #replay} it before recording anything. */
    static TransactionLog open(LogManager logs) {
        InternalStateLog stateLog = InternalStateLog.open(logs, LOG_TOPIC);
        return new TransactionLog(stateLog, Chunks.chunkBytes(logs, LOG_TOPIC));
    }

    /**
     * Replays the log: the commits recorded and not completed, in the order they were recorded. Commits
     * whose chunks are not all there are dropped, with a tombstone.
     */
    synchronized List<CommitRecord> replay() {
        Map<Long, Chunks.Assembly> chunks = new LinkedHashMap<>();
        stateLog.replay((key, value) -> {
            ByteBuffer k = key.duplicate();
            if (k.remaining() == 8 && value == null) {
                long id = k.getLong();
                chunks.remove(id);
                highestTransactionId = Math.max(highestTransactionId, id);
                return;
            }
            if (k.remaining() != 12 || value == null) {
                throw new IllegalStateException(LOG_TOPIC + " holds a record with a " + k.remaining() + "-byte key and "
                        + (value == null ? "no value" : "a " + value.remaining() + "-byte value") + "; not a commit chunk");
            }
            long id = k.getLong();
            int index = k.getInt();
            chunks.computeIfAbsent(id, x -> new Chunks.Assembly()).add(index, value, LOG_TOPIC + " transaction " + id);
            highestTransactionId = Math.max(highestTransactionId, id);
        });
        List<CommitRecord> recorded = new ArrayList<>();
        chunks.forEach((id, parts) -> {
            if (!parts.isComplete()) {
                LOG.info("transaction {} was not wholly recorded when the broker stopped ({} of {} chunks): it never"
                        + " started and is dropped", id, parts.found(), parts.count());
                stateLog.append(new InternalStateLog.Entry(completionKey(id), null));
                return;
            }
            CommitRecord record = CommitRecord.decode(ByteBuffer.wrap(parts.whole()));
            if (record.transactionId() != id) {
                throw new IllegalStateException(LOG_TOPIC + ": the chunks of transaction " + id + " hold transaction "
                        + record.transactionId());
            }
            open.put(id, parts.values());
            recorded.add(record);
        });
        return recorded;
    }

    /** @return the highest transaction id the log held at start, 0 if none */
    synchronized long highestTransactionId() {
        return highestTransactionId;
    }

    /**
     * Appends a commit record; completes once all of it is durable.
     *
     * @throws io.strand.log.LogStorageException if the log cannot take it; what was appended of it is dropped
     *                                           at the next start, as a commit that never started
     */
    synchronized CompletableFuture<Void> record(CommitRecord record) {
        byte[] encoded = record.encode();
        List<byte[]> values = Chunks.split(encoded, chunkBytes);
        CompletableFuture<Void> durable = null;
        for (int i = 0; i < values.size(); i++) {
            // Later chunks reach the disk with or after the earlier ones: waiting for the last covers them all.
            durable = stateLog.append(new InternalStateLog.Entry(chunkKey(record.transactionId(), i), values.get(i)));
        }
        open.put(record.transactionId(), values);
        bytesSinceSnapshot += encoded.length;
        return durable;
    }

    /** Marks a commit complete; completes once the tombstone is durable. Compacts the log when due. */
    synchronized CompletableFuture<Void> complete(long transactionId) {
        open.remove(transactionId);
        CompletableFuture<Void> durable = stateLog.append(new InternalStateLog.Entry(completionKey(transactionId), null));
        snapshotIfDue();
        return durable;
    }

    /** @return the number of commits recorded and not completed */
    synchronized int openCommits() {
        return open.size();
    }

    private void snapshotIfDue() {
        int liveRecords = 0;
        for (List<byte[]> values : open.values()) {
            liveRecords += values.size();
        }
        if (!stateLog.snapshotDue(liveRecords) && bytesSinceSnapshot <= SNAPSHOT_BYTES) {
            return;
        }
        long start = stateLog.beginSnapshot();
        long bytes = 0;
        for (Map.Entry<Long, List<byte[]>> commit : open.entrySet()) {
            List<byte[]> values = commit.getValue();
            for (int i = 0; i < values.size(); i++) {
                stateLog.append(new InternalStateLog.Entry(chunkKey(commit.getKey(), i), values.get(i)));
                bytes += values.get(i).length;
            }
        }
        stateLog.completeSnapshot(start, liveRecords);
        bytesSinceSnapshot = bytes;
    }

    private static byte[] chunkKey(long transactionId, int index) {
        return ByteBuffer.allocate(12).putLong(transactionId).putInt(index).array();
    }

    private static byte[] completionKey(long transactionId) {
        return ByteBuffer.allocate(8).putLong(transactionId).array();
    }
}
