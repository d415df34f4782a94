package io.strand.broker;

import io.strand.log.LogManager;
import io.strand.protocol.XaTransactions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal log {@code $xa} (an {@link InternalStateLog}): every prepared XA branch from its prepare until its
 * outcome, the outcomes the broker still remembers, and the identity of the resource manager these branches belong
 * to. Replayed at start, so that a branch prepared before a crash is still prepared after it.
 *
 * <pre>
 *   key int8 0                                the resource manager id: value, a UUID in UTF-8, written once
 *   key int8 1, Xid, int32 chunk index        a chunk of a prepared branch (see {@link PreparedBranch}, {@link Chunks})
 *   key int8 2, Xid                           the branch's outcome: value int8 outcome; a null value forgets it
 * </pre>
 *
 * A branch counts as prepared once every chunk is durable; one found with chunks missing after a crash was never
 * answered, and is recorded as rolled back. An outcome ends the branch's chunks.
 *
 * <p>Outcomes are remembered so that a transaction manager repeating a commit or rollback whose answer it lost gets
 * the same answer: the {@value #REMEMBERED_OUTCOMES} most recent ones, then the branch is unknown (a transaction
 * manager takes XAER_NOTA there as "already completed"). Outcomes an operator decided (heuristic) are remembered
 * until the transaction manager forgets them.
 *
 * <p>Compaction: when the log has grown far past its live records, or {@value #SNAPSHOT_BYTES} bytes were recorded
 * since the last snapshot, the identity, the prepared branches and the remembered outcomes are appended again and
 * the segments before them deleted.
 *
 * <p>Thread-safe: every method locks this object, which then takes the state log's lock, never the reverse.
 */
final class XaTransactionLog {
    private static final Logger LOG = LoggerFactory.getLogger(XaTransactionLog.class);
    static final String LOG_TOPIC = "$xa";
    static final int REMEMBERED_OUTCOMES = 10_000;
    static final long SNAPSHOT_BYTES = 64L << 20;
    private static final byte IDENTITY = 0;
    private static final byte CHUNK = 1;
    private static final byte OUTCOME = 2;

    /** How a branch ended. Ids are stable in the log. */
    enum Outcome {
        COMMITTED(1, false),
        ROLLED_BACK(2, false),
        /** An operator committed it before the transaction manager decided. */
        HEURISTIC_COMMIT(3, true),
        /** An operator rolled it back before the transaction manager decided. */
        HEURISTIC_ROLLBACK(4, true);

        final byte id;
        final boolean heuristic;

        Outcome(int id, boolean heuristic) {
            this.id = (byte) id;
            this.heuristic = heuristic;
        }

        static Outcome forId(byte id) {
            for (Outcome o : values()) {
                if (o.id == id) {
                    return o;
                }
            }
            throw new IllegalStateException(LOG_TOPIC + " holds an outcome with unknown id " + id);
        }

        boolean committed() {
            return this == COMMITTED || this == HEURISTIC_COMMIT;
        }
    }

    /** The branches prepared and not decided when the broker stopped, in the order they were prepared. */
    record Replayed(List<PreparedBranch> prepared) {
    }

    private final InternalStateLog stateLog;
    private final int chunkBytes;
    private String resourceManagerId;
    /** The chunk values of every branch prepared and not decided. */
    private final Map<XaTransactions.BranchId, List<byte[]>> prepared = new LinkedHashMap<>();
    /** Outcomes of branches decided by their transaction manager: the most recent ones. */
    private final Map<XaTransactions.BranchId, Outcome> recent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<XaTransactions.BranchId, Outcome> eldest) {
            return size() > REMEMBERED_OUTCOMES;
        }
    };
    /** Outcomes an operator decided, until forgotten. */
    private final Map<XaTransactions.BranchId, Outcome> heuristic = new LinkedHashMap<>();
    private long bytesSinceSnapshot;

    private XaTransactionLog(InternalStateLog stateLog, int chunkBytes) {
        this.stateLog = stateLog;
        this.chunkBytes = chunkBytes;
    }

    /** Opens the log; {@link #replay} it before anything else. */
    static XaTransactionLog open(LogManager logs) {
        return new XaTransactionLog(InternalStateLog.open(logs, LOG_TOPIC), Chunks.chunkBytes(logs, LOG_TOPIC));
    }

    /**
     * Replays the log: the branches still prepared, in the order they were prepared, and the outcomes remembered.
     * A new log gets its resource manager id here, durable before this returns.
     */
    synchronized Replayed replay() {
        Map<XaTransactions.BranchId, Chunks.Assembly> chunks = new LinkedHashMap<>();
        stateLog.replay((key, value) -> {
            ByteBuffer k = key.duplicate();
            byte kind = k.hasRemaining() ? k.get() : -1;
            switch (kind) {
                case IDENTITY -> resourceManagerId = StandardCharsets.UTF_8.decode(value.duplicate()).toString();
                case CHUNK -> {
                    XaTransactions.BranchId xid = XidBytes.get(k);
                    int index = k.getInt();
                    chunks.computeIfAbsent(xid, x -> new Chunks.Assembly()).add(index, value, "prepared branch " + xid);
                    recent.remove(xid);
                    heuristic.remove(xid);
                }
                case OUTCOME -> {
                    XaTransactions.BranchId xid = XidBytes.get(k);
                    chunks.remove(xid);
                    recent.remove(xid);
                    heuristic.remove(xid);
                    if (value != null) {
                        remember(xid, Outcome.forId(value.duplicate().get()));
                    }
                }
                default -> throw new IllegalStateException(LOG_TOPIC + " holds a record of unknown kind " + kind);
            }
        });
        List<PreparedBranch> branches = new ArrayList<>();
        chunks.forEach((xid, parts) -> {
            if (!parts.isComplete()) {
                LOG.info("XA branch {} was not wholly prepared when the broker stopped ({} of {} chunks): its prepare"
                        + " was never answered, so it is rolled back", xid, parts.found(), parts.count());
                stateLog.append(outcomeEntry(xid, Outcome.ROLLED_BACK));
                remember(xid, Outcome.ROLLED_BACK);
                return;
            }
            PreparedBranch branch = PreparedBranch.decode(ByteBuffer.wrap(parts.whole()));
            if (!branch.xid().equals(xid)) {
                throw new IllegalStateException(LOG_TOPIC + ": the chunks of branch " + xid + " hold branch "
                        + branch.xid());
            }
            prepared.put(xid, parts.values());
            branches.add(branch);
        });
        if (resourceManagerId == null) {
            resourceManagerId = UUID.randomUUID().toString();
            stateLog.append(identityEntry()).join();
            LOG.info("this broker's data is XA resource manager {}", resourceManagerId);
        }
        return new Replayed(branches);
    }

    /** What identifies this broker's data, and so its prepared branches, for as long as the data lives. */
    synchronized String resourceManagerId() {
        return resourceManagerId;
    }

    /**
     * Records a prepared branch; completes once all of it is durable.
     *
     * @throws io.strand.log.LogStorageException if the log cannot take it; what was appended of it is rolled back
     *                                           at the next start
     */
    synchronized CompletableFuture<Void> prepared(PreparedBranch branch) {
        byte[] encoded = branch.encode();
        List<byte[]> values = Chunks.split(encoded, chunkBytes);
        byte[] xid = XidBytes.of(branch.xid());
        CompletableFuture<Void> durable = null;
        for (int i = 0; i < values.size(); i++) {
            // Later chunks reach the disk with or after the earlier ones: waiting for the last covers them all.
            durable = stateLog.append(new InternalStateLog.Entry(chunkKey(xid, i), values.get(i)));
        }
        prepared.put(branch.xid(), values);
        recent.remove(branch.xid());
        heuristic.remove(branch.xid());
        bytesSinceSnapshot += encoded.length;
        return durable;
    }

    /** Records a branch's outcome, which ends its prepared record; completes once durable. Compacts when due. */
    synchronized CompletableFuture<Void> decided(XaTransactions.BranchId xid, Outcome outcome) {
        prepared.remove(xid);
        remember(xid, outcome);
        CompletableFuture<Void> durable = stateLog.append(outcomeEntry(xid, outcome));
        snapshotIfDue();
        return durable;
    }

    /** Forgets a branch's outcome; completes once durable. */
    synchronized CompletableFuture<Void> forget(XaTransactions.BranchId xid) {
        recent.remove(xid);
        heuristic.remove(xid);
        CompletableFuture<Void> durable = stateLog.append(new InternalStateLog.Entry(outcomeKey(xid), null));
        snapshotIfDue();
        return durable;
    }

    /** @return how the branch ended, or null when it is prepared, unknown or forgotten */
    synchronized Outcome outcome(XaTransactions.BranchId xid) {
        Outcome outcome = heuristic.get(xid);
        return outcome != null ? outcome : recent.get(xid);
    }

    /** @return the branches an operator decided and the transaction manager has not forgotten yet */
    synchronized List<XaTransactions.BranchId> heuristicallyCompleted() {
        return List.copyOf(heuristic.keySet());
    }

    private void remember(XaTransactions.BranchId xid, Outcome outcome) {
        if (outcome.heuristic) {
            heuristic.put(xid, outcome);
        } else {
            recent.put(xid, outcome);
        }
    }

    private void snapshotIfDue() {
        // The remembered outcomes are left out of the count: they are small and many, and counting them would let the
        // log grow to 64 records for each before it is compacted.
        int liveRecords = 1 + heuristic.size();
        for (List<byte[]> values : prepared.values()) {
            liveRecords += values.size();
        }
        if (!stateLog.snapshotDue(liveRecords) && bytesSinceSnapshot <= SNAPSHOT_BYTES) {
            return;
        }
        long start = stateLog.beginSnapshot();
        stateLog.append(identityEntry());
        long bytes = 0;
        for (Map.Entry<XaTransactions.BranchId, List<byte[]>> branch : prepared.entrySet()) {
            byte[] xid = XidBytes.of(branch.getKey());
            List<byte[]> values = branch.getValue();
            for (int i = 0; i < values.size(); i++) {
                stateLog.append(new InternalStateLog.Entry(chunkKey(xid, i), values.get(i)));
                bytes += values.get(i).length;
            }
        }
        recent.forEach((xid, outcome) -> stateLog.append(outcomeEntry(xid, outcome)));
        heuristic.forEach((xid, outcome) -> stateLog.append(outcomeEntry(xid, outcome)));
        stateLog.completeSnapshot(start, liveRecords);
        bytesSinceSnapshot = bytes;
    }

    private InternalStateLog.Entry identityEntry() {
        return new InternalStateLog.Entry(new byte[] {IDENTITY}, resourceManagerId.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] chunkKey(byte[] xid, int index) {
        return ByteBuffer.allocate(1 + xid.length + 4).put(CHUNK).put(xid).putInt(index).array();
    }

    private static byte[] outcomeKey(XaTransactions.BranchId xid) {
        byte[] bytes = XidBytes.of(xid);
        return ByteBuffer.allocate(1 + bytes.length).put(OUTCOME).put(bytes).array();
    }

    private static InternalStateLog.Entry outcomeEntry(XaTransactions.BranchId xid, Outcome outcome) {
        return new InternalStateLog.Entry(outcomeKey(xid), new byte[] {outcome.id});
    }
}
