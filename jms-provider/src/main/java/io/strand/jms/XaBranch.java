package io.strand.jms;

import io.netty.buffer.Unpooled;
import io.strand.jms.client.BrokerException;
import io.strand.jms.client.ConnectionLostException;
import io.strand.jms.client.WireConnection;
import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Transactions;
import io.strand.protocol.XaTransactions;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

/**
 * One XA transaction branch as the client knows it, from {@code start} until it is prepared, committed or rolled
 * back: which sessions are associated with it (active or suspended), the work each did ({@link BranchWork}), and
 * whether it must roll back (ended with {@code TMFAIL}, timed out, its session closed, its connection lost).
 *
 * <p>Branches are registered per resource manager (the broker's identity from its handshake) and Xid for the whole
 * JVM, so that any {@link StrandXAResource} of the same broker can end, prepare, commit or roll back a branch another
 * one started — a transaction manager may use whichever resource it holds — and so that sessions of several
 * connections can join one branch. Sends and acknowledgements always leave on the connection of the session that
 * made them: acknowledgements name consumers, which belong to their connection. A branch whose work spans several
 * connections is prepared with one {@code XA_PREPARE} per connection ({@link XaTransactions}); its one-phase commit
 * is a prepare and a commit, since one {@code COMMIT} covers one connection only.
 *
 * <p>Once prepared, the broker holds the branch; the client keeps it only to settle its work when the outcome comes
 * through any resource of the JVM: acknowledgements held back behind it, messages to deliver again after a rollback.
 * A commit or rollback by Xid of a branch this JVM never saw (a transaction manager's recovery) goes to the broker
 * alone.
 *
 * <p>Thread-safe: operations on one branch are serialized on it; a session's own thread never waits for it.
 */
final class XaBranch {
    private static final System.Logger LOG = System.getLogger(XaBranch.class.getName());

    /** A branch's identity: its resource manager and its Xid. */
    record Key(String resourceManagerId, XaTransactions.BranchId xid) {
    }

    /** Where a branch is: open (taking work), prepared on the broker, or maybe prepared (the answer was lost). */
    private enum Phase {
        OPEN, PREPARED, PREPARE_IN_DOUBT
    }

    private static final ConcurrentMap<Key, XaBranch> BRANCHES = new ConcurrentHashMap<>();

    private final Key key;
    private final long deadlineMs;
    /** Sessions associated with the branch: true while active, false while suspended. */
    private final Map<StrandXASession, Boolean> associations = new LinkedHashMap<>();
    private final Map<StrandXASession, BranchWork> works = new LinkedHashMap<>();
    private Phase phase = Phase.OPEN;
    /** 0, or the XA_RB* code the branch must roll back with, and why. */
    private int rollbackCode;
    private String rollbackReason;

    private XaBranch(Key key, long timeoutMs) {
        this.key = key;
        this.deadlineMs = timeoutMs > 0 ? System.currentTimeMillis() + timeoutMs : 0;
    }

    /**
     * Starts a new branch ({@code start} with {@code TMNOFLAGS}).
     *
     * @param timeoutMs how long it may take until its prepare, 0 for no limit
     * @throws XAException XAER_DUPID when this JVM knows the Xid already
     */
    static XaBranch begin(Key key, long timeoutMs) throws XAException {
        final XaBranch branch = new XaBranch(key, timeoutMs);
        if (BRANCHES.putIfAbsent(key, branch) != null) {
            throw XaErrors.of(XAException.XAER_DUPID, "XA branch " + key.xid() + " exists already");
        }
        return branch;
    }

    /** @return the branch this JVM knows by that key, or null */
    static XaBranch find(Key key) {
        return BRANCHES.get(key);
    }

    XaTransactions.BranchId xid() {
        return key.xid();
    }

    // ---- association ----------------------------------------------------------------------------

