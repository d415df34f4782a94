package io.strand.ra;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled physical connection to the broker, with the sessions it keeps open between uses, and the
 * application handles ({@link ConnectionHandle}) currently on it.
 *
 * <p>Which physical session an application session uses depends on the container's transaction at the moment
 * the application creates it: inside a global transaction ({@link #getXAResource()}) the XA session, inside a
 * local transaction ({@link #getLocalTransaction()}) the transacted session, whose commit and rollback the
 * container drives; outside any transaction a non-transacted one. The
 * sessions stay open while the connection sits in the pool, so a pooled send costs no session set-up.
 *
 * <p>A failure of the physical connection is reported to the container as {@code CONNECTION_ERROR_OCCURRED},
 * after which this connection never serves a request again and the pool destroys it.
 *
 * <p>Threading: the container hands one managed connection to one thread at a time; the exception listener
 * runs on the provider's callback thread and only sets the failed flag and notifies the listeners.
 */
public final class StrandManagedConnection implements ManagedConnection {
    private static final System.Logger LOG = System.getLogger(StrandManagedConnection.class.getName());

    /** The container transaction this connection is in, which picks the physical session. */
    enum TransactionState { NONE, LOCAL, XA }

    private final StrandManagedConnectionFactory factory;
    private final XAConnection physical;
    private final Credentials credentials;
    private final String url;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionHandle> handles = new CopyOnWriteArrayList<>();
    private Session plainSession;
    private Session transactedSession;
    private XASession xaSession;
    private volatile TransactionState transaction = TransactionState.NONE;
    private volatile boolean failed;
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    StrandManagedConnection(StrandManagedConnectionFactory factory, XAConnection physical, Credentials credentials)
            throws ResourceException {
        this.factory = factory;
        this.physical = physical;
        this.credentials = credentials;
        this.url = factory.effectiveUrl();
        try {
            physical.setExceptionListener(this::connectionFailed);
            // Started once: application consumers receive at once, and JMS 3.1 §12 forbids stopping it.
            physical.start();
        } catch (JMSException e) {
            closePhysicalQuietly();
            throw new ResourceException("cannot set up the connection to " + url + ": " + e.getMessage(), e);
        }
    }

    // ---- matching ----------------------------------------------------------------------------

    /** @return whether this connection may serve a request of that factory for those credentials */
    boolean canServe(StrandManagedConnectionFactory requester, Credentials wanted) {
        return !failed && !destroyed && factory.equals(requester) && url.equals(requester.effectiveUrl())
                && credentials.equals(wanted);
    }

    // ---- handles -----------------------------------------------------------------------------

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        checkUsable();
        final ConnectionHandle handle = new ConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        checkUsable();
        if (!(connection instanceof ConnectionHandle handle)) {
            throw new IllegalStateException("not a Strand connection handle: "
                    + (connection == null ? "null" : connection.getClass().getName()));
        }
        final StrandManagedConnection previous = handle.reassociate(this);
        if (previous != null) {
            previous.handles.remove(handle);
        }
        handles.add(handle);
    }

    /** Called by a handle the application closed: the container may give this connection back to the pool. */
    void handleClosed(ConnectionHandle handle) {
        handles.remove(handle);
        final ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionClosed(event);
        }
    }

    Connection physical() {
        return physical;
    }

    /**
     * The physical session for an application session created now: the transacted one inside a container
     * transaction, else the non-transacted one. Both are created on first need and kept while pooled.
     */
    synchronized Session sessionForCurrentTransaction() throws JMSException {
        if (transaction == TransactionState.LOCAL) {
            return transactedSession();
        }
        if (transaction == TransactionState.XA) {
            return xaSession();
        }
        if (plainSession == null) {
            // AUTO_ACKNOWLEDGE whatever the application asks: JMS 3.1 §12.3 lets the container ignore the
            // acknowledge mode, and an application in a container must not depend on CLIENT_ACKNOWLEDGE.
            plainSession = physical.createSession(Session.AUTO_ACKNOWLEDGE);
        }
        return plainSession;
    }

    private synchronized Session transactedSession() throws JMSException {
        if (transactedSession == null) {
            transactedSession = physical.createSession(Session.SESSION_TRANSACTED);
        }
        return transactedSession;
    }

    private synchronized XASession xaSession() throws JMSException {
        if (xaSession == null) {
            xaSession = physical.createXASession();
        }
        return xaSession;
    }

    /** @return whether the container's transaction holds this connection's work right now */
    boolean inTransaction() {
        return transaction != TransactionState.NONE;
    }

    // ---- transactions ------------------------------------------------------------------------

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        checkUsable();
        return new LocalTransaction() {
            @Override
            public void begin() throws ResourceException {
                checkUsable();
                if (transaction != TransactionState.NONE) {
                    throw new IllegalStateException("a local transaction is already open on " + StrandManagedConnection.this);
                }
                try {
                    transactedSession();
                } catch (JMSException e) {
                    throw failure("beginning a local transaction", e);
                }
                transaction = TransactionState.LOCAL;
            }

            @Override
            public void commit() throws ResourceException {
                finish(true);
            }

            @Override
            public void rollback() throws ResourceException {
                finish(false);
            }
        };
    }

    private void finish(boolean commit) throws ResourceException {
        if (transaction != TransactionState.LOCAL) {
            throw new IllegalStateException("no local transaction is open on " + this);
        }
        try {
            if (commit) {
                transactedSession.commit();
            } else {
                transactedSession.rollback();
            }
        } catch (JMSException e) {
            throw failure(commit ? "committing" : "rolling back", e);
        } finally {
            transaction = TransactionState.NONE;
        }
    }

    /**
     * The XA session's resource, wrapped so that this connection knows when a global transaction is associated
     * with it ({@link EnlistedXAResource}).
     */
    @Override
    public XAResource getXAResource() throws ResourceException {
        checkUsable();
        try {
            return new EnlistedXAResource(xaSession().getXAResource(), this::xaAssociated);
        } catch (JMSException e) {
            throw failure("opening the XA session", e);
        }
    }

    private void xaAssociated(boolean inTransaction) {
        transaction = inTransaction ? TransactionState.XA : TransactionState.NONE;
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Invalidates the handles still open (the application did not close them) and readies this for reuse. */
    @Override
    public void cleanup() throws ResourceException {
        for (ConnectionHandle handle : handles) {
            handle.invalidate();
        }
        handles.clear();
        if (transaction == TransactionState.XA) {
            // The transaction manager ends the branch; what remains of it is its business, not this connection's.
            transaction = TransactionState.NONE;
        }
        if (transaction == TransactionState.LOCAL) {
            // The container ends transactions before cleanup; one still open here was abandoned.
            try {
                transactedSession.rollback();
            } catch (JMSException e) {
                LOG.log(System.Logger.Level.DEBUG, "rollback of an abandoned local transaction failed: {0}", e.toString());
            }
            transaction = TransactionState.NONE;
        }
    }

    @Override
    public void destroy() throws ResourceException {
        if (destroyed) {
            return;
        }
        destroyed = true;
        for (ConnectionHandle handle : handles) {
            handle.invalidate();
        }
        handles.clear();
        factory.destroyed(this);
        try {
            physical.close();
        } catch (JMSException e) {
            if (!failed) {
                throw new ResourceException("closing the connection to " + url + ": " + e.getMessage(), e);
            }
        }
    }

    /** For the adapter's stop: destroys without reporting anything but a log line. */
    void destroyQuietly() {
        try {
            destroy();
        } catch (ResourceException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing {0} at adapter stop: {1}", this, e.toString());
        }
    }

    private void closePhysicalQuietly() {
        try {
            physical.close();
        } catch (JMSException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a connection that failed to set up: {0}", e.toString());
        }
    }

    private void checkUsable() throws IllegalStateException {
        if (destroyed) {
            throw new IllegalStateException(this + " is destroyed");
        }
        if (failed) {
            throw new IllegalStateException(this + " lost its broker connection");
        }
    }

    // ---- errors ------------------------------------------------------------------------------

    /** The provider's exception listener: the physical connection is gone, so the pool must drop this one. */
    private void connectionFailed(JMSException cause) {
        if (failed || destroyed) {
            return;
        }
        failed = true;
        LOG.log(System.Logger.Level.WARNING, "connection to {0} failed; the pool will drop it: {1}", url, cause.getMessage());
        final ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionErrorOccurred(event);
        }
    }

    private ResourceException failure(String what, JMSException cause) {
        return new ResourceException(what + " on " + url + ": " + cause.getMessage(), cause);
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "Strand";
            }

            @Override
            public String getEISProductVersion() {
                return "0.1";
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return credentials.userName();
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public String toString() {
        return "StrandManagedConnection[" + url + ", " + credentials + "]";
    }
}
