package io.strand.broker;

import io.strand.log.TopicPartition;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Shares;
import io.strand.protocol.XaTransactions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XA branches prepared on this broker and not yet decided, with the state of each, over the {@code $xa} log
 * ({@link XaTransactionLog}) that keeps them across restarts; and what a decision does to the rest of the broker:
 * a commit completes the queue records the branch held and moves the durable subscriptions it acknowledged, a
 * rollback makes the held records available again (their next delivery is a redelivery). The branch's batches
 * are appended by the caller ({@link XaCoordinator}, through {@link TransactionCommitter}).
 *
 * <p>A branch's life: {@link State#PREPARING} while its record is written, {@link State#PREPARED} once durable,
 * then {@link State#COMMITTING} or {@link State#ROLLING_BACK} while a decision is applied; when the outcome is
 * durable it leaves this registry and only its outcome is remembered, by the log. Prepared branches never time
 * out here: only their transaction manager (or an operator) decides them.
 *
 * <p>Thread-safe: the registry is guarded by this object, held only for state changes; the share groups and
 * subscriptions are changed outside it, under their own locks.
 */
final class PreparedBranches {
    private static final Logger LOG = LoggerFactory.getLogger(PreparedBranches.class);

    /** Where a branch is in its life. */
    enum State {
        PREPARING, PREPARED, COMMITTING, ROLLING_BACK
    }

    private static final class Entry {
        final PreparedBranch branch;
        State state;
        /** Set when a commit failed in storage once it may have been recorded: the restart finishes it. */
        boolean commitInDoubt;

        Entry(PreparedBranch branch, State state) {
            this.branch = branch;
            this.state = state;
        }
    }

    private final XaTransactionLog log;
    private final ShareGroups shareGroups;
    private final DurableSubscriptions subscriptions;
    private final DestinationRegistry destinations;
    private final PartitionWatchers watchers;
    private final Map<XaTransactions.BranchId, Entry> branches = new LinkedHashMap<>();

    private PreparedBranches(XaTransactionLog log, ShareGroups shareGroups, DurableSubscriptions subscriptions,
                             DestinationRegistry destinations, PartitionWatchers watchers) {
        this.log = log;
        this.shareGroups = shareGroups;
        this.subscriptions = subscriptions;
        this.destinations = destinations;
        this.watchers = watchers;
    }

    /** Replays the {@code $xa} log: every branch it holds is prepared. Call {@link #reconcileHolds} next. */
    static PreparedBranches load(XaTransactionLog log, ShareGroups shareGroups, DurableSubscriptions subscriptions,
                                 DestinationRegistry destinations, PartitionWatchers watchers) {
        PreparedBranches branches = new PreparedBranches(log, shareGroups, subscriptions, destinations, watchers);
        for (PreparedBranch branch : log.replay().prepared()) {
            branches.branches.put(branch.xid(), new Entry(branch, State.PREPARED));
        }
        if (!branches.branches.isEmpty()) {
            LOG.info("{} XA branch(es) are prepared and wait for their transaction manager's decision",
                    branches.branches.size());
        }
        return branches;
    }

    String resourceManagerId() {
        return log.resourceManagerId();
    }

    /**
     * After a restart, before anyone consumes: makes the share groups hold exactly the records of the prepared
     * branches. Both logs are forced before a prepare is answered, but a crash between their writes leaves a hold
     * without its branch (released here) or a branch whose hold was not written (held again here). Returns once
     * the changes are durable.
     */
    void reconcileHolds() {
        Map<String, Set<Long>> claimed = new HashMap<>();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (Entry entry : snapshot()) {
            for (PreparedBranch.Hold hold : entry.branch.holds()) {
                SharePartition share = shareOf(hold);
                if (share == null) {
                    LOG.warn("XA branch {}: the share group {} partition {} is gone; the records it held there are"
                            + " forgotten", entry.branch.xid(), hold.group(), hold.partition());
                    continue;
                }
                Set<Long> offsets = claimed.computeIfAbsent(ShareGroups.key(hold.group(), hold.partition()),
                        k -> new HashSet<>());
                synchronized (share) {
                    List<SharePartition.Change> changes = new ArrayList<>();
                    for (Shares.OffsetRange range : hold.offsets()) {
                        for (long offset = range.firstOffset(); offset <= range.lastOffset(); offset++) {
                            offsets.add(offset);
                            share.holdAgainForPrepared(offset, changes);
                        }
                    }
                    if (!changes.isEmpty()) {
                        durable.add(shareGroups.persist(ShareGroups.key(hold.group(), hold.partition()), share, changes));
                    }
                }
            }
        }
        int released = 0;
        for (Map.Entry<String, SharePartition> group : shareGroups.all().entrySet()) {
            SharePartition share = group.getValue();
            Set<Long> mine = claimed.getOrDefault(group.getKey(), Set.of());
            synchronized (share) {
                List<Long> orphans = new ArrayList<>();
                for (long offset : share.preparedOffsets()) {
                    if (!mine.contains(offset)) {
                        orphans.add(offset);
                    }
                }
                if (orphans.isEmpty()) {
                    continue;
                }
                List<SharePartition.Change> changes = new ArrayList<>();
                share.releasePrepared(SharePartition.asRanges(orphans), changes);
                durable.add(shareGroups.persist(group.getKey(), share, changes));
                released += orphans.size();
            }
        }
        CompletableFuture.allOf(durable.toArray(new CompletableFuture<?>[0])).join();
        if (released > 0) {
            LOG.info("released {} queue record(s) held for XA branches whose prepare never completed", released);
        }
    }

    // ---- states -------------------------------------------------------------------------------

    /**
     * Registers a branch being prepared.
     *
     * @throws BrokerException INVALID_XA_STATE if the Xid is prepared already or was decided by an operator
     */
    synchronized void preparing(PreparedBranch branch) {
        XaTransactions.BranchId xid = branch.xid();
        if (branches.containsKey(xid)) {
            throw new BrokerException(ErrorCode.INVALID_XA_STATE, "XA branch " + xid + " is prepared already");
        }
        XaTransactionLog.Outcome outcome = log.outcome(xid);
        if (outcome != null && outcome.heuristic) {
            throw new BrokerException(ErrorCode.INVALID_XA_STATE, "XA branch " + xid + " was decided by an operator ("
                    + outcome + ") and not forgotten yet");
        }
        branches.put(xid, new Entry(branch, State.PREPARING));
    }

    /**
     * Records a registered branch durably; once durable it is prepared. A storage failure leaves it prepared too,
     * in memory: the transaction manager, told the prepare failed, rolls it back.
     */
    CompletableFuture<Void> record(PreparedBranch branch, List<CompletableFuture<Void>> holdsDurable) {
        CompletableFuture<Void> recorded;
        try {
            recorded = log.prepared(branch);
        } catch (RuntimeException e) {
            recorded = CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Void>> all = new ArrayList<>(holdsDurable);
        all.add(recorded);
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).whenComplete((ok, error) -> {
            synchronized (this) {
                Entry entry = branches.get(branch.xid());
                if (entry != null && entry.state == State.PREPARING) {
                    entry.state = State.PREPARED;
                }
            }
        });
    }

    /**
     * Starts a decision on a prepared branch.
     *
     * @param decision {@link State#COMMITTING} or {@link State#ROLLING_BACK}
     * @return the branch, or null when it was decided already with the outcome the decision asks for (a repeated
     *         request: answer OK)
     * @throws BrokerException UNKNOWN_XID, TRANSACTION_ROLLED_BACK, HEURISTIC_COMMIT, HEURISTIC_ROLLBACK,
     *                         INVALID_XA_STATE or TRANSACTION_BUSY, as {@link XaTransactions} says
     */
    synchronized PreparedBranch begin(XaTransactions.BranchId xid, State decision) {
        boolean commit = decision == State.COMMITTING;
        Entry entry = branches.get(xid);
        if (entry == null) {
            XaTransactionLog.Outcome outcome = log.outcome(xid);
            if (outcome == null) {
                throw new BrokerException(ErrorCode.UNKNOWN_XID, "no XA branch " + xid + " is prepared on this broker,"
                        + " nor is its outcome remembered");
            }
            switch (outcome) {
                case HEURISTIC_COMMIT -> throw new BrokerException(ErrorCode.HEURISTIC_COMMIT, "XA branch " + xid
                        + " was committed by an operator's decision");
                case HEURISTIC_ROLLBACK -> throw new BrokerException(ErrorCode.HEURISTIC_ROLLBACK, "XA branch " + xid
                        + " was rolled back by an operator's decision");
                case COMMITTED -> {
                    if (commit) {
                        return null;
                    }
                    throw new BrokerException(ErrorCode.INVALID_XA_STATE, "XA branch " + xid
                            + " was committed; it cannot be rolled back");
                }
                case ROLLED_BACK -> {
                    if (!commit) {
                        return null;
                    }
                    throw new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK, "XA branch " + xid
                            + " was rolled back; it cannot be committed");
                }
                default -> throw new IllegalStateException("outcome " + outcome);
            }
        }
        if (entry.state != State.PREPARED) {
            String doing = switch (entry.state) {
                case PREPARING -> "is being prepared";
                case COMMITTING -> entry.commitInDoubt ? "had its commit fail in storage; the broker finishes it when"
                        + " it restarts" : "is being committed";
                case ROLLING_BACK -> "is being rolled back";
                case PREPARED -> throw new IllegalStateException();
            };
            throw new BrokerException(ErrorCode.TRANSACTION_BUSY, "XA branch " + xid + " " + doing);
        }
        entry.state = decision;
        return entry.branch;
    }

    /**
     * A decision failed before its outcome was durable: a commit whose storage failed stays committing (a restart
     * finishes it, since its commit record may be durable); anything else goes back to prepared.
     */
    synchronized void failed(XaTransactions.BranchId xid, boolean outcomeUnknown) {
        Entry entry = branches.get(xid);
        if (entry == null) {
            return;
        }
        if (entry.state == State.COMMITTING && outcomeUnknown) {
            entry.commitInDoubt = true;
        } else {
            entry.state = State.PREPARED;
        }
    }

    /** The branches a transaction manager has to decide or forget: prepared and undecided, or decided by an operator. */
    synchronized List<XaTransactions.BranchId> recoverable() {
        List<XaTransactions.BranchId> xids = new ArrayList<>();
        branches.forEach((xid, entry) -> {
            if (entry.state != State.PREPARING) {
                xids.add(xid);
            }
        });
        xids.addAll(log.heuristicallyCompleted());
        return xids;
    }

    /** The prepared branches with their states, for an operator. */
    synchronized Map<XaTransactions.BranchId, State> states() {
        Map<XaTransactions.BranchId, State> states = new LinkedHashMap<>();
        branches.forEach((xid, entry) -> states.put(xid, entry.state));
        return states;
    }

    /** The branches an operator decided whose outcome the transaction manager has not forgotten yet. */
    List<XaTransactions.BranchId> heuristicallyCompleted() {
        return log.heuristicallyCompleted();
    }

    /** @return the branch's outcome as the log remembers it, or null */
    XaTransactionLog.Outcome outcome(XaTransactions.BranchId xid) {
        return log.outcome(xid);
    }

    /**
     * Forgets the heuristic outcome of a branch; completes once durable.
     *
     * @throws BrokerException INVALID_XA_STATE for a branch still prepared, UNKNOWN_XID for one with no heuristic
     *                         outcome to forget
     */
    synchronized CompletableFuture<Void> forget(XaTransactions.BranchId xid) {
        if (branches.containsKey(xid)) {
            throw new BrokerException(ErrorCode.INVALID_XA_STATE, "XA branch " + xid + " is prepared and undecided;"
                    + " only a heuristic outcome can be forgotten");
        }
        XaTransactionLog.Outcome outcome = log.outcome(xid);
        if (outcome == null || !outcome.heuristic) {
            throw new BrokerException(ErrorCode.UNKNOWN_XID, "XA branch " + xid + " has no heuristic outcome to forget");
        }
        return log.forget(xid);
    }

    private synchronized List<Entry> snapshot() {
        return new ArrayList<>(branches.values());
    }

    // ---- decisions ----------------------------------------------------------------------------

    /**
     * Applies a committed branch's acknowledgements (its held queue records are done, its durable subscriptions move
     * on) and records the outcome; the batches are appended already. Completes once the outcome is durable.
     */
    CompletableFuture<Void> completeCommit(PreparedBranch branch, XaTransactionLog.Outcome outcome) {
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (PreparedBranch.Hold hold : branch.holds()) {
            SharePartition share = shareOf(hold);
            if (share == null) {
                continue; // the queue is gone, and its records with it
            }
            synchronized (share) {
                List<SharePartition.Change> changes = new ArrayList<>();
                share.completePrepared(hold.offsets(), changes);
                if (!changes.isEmpty()) {
                    durable.add(shareGroups.persist(ShareGroups.key(hold.group(), hold.partition()), share, changes));
                }
            }
        }
        for (PreparedBranch.Position position : branch.positions()) {
            durable.add(movePosition(branch.xid(), position));
        }
        shareGroups.snapshotIfDue();
        return decide(branch.xid(), outcome, durable);
    }

    /**
     * Rolls a branch back: its held queue records are available again, its batches and positions dropped. Completes
     * once the outcome is durable.
     */
    CompletableFuture<Void> completeRollback(PreparedBranch branch, XaTransactionLog.Outcome outcome) {
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (PreparedBranch.Hold hold : branch.holds()) {
            SharePartition share = shareOf(hold);
            if (share == null) {
                continue;
            }
            boolean released;
            synchronized (share) {
                List<SharePartition.Change> changes = new ArrayList<>();
                released = share.releasePrepared(hold.offsets(), changes);
                if (!changes.isEmpty()) {
                    durable.add(shareGroups.persist(ShareGroups.key(hold.group(), hold.partition()), share, changes));
                }
            }
            if (released) {
                wake(hold);
            }
        }
        shareGroups.snapshotIfDue();
        return decide(branch.xid(), outcome, durable);
    }

    /** Gives back, unpersisted, records taken for a prepare that failed before it was recorded. */
    void giveBack(PreparedBranch.Hold hold, QueueConsumer consumer) {
        SharePartition share = shareOf(hold);
        if (share == null) {
            return;
        }
        boolean released;
        synchronized (share) {
            released = share.giveBackPrepared(hold.offsets(), consumer == null || consumer.closed() ? null : consumer);
        }
        if (released) {
            wake(hold);
        }
    }

    /**
     * The commit of a branch recorded in the transaction log before a crash, whose batches recovery has appended:
     * finishes it as {@link #completeCommit} would, and returns once durable. A branch no longer prepared (its
     * outcome was recorded before the crash) needs nothing more.
     */
    void finishRecoveredCommit(XaTransactions.BranchId xid) {
        PreparedBranch branch;
        synchronized (this) {
            Entry entry = branches.get(xid);
            if (entry == null) {
                return;
            }
            entry.state = State.COMMITTING;
            branch = entry.branch;
        }
        completeCommit(branch, XaTransactionLog.Outcome.COMMITTED).join();
        LOG.info("XA branch {}: its commit, recorded before the broker stopped, is finished", xid);
    }

    private CompletableFuture<Void> decide(XaTransactions.BranchId xid, XaTransactionLog.Outcome outcome,
                                           List<CompletableFuture<Void>> changesDurable) {
        return CompletableFuture.allOf(changesDurable.toArray(new CompletableFuture<?>[0]))
                .thenCompose(v -> {
                    CompletableFuture<Void> decided;
                    synchronized (this) {
                        decided = log.decided(xid, outcome);
                        branches.remove(xid);
                    }
                    return decided;
                });
    }

    private CompletableFuture<Void> movePosition(XaTransactions.BranchId xid, PreparedBranch.Position position) {
        DurableSubscription subscription;
        try {
            subscription = subscriptions.find(position.clientId(), position.subscription());
        } catch (BrokerException gone) {
            LOG.warn("XA branch {}: durable subscription {}/{} is gone; its acknowledgement is dropped", xid,
                    position.clientId(), position.subscription());
            return CompletableFuture.completedFuture(null);
        }
        if (!subscription.topic().equals(position.topic())) {
            LOG.warn("XA branch {}: durable subscription {}/{} reads {} now, not {}; its acknowledgement is dropped",
                    xid, position.clientId(), position.subscription(), subscription.topic(), position.topic());
            return CompletableFuture.completedFuture(null);
        }
        return subscription.commit(position.partition(), position.nextOffset());
    }

    private SharePartition shareOf(PreparedBranch.Hold hold) {
        SharePartition share = shareGroups.find(hold.group(), hold.partition());
        if (share != null || hold.type() != DestinationType.QUEUE) {
            return share;
        }
        // A queue whose share group has no state yet (never persisted): it starts at the log start, as a consumer's would.
        try {
            Destination queue = destinations.lookup(DestinationType.QUEUE, hold.destination(), false);
            return shareGroups.partition(hold.group(), hold.partition(), queue.partition(hold.partition()).logStartOffset());
        } catch (BrokerException gone) {
            return null;
        }
    }

    private void wake(PreparedBranch.Hold hold) {
        try {
            Destination destination = destinations.lookup(hold.type(), hold.destination(), false);
            TopicPartition partition = destination.partition(hold.partition()).topicPartition();
            watchers.recordsAvailable(partition);
        } catch (BrokerException gone) {
            // No destination, no consumers to wake.
        }
    }
}
