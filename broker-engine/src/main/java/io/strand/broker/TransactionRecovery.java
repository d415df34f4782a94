package io.strand.broker;

import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes, when the broker starts and before it serves anyone, every commit that was recorded in the
 * transaction log but not completed: a crash came between its commit record and the end of its appends.
 * For each target partition it counts the batches carrying the commit's stamp from the recorded log end
 * offset on (see {@link CommitRecord}) and appends the ones missing, so every batch of the commit ends up
 * in its partition exactly once; then it marks the commit complete.
 *
 * <p>The acknowledgements of such a commit are not applied again: their consumers are gone with the
 * crash, and the records they acknowledged are delivered again, with {@code JMSRedelivered} set and the
 * delivery count raised, which JMS permits after a failure.
 *
 * <p>The commit of a prepared XA branch is the exception: its record names the branch, and once its batches are
 * in place the branch's own acknowledgements (held queue records, durable subscription positions, kept with the
 * prepared branch) are applied and its outcome recorded, by the {@link XaCommits} given, before the commit is
 * marked complete; a transaction manager repeating the commit then finds it committed.
 *
 * <p>A target whose destination was deleted meanwhile is skipped with a warning: its messages have nowhere
 * to go. Single-threaded: runs once, at start.
 */
final class TransactionRecovery {
    /** Finishes the commit of a prepared XA branch once its batches are appended. */
    @FunctionalInterface
    interface XaCommits {
        /** Applies the branch's acknowledgements and records it committed; returns once durable. */
        void finishCommit(io.strand.protocol.XaTransactions.BranchId xid);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TransactionRecovery.class);
    private static final int SCAN_BYTES = 1 << 20;

    private final TransactionLog transactions;
    private final DestinationRegistry destinations;
    private final XaCommits xaCommits;

    /** Recovery for a broker without prepared XA branches: a commit record naming one is refused. */
    TransactionRecovery(TransactionLog transactions, DestinationRegistry destinations) {
        this(transactions, destinations, xid -> {
            throw new IllegalStateException("the commit of XA branch " + xid + " cannot be finished here");
        });
    }

    TransactionRecovery(TransactionLog transactions, DestinationRegistry destinations, XaCommits xaCommits) {
        this.transactions = transactions;
        this.destinations = destinations;
        this.xaCommits = xaCommits;
    }

    /** Replays the transaction log and finishes every commit found open; returns how many there were. */
    int finishRecordedCommits() {
        List<CommitRecord> recorded = transactions.replay();
        for (CommitRecord commit : recorded) {
            finish(commit);
        }
        if (!recorded.isEmpty()) {
            LOG.info("finished {} commit(s) recorded before the broker stopped", recorded.size());
        }
        return recorded.size();
    }

    private void finish(CommitRecord commit) {
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        int appended = 0;
        int present = 0;
        for (int index = 0; index < commit.targets().size(); index++) {
            CommitRecord.Target target = commit.targets().get(index);
            PartitionLog log = partitionOf(commit, target);
            if (log == null) {
                continue;
            }
            int batches = target.batchCount();
            int found = countStamped(log, commit, index, target.endOffset());
            present += Math.min(found, batches);
            if (found >= batches) {
                continue;
            }
            // Batches of one target were appended together in order, so the ones found are the first ones.
            ByteBuffer missing = target.batchesAfter(found);
            // Received by an earlier run, or by another broker before a failover: not this broker's traffic.
            long next = TransactionCommitter.appendInTurn(log, missing, Traffic.NONE);
            appended += batches - found;
            durable.add(log.awaitCommitted(next));
        }
        CompletableFuture.allOf(durable.toArray(new CompletableFuture<?>[0])).join();
        if (commit.xid() != null) {
            xaCommits.finishCommit(commit.xid());
        }
        transactions.complete(commit.transactionId()).join();
        LOG.info("commit of transaction {}{} finished after the restart: {} batch(es) appended, {} found in place",
                commit.transactionId(), commit.xid() == null ? "" : " (XA branch " + commit.xid() + ")", appended, present);
    }

    private PartitionLog partitionOf(CommitRecord commit, CommitRecord.Target target) {
        Destination destination;
        try {
            destination = destinations.lookup(target.type(), target.destination(), false);
            return destination.partition(target.partition());
        } catch (BrokerException gone) {
            LOG.warn("commit of transaction {}: {} is gone ({}); its records there are dropped", commit.transactionId(),
                    target, gone.getMessage());
            return null;
        }
    }

    /** Counts the batches of {@code log} from {@code fromOffset} on that carry the commit's stamp for target {@code index}. */
    private static int countStamped(PartitionLog log, CommitRecord commit, int index, long fromOffset) {
        // The recorded end may lie past the end now (records of others that were never forced), or before the start.
        long next = Math.max(log.logStartOffset(), Math.min(fromOffset, log.logEndOffset()));
        int found = 0;
        RecordBatch batch = new RecordBatch();
        while (next < log.logEndOffset()) {
            ByteBuffer batches;
            try (FileSlice slice = log.read(next, SCAN_BYTES, log.logEndOffset())) {
                if (slice.isEmpty()) {
                    break;
                }
                batches = slice.readIntoHeap();
                next = slice.nextOffset();
            } catch (OffsetOutOfRangeException removed) {
                next = log.logStartOffset();
                continue;
            }
            for (int pos = 0; pos < batches.limit(); pos += batch.sizeInBytes()) {
                if (commit.stamped(batch.wrap(batches, pos), index)) {
                    found++;
                }
            }
        }
        return found;
    }
}
