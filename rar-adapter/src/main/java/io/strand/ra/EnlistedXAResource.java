package io.strand.ra;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XA resource a managed connection gives the container: the provider's, plus the bookkeeping that tells the
 * managed connection when it is inside a global transaction, so the sessions its application handles open then
 * are the XA session's ({@link StrandManagedConnection#sessionForCurrentTransaction()}).
 *
 * <p>{@code isSameRM} looks through this wrapper, so the container can join branches of the same broker.
 */
final class EnlistedXAResource implements XAResource {
    /** Told when work for a transaction starts on, or ends on, this connection. */
    interface Association {
        void associated(boolean inTransaction);
    }

    private final XAResource provider;
    private final Association association;

    EnlistedXAResource(XAResource provider, Association association) {
        this.provider = provider;
        this.association = association;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        provider.start(xid, flags);
        association.associated(true);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        try {
            provider.end(xid, flags);
        } finally {
            association.associated(false);
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return provider.prepare(xid);
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        provider.commit(xid, onePhase);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        provider.rollback(xid);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        provider.forget(xid);
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        return provider.recover(flag);
    }

    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        final XAResource unwrapped = other instanceof EnlistedXAResource enlisted ? enlisted.provider : other;
        return provider.isSameRM(unwrapped);
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        return provider.getTransactionTimeout();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return provider.setTransactionTimeout(seconds);
    }
}