    /**
     * Associates a session with the branch: {@code start} with {@code TMNOFLAGS} ({@code joining} false) or
     * {@code TMJOIN}.
     */
    synchronized void join(StrandXASession session, boolean joining) throws XAException {
        requireOpen("start");
        if (joining) {
            expireIfDue();
            if (rollbackCode != 0) {
                throw XaErrors.of(rollbackCode, "XA branch " + key.xid() + " is marked rollback-only: " + rollbackReason);
            }
        }
        if (associations.containsKey(session)) {
            throw XaErrors.of(XAException.XAER_PROTO, "the session is associated with XA branch " + key.xid()
                    + " already" + (associations.get(session) ? "" : "; resume it with TMRESUME"));
        }
        final BranchWork work = works.computeIfAbsent(session, BranchWork::new);
        associations.put(session, true);
        session.associate(this, work);
    }

    /** Resumes a suspended association ({@code start} with {@code TMRESUME}). */
    synchronized void resume(StrandXASession session) throws XAException {
        requireOpen("start");
        if (!Boolean.FALSE.equals(associations.get(session))) {
            throw XaErrors.of(XAException.XAER_PROTO, "the session has no suspended association with XA branch "
                    + key.xid() + " to resume");
        }
        expireIfDue();
        if (rollbackCode != 0) {
            throw XaErrors.of(rollbackCode, "XA branch " + key.xid() + " is marked rollback-only: " + rollbackReason);
        }
        associations.put(session, true);
        session.associate(this, works.get(session));
    }

    /** Ends or suspends a session's association ({@code end}); throws XA_RB* when the branch must roll back. */
    synchronized void end(StrandXASession session, int flags) throws XAException {
        final Boolean active = associations.get(session);
        if (active == null) {
            throw XaErrors.of(XAException.XAER_PROTO, "the session is not associated with XA branch " + key.xid());
        }
        if (flags == XAResource.TMSUSPEND) {
            if (!active) {
                throw XaErrors.of(XAException.XAER_PROTO, "the association with XA branch " + key.xid()
                        + " is suspended already");
            }
            session.dissociate(works.get(session));
            associations.put(session, false);
        } else {
            if (active) {
                session.dissociate(works.get(session));
            }
            associations.remove(session);
            if (flags == XAResource.TMFAIL) {
                markRollbackOnly(XAException.XA_RBROLLBACK, "its work was ended with TMFAIL");
                return;
            }
        }
        final BranchWork work = works.get(session);
        if (session.connection().isClosedOrLost() || work != null && work.receivedOnLostConnection()) {
            markRollbackOnly(XAException.XA_RBCOMMFAIL, "the connection of a session that worked for it is lost");
        }
        expireIfDue();
        if (rollbackCode != 0) {
            throw XaErrors.of(rollbackCode, "XA branch " + key.xid() + " is marked rollback-only: " + rollbackReason);
        }
    }

    /**
     * A session that worked for the branch closes. Associated with it, its work stays with the branch, which must
     * roll back. Once the branch is prepared, the broker holds everything: the session's work needs no settling any
     * more, and a branch left with no work is forgotten here (its transaction manager decides it through any
     * resource, by Xid).
     */
    synchronized void sessionClosing(StrandXASession session) {
        if (Boolean.TRUE.equals(associations.get(session))) {
            session.dissociate(works.get(session));
        }
        if (associations.remove(session) != null) {
            markRollbackOnly(XAException.XA_RBROLLBACK, "a session was closed while working for it");
        }
        if (phase != Phase.OPEN && works.remove(session) != null && works.isEmpty()) {
            BRANCHES.remove(key, this);
        }
    }

    // ---- prepare and commit ---------------------------------------------------------------------

    /**
     * Prepares the branch on the broker.
     *
     * @return {@link XAResource#XA_OK} or {@link XAResource#XA_RDONLY} (the branch changed nothing; it is forgotten)
     */
    synchronized int prepare(long requestTimeoutMs) throws XAException {
        requireOpen("prepare");
        requireEnded("prepare");
        rollBackIfMarked();
        return prepareOnBroker(requestTimeoutMs);
    }

