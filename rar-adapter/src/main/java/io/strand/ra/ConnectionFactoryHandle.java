package io.strand.ra;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import java.io.Serializable;
import javax.naming.Reference;

/**
 * The connection factory an application gets from {@code @Resource} or a lookup: every connection it makes
 * comes from the container's pool ({@link ConnectionManager#allocateConnection}) and is a
 * {@link ConnectionHandle} onto a {@link StrandManagedConnection}. A JMSContext is such a handle with its one
 * session ({@link ContextHandle}).
 *
 * <p>Thread-safe and serializable (the container binds it in JNDI through its {@link Reference}).
 */
public final class ConnectionFactoryHandle implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Referenceable, Serializable {
    private static final long serialVersionUID = 1L;

    private final StrandManagedConnectionFactory factory;
    private final transient ConnectionManager manager;
    private Reference reference;

    ConnectionFactoryHandle(StrandManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    /** Takes a pooled connection for those credentials, or for the factory's defaults when null. */
    private ConnectionHandle allocate(Credentials credentials) throws JMSException {
        final Credentials wanted = credentials != null ? credentials : factory.defaultCredentials();
        try {
            return (ConnectionHandle) manager.allocateConnection(factory, new StrandConnectionRequestInfo(wanted));
        } catch (ResourceException e) {
            final JMSException failure = new JMSException("no connection to " + factory.effectiveUrl() + " as "
                    + wanted + ": " + e.getMessage());
            failure.setLinkedException(e);
            failure.initCause(e);
            throw failure;
        }
    }

    @Override
    public Connection createConnection() throws JMSException {
        return allocate(null);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return allocate(new Credentials(userName, password));
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return allocate(null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return allocate(new Credentials(userName, password));
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return allocate(null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return allocate(new Credentials(userName, password));
    }

    @Override
    public JMSContext createContext() {
        return createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return context(null, sessionMode);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return context(new Credentials(userName, password), sessionMode);
    }

    private JMSContext context(Credentials credentials, int sessionMode) {
        ContextHandle.checkSessionMode(sessionMode);
        try {
            return new ContextHandle(allocate(credentials));
        } catch (JMSException e) {
            throw RuntimeExceptions.of(e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public String toString() {
        return "Strand connection factory[" + factory.effectiveUrl() + "]";
    }
}
