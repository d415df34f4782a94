package io.strand.jms;

import io.strand.protocol.ApiKey;
import io.strand.protocol.XaTransactions;
import jakarta.jms.JMSException;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The {@link XAResource} of one {@link StrandXASession}: how a transaction manager puts the session's work into
 * transaction branches and settles them (X/Open XA, JTA).
 *
 * <ul>
 * <li>{@code start} ({@code TMNOFLAGS}, {@code TMJOIN}, {@code TMRESUME}) and {@code end} ({@code TMSUCCESS},
 *     {@code TMFAIL}: the branch must roll back, {@code TMSUSPEND}) associate the session with a branch; what it
 *     sends and receives meanwhile belongs to the branch ({@link XaBranch}, {@link BranchWork}).</li>
 * <li>{@code prepare} makes the branch durable on the broker, or answers {@link #XA_RDONLY} for a branch that did
 *     nothing (which is then forgotten); {@code commit} with {@code onePhase} commits an unprepared branch in one
 *     COMMIT, as a local transaction; {@code commit} and {@code rollback} of a prepared branch go to the broker by
 *     Xid, from this resource's connection, whichever connection prepared it; {@code rollback} of an unprepared
 *     branch drops its sends and delivers what it received again.</li>
 * <li>{@code recover} lists the branches the broker holds prepared (and those an operator decided, until
 *     {@code forget}): the whole list on {@code TMSTARTRSCAN}, nothing more on later calls of the same scan.</li>
 * <li>{@code isSameRM} is true for resources of the same broker, as its handshake identifies it, so a transaction
 *     manager may join sessions of several connections to one branch.</li>
 * <li>{@code setTransactionTimeout}: a branch started afterwards through this resource that is not prepared within
 *     that many seconds is marked rollback-only; its {@code prepare} (or one-phase commit) then rolls it back and
 *     throws {@code XA_RBTIMEOUT}. 0 (the default) means no limit. Prepared branches never time out.</li>
 * </ul>
 *
 * <p>Errors are those XA names: {@code XAER_NOTA} for an Xid nobody knows, {@code XAER_PROTO} for a call out of
 * sequence, {@code XAER_INVAL} for bad arguments, {@code XAER_RMFAIL} when the connection to the broker is lost or
 * the broker did not answer, {@code XA_RB*} for a branch rolled back, {@code XA_HEURCOM}/{@code XA_HEURRB} for a
 * branch an operator decided.
 *
 * <p>Thread-safe: a transaction manager may call it from any thread.
 */
final class StrandXAResource implements XAResource {
    private final StrandXASession session;
    private volatile int timeoutSeconds;
    /** Whether a recovery scan is open: it started and has not ended. */
    private boolean scanning;

    StrandXAResource(StrandXASession session) {
        this.session = session;
    }

    private StrandConnection connection() {
        return session.connection();
    }

    /** How long a call may wait for the broker: through a failover under way, then for the answer. */
    private long requestTimeoutMs() {
        return connection().options().callTimeoutMs();
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        final XaBranch.Key key = key(xid);
        if (flags != TMNOFLAGS && flags != TMJOIN && flags != TMRESUME) {
            throw XaErrors.of(XAException.XAER_INVAL, "start takes TMNOFLAGS, TMJOIN or TMRESUME, not flags " + flags);
        }
        checkUsable("start");
        final XaBranch current = session.activeBranch();
        if (current != null) {
            throw XaErrors.of(XAException.XAER_PROTO, "the session works for XA branch " + current.xid()
                    + " already; end that first");
        }
        if (flags == TMNOFLAGS) {
            XaBranch.begin(key, timeoutSeconds * 1000L).join(session, false);
            return;
        }
        final XaBranch branch = XaBranch.find(key);
        if (branch == null) {
            throw XaErrors.of(XAException.XAER_NOTA, "no XA branch " + key.xid() + " was started to "
                    + (flags == TMJOIN ? "join" : "resume"));
        }
        if (flags == TMJOIN) {
            branch.join(session, true);
        } else {
            branch.resume(session);
        }
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        final XaBranch.Key key = key(xid);
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw XaErrors.of(XAException.XAER_INVAL, "end takes TMSUCCESS, TMFAIL or TMSUSPEND, not flags " + flags);
        }
        final XaBranch branch = XaBranch.find(key);
        if (branch == null) {
            throw XaErrors.of(XAException.XAER_NOTA, "no XA branch " + key.xid() + " was started");
        }
        branch.end(session, flags);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        final XaBranch.Key key = key(xid);
        final XaBranch branch = XaBranch.find(key);
        if (branch == null) {
            throw XaErrors.of(XAException.XAER_NOTA, "no XA branch " + key.xid() + " is open to prepare here");
        }
        return branch.prepare(requestTimeoutMs());
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        final XaBranch.Key key = key(xid);
        final XaBranch branch = XaBranch.find(key);
        if (onePhase) {
            if (branch == null) {
                throw XaErrors.of(XAException.XAER_NOTA, "no XA branch " + key.xid() + " is open to commit in one"
                        + " phase");
            }
            branch.commitOnePhase(requestTimeoutMs());
            return;
        }
        if (branch != null && branch.isOpen()) {
            throw XaErrors.of(XAException.XAER_PROTO, "XA branch " + key.xid() + " is not prepared: prepare it, or"
                    + " commit it in one phase");
        }
        XaBranch.decide(key, connection(), true, requestTimeoutMs());
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        final XaBranch.Key key = key(xid);
        final XaBranch branch = XaBranch.find(key);
        if (branch != null && branch.isOpen()) {
            branch.rollbackOpen();
            return;
        }
        XaBranch.decide(key, connection(), false, requestTimeoutMs());
    }

    @Override
    public Xid[] recover(int flags) throws XAException {
        if (flags != TMNOFLAGS && flags != TMSTARTRSCAN && flags != TMENDRSCAN
                && flags != (TMSTARTRSCAN | TMENDRSCAN)) {
            throw XaErrors.of(XAException.XAER_INVAL, "recover takes TMSTARTRSCAN, TMENDRSCAN, both or TMNOFLAGS, not"
                    + " flags " + flags);
        }
        synchronized (this) {
            if ((flags & TMSTARTRSCAN) == 0) {
                if (!scanning) {
                    throw XaErrors.of(XAException.XAER_PROTO, "no recovery scan is open: start one with TMSTARTRSCAN");
                }
                scanning = (flags & TMENDRSCAN) == 0;
                return new Xid[0]; // the scan's start listed every branch
            }
        }
        checkUsable("recover");
        final XaTransactions.RecoverResponse response;
        try {
            response = JmsExceptions.await(connection().cluster().sendIdempotent(ApiKey.XA_RECOVER, body -> { },
                    XaTransactions.RecoverResponse::readFrom, XaTransactions.RecoverResponse::status),
                    requestTimeoutMs(), "listing the prepared XA branches");
        } catch (JMSException e) {
            throw XaErrors.of(connection().isClosedOrLost() ? XAException.XAER_RMFAIL : XAException.XAER_RMERR,
                    e.getMessage(), e);
        }
        synchronized (this) {
            scanning = (flags & TMENDRSCAN) == 0;
        }
        final List<XaTransactions.BranchId> branches = response.branches();
        final Xid[] xids = new Xid[branches.size()];
        for (int i = 0; i < xids.length; i++) {
            xids[i] = new StrandXid(branches.get(i));
        }
        return xids;
    }

    @Override
    public void forget(Xid xid) throws XAException {
        final XaBranch.Key key = key(xid);
        checkUsable("forget");
        final XaTransactions.BranchRequest request = new XaTransactions.BranchRequest(key.xid());
        try {
            JmsExceptions.await(connection().cluster().sendForStatus(ApiKey.XA_FORGET, request::writeTo),
                    requestTimeoutMs(), "forgetting XA branch " + key.xid());
        } catch (JMSException e) {
            throw XaErrors.forFailure(e.getCause() != null ? e.getCause() : e, "forgetting XA branch " + key.xid(),
                    false);
        }
    }

    /** True for a resource of the same broker: a branch may join sessions of both. */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        if (other == this) {
            return true;
        }
        if (!(other instanceof StrandXAResource strand)) {
            return false;
        }
        final String mine = connection().resourceManagerId();
        return mine != null && mine.equals(strand.connection().resourceManagerId());
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /** @param seconds how long a branch started afterwards may take until its prepare; 0 for no limit */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw XaErrors.of(XAException.XAER_INVAL, "a transaction timeout cannot be negative: " + seconds);
        }
        timeoutSeconds = seconds;
        return true;
    }

    /** The branch's key: this broker's identity and the Xid, checked. */
    private XaBranch.Key key(Xid xid) throws XAException {
        if (xid == null) {
            throw XaErrors.of(XAException.XAER_INVAL, "the Xid is null");
        }
        final String problem = XaTransactions.BranchId.problem(xid.getFormatId(), xid.getGlobalTransactionId(),
                xid.getBranchQualifier());
        if (problem != null) {
            throw XaErrors.of(XAException.XAER_INVAL, "the Xid is not valid: " + problem);
        }
        final String resourceManager = connection().resourceManagerId();
        if (resourceManager == null) {
            throw XaErrors.of(XAException.XAER_RMERR, "the broker at " + connection().cluster().description()
                    + " does not support XA transactions (it is older than this client)");
        }
        return new XaBranch.Key(resourceManager, new XaTransactions.BranchId(xid.getFormatId(),
                xid.getGlobalTransactionId(), xid.getBranchQualifier()));
    }

    private void checkUsable(String what) throws XAException {
        if (session.isClosing()) {
            throw XaErrors.of(XAException.XAER_RMFAIL, "cannot " + what + ": the session is closed");
        }
        if (connection().isClosedOrLost()) {
            throw XaErrors.of(XAException.XAER_RMFAIL, "cannot " + what + ": the connection to "
                    + connection().cluster().description() + " is closed or lost");
        }
    }

    @Override
    public String toString() {
        return "StrandXAResource[" + session.connection() + "]";
    }
}
