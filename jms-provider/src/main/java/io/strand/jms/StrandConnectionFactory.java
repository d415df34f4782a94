package io.strand.jms;

import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ConnectionUrl;
import io.strand.jms.client.RecordFormat;
import io.strand.jms.client.RecordFormats;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import java.io.Serializable;

/**
 * The entry point of the provider: creates connections and contexts for a broker URL,
 * {@code strand://host:port[,host:port...][?options]} (a cluster: the broker that serves clients is found among the
 * hosts, and found again when the connection to it is lost; see {@link StrandConnection}) or
 * {@code vm://[name][?dataDir=...&options]} (a broker embedded in this JVM, found with
 * {@link java.util.ServiceLoader} when the broker-engine module is on the classpath). The options are
 * listed in {@link ClientOptions}; {@code clientID} (or {@code clientId}) sets the client id
 * administratively, as a TCK's {@code DURABLE_SUB_CONNECTION_FACTORY} needs.
 *
 * <p>A factory holds only its URL, so it is cheap, serializable (it can be bound in JNDI) and
 * thread-safe; the URL is checked when set, so a bad URL fails early with a message saying what is wrong.
 * A {@code vm://} factory starts its embedded broker when it opens its first connection, not before.
 *
 * <p>Credentials: the methods without a user name connect anonymously; those with one send the user
 * name and password in the handshake (a null or empty user name is anonymous too). A broker that
 * refuses them answers with {@link jakarta.jms.JMSSecurityException} ({@link jakarta.jms.JMSSecurityRuntimeException}
 * from {@code createContext}). The password travels as the connection does: in clear text over TCP.
 */
public class StrandConnectionFactory implements ConnectionFactory, TopicConnectionFactory, QueueConnectionFactory,
        Serializable {
    private static final long serialVersionUID = 1L;

    /** The URL of a broker started with the launcher's defaults on this machine. */
    public static final String DEFAULT_URL = "strand://localhost:61617";

    private volatile String url;

    public StrandConnectionFactory() {
        this.url = DEFAULT_URL;
    }

    /** @throws IllegalArgumentException saying what is wrong with the URL */
    public StrandConnectionFactory(String url) {
        setUrl(url);
    }

    public String getUrl() {
        return url;
    }

    /** @throws IllegalArgumentException saying what is wrong with the URL */
    public void setUrl(String url) {
        final ConnectionUrl parsed = ConnectionUrl.parse(url);
        ClientOptions.from(parsed);
        this.url = url.trim();
    }

    /** Opens an anonymous connection, stopped (not yet started) as the specification asks. */
    StrandConnection connect() throws JMSException {
        return connect(null, null);
    }

    /**
     * Opens a connection, stopped (not yet started) as the specification asks.
     *
     * @param userName null or empty for an anonymous connection
     * @throws jakarta.jms.JMSSecurityException if the broker refuses the credentials
     */
    StrandConnection connect(String userName, String password) throws JMSException {
        return connect(userName, password, StrandConnection::new);
    }

    /** As {@link #connect(String, String)}, for a connection of one kind (an XA connection). */
    StrandConnection connect(String userName, String password, StrandConnection.Maker maker) throws JMSException {
        final ConnectionUrl parsed;
        final ClientOptions options;
        try {
            parsed = ConnectionUrl.parse(url);
            options = ClientOptions.from(parsed);
        } catch (IllegalArgumentException e) {
            throw new JMSException(e.getMessage());
        }
        final RecordFormat format = new RecordFormats(options.compression(), options.maxFrameBytes());
        return StrandConnection.open(parsed, options, format, userName, password, maker);
    }

    @Override
    public Connection createConnection() throws JMSException {
        return connect();
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return connect();
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return connect(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return connect().asQueueConnection();
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return connect(userName, password).asQueueConnection();
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
        return createContext(null, null, sessionMode);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        final StrandConnection connection;
        try {
            connection = connect(userName, password);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
        try {
            return new StrandJMSContext(new SharedConnection(connection), sessionMode);
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
        return "StrandConnectionFactory[" + url + "]";
    }
}