    /** Commits the branch in one phase: one COMMIT when its work came from one connection. */
    synchronized void commitOnePhase(long requestTimeoutMs) throws XAException {
        requireOpen("commit in one phase");
        requireEnded("commit");
        rollBackIfMarked();
        final Map<StrandConnection, List<BranchWork>> byConnection = workByConnection();
        if (byConnection.isEmpty()) {
            finish(true, false);
            return;
        }
        if (byConnection.size() > 1) {
            final StrandConnection via = byConnection.keySet().iterator().next();
            try {
                if (prepareOnBroker(requestTimeoutMs) == XAResource.XA_RDONLY) {
                    return;
                }
            } catch (XAException e) {
                if (phase != Phase.PREPARE_IN_DOUBT) {
                    throw e;
                }
                // No transaction manager resolves a one-phase commit (it logged nothing), so a prepare whose answer
                // was lost with the broker would hold its records until an operator decides it. The broker that
                // serves the connection after the failover knows whether the prepare took effect: commit by Xid
                // there, which it either does or refuses as unknown, and then the branch is rolled back.
                LOG.log(System.Logger.Level.INFO, "{0}; committing it by Xid once a broker answers",
                        e.getMessage());
            }
            decidePrepared(via, true, requestTimeoutMs);
            return;
        }
        final Map.Entry<StrandConnection, List<BranchWork>> only = byConnection.entrySet().iterator().next();
        final StrandConnection connection = only.getKey();
        final WireConnection wire = liveWireOf(connection, only.getValue(), requestTimeoutMs);
        if (wire == null) {
            finish(false, false);
            throw XaErrors.of(XAException.XA_RBCOMMFAIL, "XA branch " + key.xid() + " is rolled back: the connection"
                    + " its work came from is lost");
        }
        final Transactions.CommitRequest request = requestOf(only.getValue());
        final CompletableFuture<?> answer;
        try {
            answer = wire.sendForStatus(ApiKey.COMMIT, request::writeTo);
        } finally {
            request.records().forEach(r -> r.records().release());
        }
        final Throwable failure = awaitOutcome(answer, requestTimeoutMs);
        if (failure == null) {
            finish(true, false);
            return;
        }
        if (failure instanceof BrokerException refused && !SessionTransaction.leavesOutcomeUnknown(refused.error())) {
            finish(false, false);
            throw XaErrors.of(XAException.XA_RBROLLBACK, "XA branch " + key.xid() + " is rolled back, nothing of it"
                    + " was applied: " + refused.status().describe(), refused);
        }
        // In doubt: the broker may have committed. Nothing is delivered again; what was not applied goes back
        // to the queue when its consumer closes.
        abandonAll();
        throw XaErrors.of(XAException.XAER_RMFAIL, "the outcome of the one-phase commit of XA branch " + key.xid()
                + " is unknown (" + describe(failure) + ")", failure);
    }

    /** Rolls back a branch that is not prepared: its sends are dropped, what it received is delivered again. */
    synchronized void rollbackOpen() throws XAException {
        if (associations.containsValue(Boolean.TRUE)) {
            markRollbackOnly(XAException.XA_RBROLLBACK, "it was rolled back while a session worked for it");
            throw XaErrors.of(XAException.XAER_PROTO, "XA branch " + key.xid() + " still has a session working for"
                    + " it; end that first (it is marked rollback-only)");
        }
        associations.clear();
        finish(false, false);
    }

    /** @return whether the branch is open: not yet handed to the broker by a prepare */
    synchronized boolean isOpen() {
        return phase == Phase.OPEN;
    }

    /** @return whether the broker may or may not have prepared the branch: its prepare's answer was lost */
    synchronized boolean isPrepareInDoubt() {
        return phase == Phase.PREPARE_IN_DOUBT;
    }

