package io.strand.jms;

import io.strand.jms.client.ConsumerCore;
import io.strand.jms.client.Delivery;
import jakarta.jms.JMSException;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicSession;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicSession;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.transaction.xa.XAResource;

/**
 * A session whose transactions a transaction manager controls through its {@link XAResource} (JMS 3.1 §6.2.8,
 * the {@code XASession} interface). It is also its own {@code Session}, {@code QueueSession} and {@code TopicSession}.
 *
 * <p>Inside a transaction branch — between the resource's {@code start} and {@code end} — the session is transacted:
 * its sends are staged and the messages it receives are acknowledged only by the branch's commit, exactly as in a
 * local transaction, but the work belongs to the branch ({@link BranchWork}) and is prepared, committed or rolled back
 * by the transaction manager.
 *
 * <p><b>Outside any branch</b> the session behaves as a non-transacted session in {@code AUTO_ACKNOWLEDGE} mode: a
 * send goes to the broker at once and a message is acknowledged when {@code receive} returns it or {@code onMessage}
 * returns. The specification leaves this open; it is what an application server expects of a session used with no
 * transaction active, and what {@link #getAcknowledgeMode()} cannot say (it reports {@code SESSION_TRANSACTED}, since an
 * XA session is transacted). {@link #commit} and {@link #rollback} throw {@link TransactionInProgressException}
 * always; {@link #recover} works outside a branch and throws {@code IllegalStateException} inside one.
 *
 * <p>A consumer closed while messages it delivered belong to a branch not yet prepared or decided stays open on the
 * broker, detached from the application, until that branch is prepared or ends, so that its acknowledgements still
 * apply. Closing the session while a branch is active on it marks that branch rollback-only.
 *
 * <p>Threading: as any session, used by one thread at a time; the transaction manager may call the resource from
 * another thread between uses. The branch association is guarded by this object.
 */
public class StrandXASession extends StrandSession implements XASession, XAQueueSession, XATopicSession {
    private final StrandXAResource resource;
    /** The branch this session works for now, or null outside any branch, and the work it does for it. */
    private volatile XaBranch active;
    private volatile BranchWork activeWork;
    /** The branch work of this session not yet prepared or ended, in any branch. */
    private final List<BranchWork> openWork = new ArrayList<>();
    /** Consumers closed while open branch work holds messages they delivered. */
    private final List<ConsumerCore> detached = new ArrayList<>();
    /** The branches this session worked for that are not decided yet. */
    private final Set<XaBranch> branches = new LinkedHashSet<>();

    /**
     * @param requestedMode not used: an XA session's mode follows its branches (the parameter lets the connection
     *                      make it as it makes every session)
     */
    StrandXASession(StrandConnection connection, int requestedMode) {
        super(connection, Session.AUTO_ACKNOWLEDGE);
        this.resource = new StrandXAResource(this);
    }

    @Override
    public XAResource getXAResource() {
        return resource;
    }

    @Override
    public Session getSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public QueueSession getQueueSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public TopicSession getTopicSession() throws JMSException {
        checkOpen();
        return this;
    }

    /** An XA session is transacted, by a transaction manager (the {@code XASession} javadoc). */
    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return true;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return SESSION_TRANSACTED;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("commit() is not for an XASession: its transactions are committed"
                + " through its XAResource, by a transaction manager");
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("rollback() is not for an XASession: its transactions are rolled"
                + " back through its XAResource, by a transaction manager");
    }

    // ---- the mode of the moment -----------------------------------------------------------------

    @Override
    int acknowledgeModeUnchecked() {
        return active != null ? SESSION_TRANSACTED : AUTO_ACKNOWLEDGE;
    }

    @Override
    StagingTransaction stagingTransaction() {
        return activeWork;
    }

    @Override
    boolean keepOpenForTransaction(ConsumerCore core) {
        synchronized (this) {
            boolean held = active != null && acknowledgements().hasUnacknowledged(core.consumerId());
            for (BranchWork work : openWork) {
                held |= work.holdsDeliveriesOf(core.consumerId());
            }
            if (!held) {
                return false;
            }
            detached.add(core);
        }
        core.detach();
        return true;
    }

    /**
     * The session closes: a branch it is working for must roll back; a prepared branch no longer needs its work
     * settled here (its messages cannot be delivered again to a closed session), so it forgets this session.
     */
    @Override
    void endTransactionOnClose() {
        final List<XaBranch> mine;
        synchronized (this) {
            mine = List.copyOf(branches);
        }
        for (XaBranch branch : mine) {
            branch.sessionClosing(this);
        }
    }

    // ---- branch association, for the resource ---------------------------------------------------

    XaBranch activeBranch() {
        return active;
    }

    /** The session works for {@code branch} from now on; its work is added to the branch's. */
    synchronized void associate(XaBranch branch, BranchWork work) {
        activeWork = work;
        active = branch;
        branches.add(branch);
        if (!openWork.contains(work)) {
            openWork.add(work);
        }
    }

    /**
     * The session stops working for its branch: what it received meanwhile goes to {@code work}. Waits for the
     * listener in progress, so that its message is among them.
     */
    void dissociate(BranchWork work) {
        dispatcher().awaitIdle(); // returns at once when the listener itself ends the branch
        synchronized (this) {
            active = null;
            activeWork = null;
        }
        final List<Delivery> received = acknowledgements().takeUnacknowledged();
        work.collect(received);
    }

    /** A branch this session worked for was decided (or forgotten). */
    synchronized void branchEnded(XaBranch branch) {
        branches.remove(branch);
    }

    /**
     * Branch work of this session was prepared or ended: consumers kept open for it alone are closed now; after a
     * prepare the broker holds their records for the branch itself.
     */
    void workEnded(BranchWork work) {
        final List<ConsumerCore> toClose = new ArrayList<>();
        synchronized (this) {
            openWork.remove(work);
            for (ConsumerCore core : List.copyOf(detached)) {
                boolean held = active != null && acknowledgements().hasUnacknowledged(core.consumerId());
                for (BranchWork other : openWork) {
                    held |= other.holdsDeliveriesOf(core.consumerId());
                }
                if (!held) {
                    detached.remove(core);
                    toClose.add(core);
                }
            }
        }
        final List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (ConsumerCore core : toClose) {
            closed.add(core.close());
            acknowledgements().forgetConsumer(core.consumerId());
        }
        try {
            CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0]))
                    .get(connection().options().requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The branch's outcome stands; a consumer the broker did not close goes with its connection.
        }
    }
}
