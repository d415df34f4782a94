package io.strand.broker;

import io.netty.channel.EventLoop;
import io.strand.admin.DescribeTransactions;
import io.strand.log.LogStorageException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.Transactions;
import io.strand.protocol.XaTransactions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the XA apis ({@link XaTransactions}): prepares branches, commits and rolls them back by Xid from any
 * connection, lists them for a transaction manager's recovery, forgets heuristic outcomes; and lets an operator
 * decide a prepared branch ({@link #decide}).
 *
 * <p>Prepare: each part of a branch (one per connection its work came from) is checked like a COMMIT — batches,
 * destinations, consumers — and the queue records it acknowledges are taken from their consumer at once, so that
 * they cannot go back to the queue if that consumer or its connection closes. Once every part has come, the
 * branch is recorded in the {@code $xa} log and the holds in the share-group log, and every part is answered when
 * both are durable. A part refused, a connection closing, or parts missing after {@value #ASSEMBLY_TIMEOUT_MS} ms
 * roll the whole branch back: the records taken go back to their consumers, every part is answered with an error.
 *
 * <p>Commit: the batches are appended as a recorded commit naming the branch ({@link TransactionCommitter}), then
 * the acknowledgements are applied and the outcome recorded ({@link PreparedBranches}). Rollback: the held records
 * become available again. Both answer once the outcome is durable.
 *
 * <p>Threading: requests run on their connection's event loop; the assemblies of branches being prepared are
 * guarded by this object, which is never held while share groups are changed.
 */
final class XaCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(XaCoordinator.class);
    /** How long the parts of one branch may take to come, counted from the first. */
    static final long ASSEMBLY_TIMEOUT_MS = 30_000;

    /** Records one part took from a consumer: given back to it if the prepare fails. */
    private record Taken(PreparedBranch.Hold hold, QueueConsumer consumer) {
    }

    /** One connection's part of a branch being prepared, checked, waiting for its answer. */
    private record Part(ClientConnection connection, FrameHeader header, List<PreparedBranch.Target> targets,
                        List<Taken> taken, List<PreparedBranch.Position> positions) {
    }

    /** The parts of one branch that came so far. */
    private static final class Assembly {
        final XaTransactions.BranchId xid;
        final int expected;
        final List<Part> parts = new ArrayList<>();
        ScheduledFuture<?> timeout;

        Assembly(XaTransactions.BranchId xid, int expected) {
            this.xid = xid;
            this.expected = expected;
        }
    }

    private final PreparedBranches branches;
    private final TransactionCommitter committer;
    private final DestinationRegistry destinations;
    private final ShareGroups shareGroups;
    private final Map<XaTransactions.BranchId, Assembly> assemblies = new HashMap<>();
    /**
     * Branches whose prepare in parts failed lately, with when that is forgotten and why it failed: a part still on
     * its way is refused at once instead of waiting for parts that will never come.
     */
    private final Map<XaTransactions.BranchId, Aborted> aborted = new HashMap<>();

    private record Aborted(long untilMs, String why) {
    }

    XaCoordinator(PreparedBranches branches, TransactionCommitter committer, DestinationRegistry destinations,
                  ShareGroups shareGroups) {
        this.branches = branches;
        this.committer = committer;
        this.destinations = destinations;
        this.shareGroups = shareGroups;
    }

    /** What identifies this broker's data as an XA resource manager. */
    String resourceManagerId() {
        return branches.resourceManagerId();
    }

    // ---- prepare ------------------------------------------------------------------------------

    void prepare(ClientConnection c, FrameHeader h, XaTransactions.PrepareRequest request) {
        XaTransactions.BranchId xid = request.xid();
        if (request.parts() > 1) {
            String why = abortedLately(xid);
            if (why != null) {
                throw new BrokerException(ErrorCode.TRANSACTION_ROLLED_BACK, "XA branch " + xid + " is rolled back: "
                        + why);
            }
        }
        Part part;
        try {
            part = checkPart(c, h, request.work());
        } catch (RuntimeException refused) {
            // This part is answered with its refusal by the connection handler; the parts waiting are rolled back,
            // and those still to come will be.
            String why = "another part of its work was refused: " + refused.getMessage();
            if (request.parts() > 1) {
                rememberAborted(xid, why);
            }
            abort(takeAssembly(xid), why);
            throw refused;
        }
        Assembly complete = null;
        String mismatch = null;
        String refusedMeanwhile = null;
        synchronized (this) {
            Assembly assembly = assemblies.get(xid);
            if (assembly == null && request.parts() > 1) {
                // Another part may have been refused on another connection since the check above, before this part
                // had an assembly to roll back: this part would wait for parts that never come.
                refusedMeanwhile = abortedLately(xid);
            }
            if (refusedMeanwhile == null) {
                if (assembly == null) {
                    assembly = new Assembly(xid, request.parts());
                    assemblies.put(xid, assembly);
                    if (request.parts() > 1) {
                        Assembly waiting = assembly;
                        assembly.timeout = c.channel().eventLoop().schedule(() -> timedOut(waiting),
                                ASSEMBLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    }
                } else if (assembly.expected != request.parts()) {
                    mismatch = "a part of XA branch " + xid + " says it has " + request.parts()
                            + " parts, an earlier one " + assembly.expected;
                }
                assembly.parts.add(part);
                complete = mismatch == null && assembly.parts.size() == assembly.expected
                        ? assemblies.remove(xid) : null;
            }
        }
        if (refusedMeanwhile != null) {
            Assembly alone = new Assembly(xid, request.parts());
            alone.parts.add(part);
            abortWith(alone, ResponseStatus.of(ErrorCode.TRANSACTION_ROLLED_BACK, "XA branch " + xid
                    + " is rolled back: " + refusedMeanwhile));
            return;
        }
        if (mismatch != null) {
            abort(takeAssembly(xid), mismatch);
            return;
        }
        if (complete != null) {
            if (complete.timeout != null) {
                complete.timeout.cancel(false);
            }
            prepared(complete);
        }
    }

    /**
     * Checks one part and takes the queue records it acknowledges; a refusal takes nothing.
     *
     * @throws BrokerException naming what is wrong
     */
    private Part checkPart(ClientConnection c, FrameHeader h, Transactions.CommitRequest work) {
        List<PreparedBranch.Target> targets = new ArrayList<>();
        for (TransactionCommitter.Target t : committer.targets(work.records())) {
            ByteBuffer copy = ByteBuffer.allocate(t.batches().remaining());
            copy.put(t.batches().duplicate()).flip(); // the request's memory is released when this call returns
            targets.add(new PreparedBranch.Target(t.destination().type(), t.destination().name(), t.partition(), copy));
        }
        List<PreparedBranch.Position> positions = new ArrayList<>();
        for (Transactions.TopicAck ack : work.topicAcks()) {
            if (!(c.consumer(ack.consumerId()) instanceof TopicConsumer consumer)) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + ack.consumerId()
                        + " reads a queue: its acknowledgements are record ranges");
            }
            consumer.checkDelivered(ack.partition(), ack.offset());
            DurableSubscription subscription = consumer.subscription();
            if (subscription != null) { // a non-durable subscriber's acknowledgement changes nothing on the broker
                positions.add(new PreparedBranch.Position(subscription.clientId(), subscription.name(),
                        subscription.topic(), ack.partition(), ack.offset() + 1));
            }
        }
        List<QueueConsumer> consumers = new ArrayList<>();
        for (Transactions.QueueAcks acks : work.queueAcks()) {
            if (!(c.consumer(acks.consumerId()) instanceof QueueConsumer consumer)) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + acks.consumerId()
                        + " reads a topic: its acknowledgements are topic offsets");
            }
            consumer.share(acks.partition());
            for (Shares.AckRange range : acks.ranges()) {
                if (range.type() != Shares.AckType.ACCEPT) {
                    throw new BrokerException(ErrorCode.INVALID_REQUEST, "a transaction branch accepts the records it"
                            + " received; it cannot " + range.type() + " records " + range.firstOffset() + ".."
                            + range.lastOffset());
                }
            }
            consumers.add(consumer);
        }
        List<Taken> taken = new ArrayList<>();
        try {
            for (int i = 0; i < consumers.size(); i++) {
                QueueConsumer consumer = consumers.get(i);
                Transactions.QueueAcks acks = work.queueAcks().get(i);
                List<Shares.OffsetRange> offsets = consumer.share(acks.partition()).takeForPrepare(consumer, acks.ranges());
                if (!offsets.isEmpty()) {
                    ShareGroupSource source = consumer.source();
                    taken.add(new Taken(new PreparedBranch.Hold(source.destination().type(), source.destination().name(),
                            source.group(), acks.partition(), offsets), consumer));
                }
            }
        } catch (RuntimeException refused) {
            taken.forEach(t -> branches.giveBack(t.hold(), t.consumer()));
            throw refused;
        }
        return new Part(c, h, targets, taken, merge(positions));
    }

    /** Every part has come: records the branch, or answers read-only when it changes nothing. */
    private void prepared(Assembly assembly) {
        PreparedBranch branch = merge(assembly);
        if (branch.isEmpty()) {
            answerAll(assembly, new XaTransactions.PrepareResponse(ResponseStatus.OK, XaTransactions.Vote.READ_ONLY));
            return;
        }
        try {
            branches.preparing(branch);
        } catch (BrokerException refused) {
            abortWith(assembly, ResponseStatus.of(refused.error(), refused.getMessage()));
            return;
        }
        List<CompletableFuture<Void>> holdsDurable = new ArrayList<>();
        for (Part part : assembly.parts) {
            for (Taken t : part.taken()) {
                holdsDurable.add(persistHold(t.hold()));
            }
        }
        branches.record(branch, holdsDurable).whenComplete((ok, error) -> {
            if (error == null) {
                answerAll(assembly, new XaTransactions.PrepareResponse(ResponseStatus.OK, XaTransactions.Vote.PREPARED));
                return;
            }
            LOG.error("XA branch {}: its prepare did not become durable: {}", branch.xid(),
                    TransactionCommitter.cause(error).toString());
            answerAll(assembly, new XaTransactions.PrepareResponse(ResponseStatus.of(ErrorCode.STORAGE_ERROR,
                    "the prepare of XA branch " + branch.xid() + " did not become durable: "
                            + TransactionCommitter.cause(error).getMessage()
                            + "; it stays prepared until it is rolled back"), null));
        });
    }

    private CompletableFuture<Void> persistHold(PreparedBranch.Hold hold) {
        SharePartition share = shareGroups.find(hold.group(), hold.partition());
        if (share == null) {
            return CompletableFuture.completedFuture(null); // its queue was deleted meanwhile, and the records with it
        }
        synchronized (share) {
            List<SharePartition.Change> changes = new ArrayList<>();
            share.persistPrepared(hold.offsets(), changes);
            return changes.isEmpty() ? CompletableFuture.completedFuture(null)
                    : shareGroups.persist(ShareGroups.key(hold.group(), hold.partition()), share, changes);
        }
    }

    private static PreparedBranch merge(Assembly assembly) {
        Map<String, PreparedBranch.Target> targets = new LinkedHashMap<>();
        List<PreparedBranch.Hold> holds = new ArrayList<>();
        List<PreparedBranch.Position> positions = new ArrayList<>();
        for (Part part : assembly.parts) {
            for (PreparedBranch.Target t : part.targets()) {
                // Two connections may send to the same partition: one target, batches in the order of the parts.
                targets.merge(t.type() + "\0" + t.destination() + "\0" + t.partition(), t, (a, b) -> {
                    ByteBuffer both = ByteBuffer.allocate(a.batches().remaining() + b.batches().remaining());
                    both.put(a.batches().duplicate()).put(b.batches().duplicate()).flip();
                    return new PreparedBranch.Target(a.type(), a.destination(), a.partition(), both);
                });
            }
            part.taken().forEach(t -> holds.add(t.hold()));
            positions.addAll(part.positions());
        }
        return new PreparedBranch(assembly.xid, List.copyOf(targets.values()), holds, merge(positions));
    }

    /** One position per subscription partition, the furthest. */
    private static List<PreparedBranch.Position> merge(List<PreparedBranch.Position> positions) {
        Map<String, PreparedBranch.Position> furthest = new LinkedHashMap<>();
        for (PreparedBranch.Position p : positions) {
            furthest.merge(p.clientId() + "\0" + p.subscription() + "\0" + p.partition(), p,
                    (a, b) -> a.nextOffset() >= b.nextOffset() ? a : b);
        }
        return List.copyOf(furthest.values());
    }

    private static void answerAll(Assembly assembly, XaTransactions.PrepareResponse response) {
        for (Part part : assembly.parts) {
            Responses.send(part.connection().channel(), part.header(), response::writeTo);
        }
    }

    private synchronized Assembly takeAssembly(XaTransactions.BranchId xid) {
        Assembly assembly = assemblies.remove(xid);
        if (assembly != null && assembly.timeout != null) {
            assembly.timeout.cancel(false);
        }
        return assembly;
    }

    private void timedOut(Assembly assembly) {
        synchronized (this) {
            if (assemblies.get(assembly.xid) != assembly) {
                return;
            }
            assemblies.remove(assembly.xid);
        }
        abort(assembly, assembly.parts.size() + " of its " + assembly.expected + " parts came within "
                + ASSEMBLY_TIMEOUT_MS + " ms");
    }

    private synchronized void rememberAborted(XaTransactions.BranchId xid, String why) {
        aborted.put(xid, new Aborted(System.currentTimeMillis() + ASSEMBLY_TIMEOUT_MS, why));
    }

    /** @return why the prepare of the branch failed lately, or null */
    private synchronized String abortedLately(XaTransactions.BranchId xid) {
        long now = System.currentTimeMillis();
        aborted.values().removeIf(a -> a.untilMs() < now);
        Aborted a = aborted.get(xid);
        return a == null ? null : a.why();
    }

    /** Rolls back a branch whose prepare cannot complete: gives the records back and answers every part. */
    private void abort(Assembly assembly, String why) {
        if (assembly == null) {
            return;
        }
        if (assembly.expected > 1) {
            rememberAborted(assembly.xid, why);
        }
        abortWith(assembly, ResponseStatus.of(ErrorCode.TRANSACTION_ROLLED_BACK, "XA branch " + assembly.xid
                + " is rolled back: " + why));
    }

    private void abortWith(Assembly assembly, ResponseStatus status) {
        LOG.info("the prepare of XA branch {} failed: {}", assembly.xid, status.describe());
        for (Part part : assembly.parts) {
            part.taken().forEach(t -> branches.giveBack(t.hold(), t.consumer()));
        }
        answerAll(assembly, new XaTransactions.PrepareResponse(status, null));
    }

    /** A connection closed: branches whose prepare waits for more parts and counts one from it are rolled back. */
    void disconnected(ClientConnection c) {
        List<Assembly> broken = new ArrayList<>();
        synchronized (this) {
            for (Assembly assembly : List.copyOf(assemblies.values())) {
                for (Part part : assembly.parts) {
                    if (part.connection() == c) {
                        assemblies.remove(assembly.xid);
                        if (assembly.timeout != null) {
                            assembly.timeout.cancel(false);
                        }
                        broken.add(assembly);
                        break;
                    }
                }
            }
        }
        broken.forEach(a -> abort(a, "a connection that sent a part of its work closed before every part came"));
    }

    // ---- decisions ----------------------------------------------------------------------------

    void commit(ClientConnection c, FrameHeader h, XaTransactions.BranchId xid) {
        PreparedBranch branch = branches.begin(xid, PreparedBranches.State.COMMITTING);
        if (branch == null) {
            Responses.status(c.channel(), h, ResponseStatus.OK); // committed already: the answer was lost
            return;
        }
        answerWhenDone(c, h, commit(branch, XaTransactionLog.Outcome.COMMITTED, c.channel().eventLoop()));
    }

    void rollback(ClientConnection c, FrameHeader h, XaTransactions.BranchId xid) {
        PreparedBranch branch = branches.begin(xid, PreparedBranches.State.ROLLING_BACK);
        if (branch == null) {
            Responses.status(c.channel(), h, ResponseStatus.OK); // rolled back already: the answer was lost
            return;
        }
        answerWhenDone(c, h, rollback(branch, XaTransactionLog.Outcome.ROLLED_BACK));
    }

    void recover(ClientConnection c, FrameHeader h) {
        XaTransactions.RecoverResponse response = new XaTransactions.RecoverResponse(ResponseStatus.OK,
                branches.recoverable());
        Responses.send(c.channel(), h, response::writeTo);
    }

    void forget(ClientConnection c, FrameHeader h, XaTransactions.BranchId xid) {
        answerWhenDone(c, h, branches.forget(xid));
    }

    /**
     * An operator decides a prepared branch before its transaction manager does (a heuristic decision): it is
     * committed or rolled back as the transaction manager would have, and its outcome is remembered as heuristic
     * until the transaction manager forgets it, so that its later commit or rollback learns what happened.
     *
     * @param loop the event loop to append on
     * @return completes once the outcome is durable
     * @throws BrokerException UNKNOWN_XID, TRANSACTION_BUSY, ... when the branch is not prepared
     */
    CompletableFuture<Void> decide(XaTransactions.BranchId xid, boolean commit, EventLoop loop) {
        PreparedBranch branch = branches.begin(xid, commit ? PreparedBranches.State.COMMITTING
                : PreparedBranches.State.ROLLING_BACK);
        if (branch == null) {
            throw new BrokerException(ErrorCode.INVALID_XA_STATE, "XA branch " + xid + " was "
                    + (commit ? "committed" : "rolled back") + " by its transaction manager already");
        }
        LOG.warn("XA branch {} is {} by an operator's decision, before its transaction manager decided", xid,
                commit ? "committed" : "rolled back");
        return commit ? commit(branch, XaTransactionLog.Outcome.HEURISTIC_COMMIT, loop)
                : rollback(branch, XaTransactionLog.Outcome.HEURISTIC_ROLLBACK);
    }

    /** The prepared branches with their states, then those an operator decided, for an operator. */
    List<DescribeTransactions.Branch> describe() {
        List<DescribeTransactions.Branch> all = new ArrayList<>();
        branches.states().forEach((xid, state) -> all.add(new DescribeTransactions.Branch(xid,
                state.name())));
        for (XaTransactions.BranchId xid : branches.heuristicallyCompleted()) {
            XaTransactionLog.Outcome outcome = branches.outcome(xid);
            if (outcome != null) {
                all.add(new DescribeTransactions.Branch(xid, outcome.name()));
            }
        }
        return all;
    }

    private CompletableFuture<Void> commit(PreparedBranch branch, XaTransactionLog.Outcome outcome, EventLoop loop) {
        List<TransactionCommitter.Target> targets = new ArrayList<>();
        for (PreparedBranch.Target t : branch.targets()) {
            try {
                Destination destination = destinations.lookup(t.type(), t.destination(), false);
                PartitionLog log = destination.partition(t.partition());
                targets.add(new TransactionCommitter.Target(destination, t.partition(), log, t.batches().duplicate()));
            } catch (BrokerException gone) {
                LOG.warn("XA branch {}: {} is gone ({}); its records there are dropped", branch.xid(), t,
                        gone.getMessage());
            }
        }
        CompletableFuture<Void> done;
        try {
            done = targets.isEmpty() ? branches.completeCommit(branch, outcome)
                    : committer.commitPrepared(branch.xid(), targets, loop,
                            () -> branches.completeCommit(branch, outcome));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        boolean appended = !targets.isEmpty();
        return done.whenComplete((ok, error) -> {
            if (error != null) {
                // With batches, a commit record may be durable: only the restart's recovery may finish it.
                branches.failed(branch.xid(), appended);
                LOG.error("XA branch {}: its commit failed: {}", branch.xid(), TransactionCommitter.cause(error).toString());
            }
        });
    }

    private CompletableFuture<Void> rollback(PreparedBranch branch, XaTransactionLog.Outcome outcome) {
        CompletableFuture<Void> done;
        try {
            done = branches.completeRollback(branch, outcome);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((ok, error) -> {
            if (error != null) {
                branches.failed(branch.xid(), false);
                LOG.error("XA branch {}: its rollback failed: {}", branch.xid(),
                        TransactionCommitter.cause(error).toString());
            }
        });
    }

    private static void answerWhenDone(ClientConnection c, FrameHeader h, CompletableFuture<Void> done) {
        done.whenComplete((ok, error) -> {
            if (error == null) {
                Responses.status(c.channel(), h, ResponseStatus.OK);
                return;
            }
            Throwable cause = TransactionCommitter.cause(error);
            ErrorCode code = cause instanceof BrokerException b ? b.error()
                    : cause instanceof LogStorageException ? ErrorCode.STORAGE_ERROR : ErrorCode.UNKNOWN_SERVER_ERROR;
            Responses.status(c.channel(), h, ResponseStatus.of(code, String.valueOf(cause.getMessage())));
        });
    }
}