    /**
     * The broker decided the prepared branch (committed, or rolled back and made its queue records available):
     * settles the work in the sessions and forgets the branch.
     *
     * @param releasedByBroker for a rollback: whether the broker gave the queue records back to the queue itself
     */
    synchronized void decided(boolean committed, boolean releasedByBroker) {
        finish(committed, releasedByBroker);
    }

    /**
     * Asks the broker for the outcome of a prepared branch, through {@code via}, then settles the work.
     */
    void decidePrepared(StrandConnection via, boolean commit, long requestTimeoutMs) throws XAException {
        decide(key, via, commit, requestTimeoutMs);
    }

    /**
     * Commits or rolls back a prepared branch by Xid on the broker, through {@code via}, and settles what this JVM
     * knows of it.
     */
    static void decide(Key key, StrandConnection via, boolean commit, long requestTimeoutMs) throws XAException {
        final XaBranch local = find(key);
        final String what = (commit ? "committing" : "rolling back") + " XA branch " + key.xid();
        if (via.isClosedOrLost()) {
            throw XaErrors.of(XAException.XAER_RMFAIL, what + ": the connection to the broker is lost");
        }
        final XaTransactions.BranchRequest request = new XaTransactions.BranchRequest(key.xid());
        // The broker answers a decision it has taken already with its outcome, so one whose answer is lost goes again.
        final CompletableFuture<?> answer = via.cluster().sendForStatusIdempotent(
                commit ? ApiKey.XA_COMMIT : ApiKey.XA_ROLLBACK, request::writeTo);
        final Throwable failure;
        try {
            failure = SessionTransaction.outcome(answer, requestTimeoutMs);
        } catch (JMSException interrupted) {
            throw XaErrors.of(XAException.XAER_RMFAIL, what + ": interrupted while waiting for the broker", interrupted);
        }
        if (failure == null) {
            if (local != null) {
                local.decided(commit, true);
            }
            return;
        }
        final XAException error = XaErrors.forFailure(failure, what, commit);
        if (local != null) {
            switch (error.errorCode) {
                case XAException.XA_HEURCOM -> local.decided(true, true);
                case XAException.XA_RBROLLBACK, XAException.XA_HEURRB -> local.decided(false, true);
                case XAException.XAER_PROTO -> {
                    if (!commit) { // a rollback refused because the branch was committed
                        local.decided(true, true);
                    }
                }
                case XAException.XAER_NOTA -> {
                    if (local.isPrepareInDoubt()) {
                        // Its prepare never took effect: the records are still (or again) with their consumers.
                        local.decided(false, false);
                        if (!commit) {
                            return;
                        }
                        throw XaErrors.of(XAException.XA_RBROLLBACK, what + ": its prepare never reached the broker,"
                                + " so it is rolled back", failure);
                    }
                    local.decided(false, true);
                }
                default -> { }
            }
        }
        throw error;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private int prepareOnBroker(long requestTimeoutMs) throws XAException {
        final Map<StrandConnection, List<BranchWork>> byConnection = workByConnection();
        if (byConnection.isEmpty()) {
            finish(true, false);
            return XAResource.XA_RDONLY;
        }
        final Map<StrandConnection, WireConnection> wires = new LinkedHashMap<>();
        for (Map.Entry<StrandConnection, List<BranchWork>> part : byConnection.entrySet()) {
            final WireConnection wire = liveWireOf(part.getKey(), part.getValue(), requestTimeoutMs);
            if (wire == null) {
                finish(false, false); // the work of live connections is delivered again, the rest forgotten
                throw XaErrors.of(XAException.XA_RBCOMMFAIL, "XA branch " + key.xid() + " is rolled back: a connection"
                        + " its work came from is lost");
            }
            wires.put(part.getKey(), wire);
        }
        final List<CompletableFuture<XaTransactions.PrepareResponse>> answers = new ArrayList<>();
        for (Map.Entry<StrandConnection, List<BranchWork>> part : byConnection.entrySet()) {
            final Transactions.CommitRequest work = requestOf(part.getValue());
            try {
                final XaTransactions.PrepareRequest request = new XaTransactions.PrepareRequest(key.xid(),
                        byConnection.size(), work);
                answers.add(wires.get(part.getKey()).send(ApiKey.XA_PREPARE, request::writeTo,
                        XaTransactions.PrepareResponse::readFrom, XaTransactions.PrepareResponse::status));
            } finally {
                work.records().forEach(r -> r.records().release());
            }
        }
        Throwable refusal = null;
        Throwable doubt = null;
        XaTransactions.Vote vote = null;
        for (CompletableFuture<XaTransactions.PrepareResponse> answer : answers) {
            final Throwable failure = awaitOutcome(answer, requestTimeoutMs);
            if (failure == null) {
                vote = answer.join().vote();
            } else if (failure instanceof BrokerException b && !SessionTransaction.leavesOutcomeUnknown(b.error())) {
                refusal = refusal == null ? failure : refusal;
            } else {
                doubt = doubt == null ? failure : doubt;
            }
        }
        if (refusal != null) {
            // The broker rolled the whole branch back and gave its records back to their consumers.
            finish(false, false);
            final BrokerException b = (BrokerException) refusal;
            throw XaErrors.of(b.error() == ErrorCode.TRANSACTION_ROLLED_BACK ? XAException.XA_RBROLLBACK
                    : XAException.XA_RBINTEGRITY, "XA branch " + key.xid() + " is rolled back, its prepare was refused: "
                    + b.status().describe(), refusal);
        }
        if (doubt != null) {
            phase = Phase.PREPARE_IN_DOUBT;
            works.values().forEach(w -> w.session().workEnded(w));
            throw XaErrors.of(doubt instanceof BrokerException ? XAException.XAER_RMERR : XAException.XAER_RMFAIL,
                    "the prepare of XA branch " + key.xid() + " failed (" + describe(doubt) + "); the broker may hold"
                            + " it prepared until it is rolled back", doubt);
        }
        if (vote == XaTransactions.Vote.READ_ONLY) {
            finish(true, false);
            return XAResource.XA_RDONLY;
        }
        phase = Phase.PREPARED;
        // The broker holds the branch's queue records now: consumers kept open for them alone may close.
        works.values().forEach(w -> w.session().workEnded(w));
        return XAResource.XA_OK;
    }

    /**
     * @return the broker connection a connection's part of the branch leaves on: the one in use (after the failover
     *         under way, if any), where the consumers its acknowledgements name are open; null when the work may be
     *         lost — the connection is closed or lost for good, or the work received messages on a broker connection
     *         lost since (their acknowledgements can no longer be applied; the broker delivers them again)
     */
    private static WireConnection liveWireOf(StrandConnection connection, List<BranchWork> works, long timeoutMs)
            throws XAException {
        if (connection.isClosedOrLost() || receivedOnLostConnection(works)) {
            return null;
        }
        final WireConnection wire;
        try {
            wire = connection.cluster().usableWire().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw XaErrors.of(XAException.XAER_RMFAIL, "interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            return null; // lost for good meanwhile
        }
        // A failover may have ended just now: what was received before it is lost with the connection it came on.
        return receivedOnLostConnection(works) ? null : wire;
    }

    private static boolean receivedOnLostConnection(List<BranchWork> works) {
        for (BranchWork work : works) {
            if (work.receivedOnLostConnection()) {
                return true;
            }
        }
        return false;
    }

    /** The non-empty work of the branch, grouped by the connection it must leave on. */
    private Map<StrandConnection, List<BranchWork>> workByConnection() {
        final Map<StrandConnection, List<BranchWork>> byConnection = new LinkedHashMap<>();
        for (BranchWork work : works.values()) {
            if (!work.isEmpty()) {
                byConnection.computeIfAbsent(work.connection(), c -> new ArrayList<>()).add(work);
            }
        }
        return byConnection;
    }

    /** The request of several sessions' work on one connection: one entry per partition, as a COMMIT wants. */
    private static Transactions.CommitRequest requestOf(List<BranchWork> works) {
        final Map<String, Transactions.PartitionRecords> records = new LinkedHashMap<>();
        final List<Transactions.QueueAcks> queueAcks = new ArrayList<>();
        final List<Transactions.TopicAck> topicAcks = new ArrayList<>();
        for (BranchWork work : works) {
            final Transactions.CommitRequest one = work.request();
            for (Transactions.PartitionRecords r : one.records()) {
                records.merge(r.type() + "\0" + r.destination() + "\0" + r.partition(), r,
                        (a, b) -> new Transactions.PartitionRecords(a.type(), a.destination(), a.partition(),
                                Unpooled.wrappedBuffer(a.records(), b.records())));
            }
            queueAcks.addAll(one.queueAcks());
            topicAcks.addAll(one.topicAcks());
        }
        return new Transactions.CommitRequest(List.copyOf(records.values()), queueAcks, topicAcks);
    }

    private void requireOpen(String what) throws XAException {
        if (phase != Phase.OPEN) {
            throw XaErrors.of(XAException.XAER_PROTO, "cannot " + what + " XA branch " + key.xid()
                    + ": it is prepared already");
        }
    }

    private void requireEnded(String what) throws XAException {
        if (!associations.isEmpty()) {
            throw XaErrors.of(XAException.XAER_PROTO, "cannot " + what + " XA branch " + key.xid() + ": "
                    + associations.size() + " session(s) are still associated with it (active or suspended); end them"
                    + " first");
        }
    }

    private void rollBackIfMarked() throws XAException {
        expireIfDue();
        if (rollbackCode != 0) {
            final int code = rollbackCode;
            finish(false, false);
            throw XaErrors.of(code, "XA branch " + key.xid() + " is rolled back: " + rollbackReason);
        }
    }

    private void expireIfDue() {
        if (deadlineMs > 0 && rollbackCode == 0 && System.currentTimeMillis() > deadlineMs) {
            markRollbackOnly(XAException.XA_RBTIMEOUT, "it was not prepared within its transaction timeout");
        }
    }

    private void markRollbackOnly(int code, String reason) {
        if (rollbackCode == 0) {
            rollbackCode = code;
            rollbackReason = reason;
        }
    }

    /** Settles every session's work and forgets the branch. */
    private void finish(boolean committed, boolean releasedByBroker) {
        BRANCHES.remove(key, this);
        final List<BranchWork> all = List.copyOf(works.values());
        works.clear();
        all.forEach(w -> w.session().branchEnded(this));
        for (BranchWork work : all) {
            if (committed) {
                work.committed();
            } else if (work.connection().isClosedOrLost()) {
                work.abandoned();
            } else {
                work.rolledBack(releasedByBroker);
            }
        }
    }

    /** Forgets the branch without acting on its work: its one-phase commit's outcome is unknown. */
    private void abandonAll() {
        BRANCHES.remove(key, this);
        final List<BranchWork> all = List.copyOf(works.values());
        works.clear();
        all.forEach(w -> w.session().branchEnded(this));
        all.forEach(BranchWork::abandoned);
    }

    private static Throwable awaitOutcome(CompletableFuture<?> answer, long timeoutMs) throws XAException {
        try {
            return SessionTransaction.outcome(answer, timeoutMs);
        } catch (JMSException interrupted) {
            throw XaErrors.of(XAException.XAER_RMFAIL, "interrupted while waiting for the broker", interrupted);
        }
    }

    private static String describe(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return "the broker did not answer in time";
        }
        if (failure instanceof ConnectionLostException) {
            return "the connection to the broker is lost";
        }
        return failure instanceof BrokerException b ? b.status().describe() : String.valueOf(failure.getMessage());
    }

    @Override
    public String toString() {
        return "XaBranch[" + key.xid() + ", " + phase + "]";
    }
}
