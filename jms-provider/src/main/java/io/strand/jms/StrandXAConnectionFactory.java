package io.strand.jms;

import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;

/**
 * The entry point for distributed (XA) transactions: connections and contexts whose sessions a transaction manager
 * enlists through their {@code XAResource} ({@link StrandXASession}, {@link StrandXAJMSContext}). It takes the same
 * URLs and options as {@link StrandConnectionFactory}, and is one too: {@code createConnection} and
 * {@code createContext} still make ordinary connections and contexts.
 *
 * <p>Like its parent it holds only its URL, is serializable and thread-safe; JNDI binds one for each
 * {@code xaConnectionFactory.<name>=<url>} entry ({@link io.strand.jms.jndi.StrandInitialContextFactory}).
 */
public class StrandXAConnectionFactory extends StrandConnectionFactory implements XAConnectionFactory,
        XAQueueConnectionFactory, XATopicConnectionFactory {
    private static final long serialVersionUID = 1L;

    public StrandXAConnectionFactory() {
        super();
    }

    /** @throws IllegalArgumentException saying what is wrong with the URL */
    public StrandXAConnectionFactory(String url) {
        super(url);
    }

    /** Opens an anonymous XA connection, stopped as the specification asks. */
    @Override
    public XAConnection createXAConnection() throws JMSException {
        return (XAConnection) connect(null, null, StrandXAConnection::new);
    }

    /** @throws jakarta.jms.JMSSecurityException if the broker refuses the credentials */
    @Override
    public XAConnection createXAConnection(String userName, String password) throws JMSException {
        return (XAConnection) connect(userName, password, StrandXAConnection::new);
    }

    @Override
    public XAQueueConnection createXAQueueConnection() throws JMSException {
        return (XAQueueConnection) connect(null, null, StrandXAConnection::new).asQueueConnection();
    }

    @Override
    public XAQueueConnection createXAQueueConnection(String userName, String password) throws JMSException {
        return (XAQueueConnection) connect(userName, password, StrandXAConnection::new).asQueueConnection();
    }

    @Override
    public XATopicConnection createXATopicConnection() throws JMSException {
        return (XATopicConnection) connect(null, null, StrandXAConnection::new);
    }

    @Override
    public XATopicConnection createXATopicConnection(String userName, String password) throws JMSException {
        return (XATopicConnection) connect(userName, password, StrandXAConnection::new);
    }

    @Override
    public XAJMSContext createXAContext() {
        return createXAContext(null, null);
    }

    /** @throws jakarta.jms.JMSSecurityRuntimeException if the broker refuses the credentials */
    @Override
    public XAJMSContext createXAContext(String userName, String password) {
        final StrandConnection connection;
        try {
            connection = connect(userName, password, StrandXAConnection::new);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
        try {
            return new StrandXAJMSContext(new SharedConnection(connection));
        } catch (JMSRuntimeException e) {
            try {
                connection.close();
            } catch (JMSException ignored) {
                // reporting the first failure matters more
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "StrandXAConnectionFactory[" + getUrl() + "]";
    }
}
