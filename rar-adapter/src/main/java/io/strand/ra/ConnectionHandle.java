package io.strand.ra;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

/**
 * The connection an application holds: a handle onto a pooled {@link StrandManagedConnection}. Closing it gives
 * the managed connection back to the container; the physical connection stays open in the pool.
 *
 * <p>It follows the rules of JMS 3.1 §12.2 for connections in the web and EJB containers: one session at a
 * time, and {@code setClientID}, {@code setExceptionListener}, {@code stop} and connection consumers are refused
 * with {@link IllegalStateException}, because the container, not the application, owns the physical connection.
 *
 * <p>Threading: as a JMS connection, any thread may call it; the session it makes is for one thread.
 */
public final class ConnectionHandle implements Connection, QueueConnection, TopicConnection {
    private volatile StrandManagedConnection managed;
    private SessionHandle session;
    private volatile boolean closed;

    ConnectionHandle(StrandManagedConnection managed) {
        this.managed = managed;
    }

    /** Moves this handle to another managed connection (container connection sharing); returns the old one. */
    synchronized StrandManagedConnection reassociate(StrandManagedConnection next) {
        final StrandManagedConnection previous = managed;
        managed = next;
        return previous;
    }

    StrandManagedConnection managed() throws IllegalStateException {
        checkOpen();
        return managed;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("connection is closed");
        }
    }

    private static IllegalStateException refused(String method) {
        return new IllegalStateException(method + " may not be called in a Jakarta EE web or EJB container"
                + " (Jakarta Messaging 3.1 section 12.2)");
    }

    // ---- sessions ----------------------------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession();
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return openSession();
    }

    @Override
    public Session createSession() throws JMSException {
        return openSession();
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession();
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return openSession();
    }

    /**
     * The arguments do not matter in a container (JMS 3.1 §12.3): inside a transaction the session takes part
     * in it, outside one it acknowledges automatically.
     */
    synchronized SessionHandle openSession() throws JMSException {
        final StrandManagedConnection connection = managed();
        if (session != null && !session.isClosed()) {
            throw new IllegalStateException("a connection in a Jakarta EE web or EJB container may have only one"
                    + " session at a time (Jakarta Messaging 3.1 section 12.2); close the first one");
        }
        session = new SessionHandle(this, connection.sessionForCurrentTransaction(), connection.inTransaction());
        return session;
    }

    // ---- refused in a container --------------------------------------------------------------

    @Override
    public void setClientID(String clientID) throws JMSException {
        checkOpen();
        throw refused("Connection.setClientID");
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        throw refused("Connection.setExceptionListener");
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        throw refused("Connection.stop");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String selector, ServerSessionPool pool,
                                                       int maxMessages) throws JMSException {
        checkOpen();
        throw refused("Connection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String selector, ServerSessionPool pool,
                                                       int maxMessages) throws JMSException {
        checkOpen();
        throw refused("Connection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String selector, ServerSessionPool pool,
                                                       int maxMessages) throws JMSException {
        checkOpen();
        throw refused("Connection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName, String selector,
                                                             ServerSessionPool pool, int maxMessages) throws JMSException {
        checkOpen();
        throw refused("Connection.createSharedConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName, String selector,
                                                              ServerSessionPool pool, int maxMessages) throws JMSException {
        checkOpen();
        throw refused("Connection.createDurableConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName, String selector,
                                                                    ServerSessionPool pool, int maxMessages)
            throws JMSException {
        checkOpen();
        throw refused("Connection.createSharedDurableConnectionConsumer");
    }

    // ---- allowed -----------------------------------------------------------------------------

    @Override
    public String getClientID() throws JMSException {
        return managed().physical().getClientID();
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        return managed().physical().getMetaData();
    }

    /** The physical connection is started when it is made and never stopped, so this only checks the handle. */
    @Override
    public void start() throws JMSException {
        checkOpen();
    }

    @Override
    public void close() throws JMSException {
        final StrandManagedConnection connection;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            connection = managed;
        }
        try {
            closeSession();
        } finally {
            connection.handleClosed(this);
        }
    }

    /** The container took the managed connection back (cleanup or destroy): this handle is dead from now on. */
    void invalidate() {
        synchronized (this) {
            closed = true;
        }
        try {
            closeSession();
        } catch (JMSException e) {
            // The managed connection is being reset or destroyed; nothing left to tell the application.
        }
    }

    private void closeSession() throws JMSException {
        final SessionHandle s;
        synchronized (this) {
            s = session;
            session = null;
        }
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        return "ConnectionHandle[" + managed + (closed ? ", closed" : "") + "]";
    }
}
