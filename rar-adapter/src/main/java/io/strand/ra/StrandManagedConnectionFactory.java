package io.strand.ra;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.XAConnection;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionDefinitions;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.resource.spi.security.PasswordCredential;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * The outbound side: makes the application's connection factory and the pooled physical connections behind it.
 *
 * <p>Its own settings ({@code brokerUrl}, {@code userName}, {@code password}) override the resource adapter's;
 * left empty they take the adapter's. A pooled connection serves a request when it reaches the same broker as the
 * same user with the same password and has not failed ({@link #matchManagedConnections}).
 *
 * <p>Equality follows the settings, as the Connectors specification asks, so the container can tell pools apart.
 */
@ConnectionDefinitions({
        @ConnectionDefinition(connectionFactory = ConnectionFactory.class,
                connectionFactoryImpl = ConnectionFactoryHandle.class,
                connection = Connection.class, connectionImpl = ConnectionHandle.class),
        @ConnectionDefinition(connectionFactory = QueueConnectionFactory.class,
                connectionFactoryImpl = ConnectionFactoryHandle.class,
                connection = QueueConnection.class, connectionImpl = ConnectionHandle.class),
        @ConnectionDefinition(connectionFactory = TopicConnectionFactory.class,
                connectionFactoryImpl = ConnectionFactoryHandle.class,
                connection = TopicConnection.class, connectionImpl = ConnectionHandle.class)
})
public class StrandManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {
    private static final long serialVersionUID = 1L;

    private String brokerUrl;
    private String userName;
    private String password;
    private transient volatile StrandResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;

    // ---- configuration -----------------------------------------------------------------------

    public String getBrokerUrl() {
        return brokerUrl;
    }

    @ConfigProperty(description = "The broker of this connection factory; empty: the resource adapter's brokerUrl")
    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getUserName() {
        return userName;
    }

    @ConfigProperty(description = "Default user of this connection factory; empty: the resource adapter's userName")
    public void setUserName(String userName) {
        this.userName = userName;
    }

    public String getPassword() {
        return password;
    }

    @ConfigProperty(description = "Password of that user", confidential = true)
    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) throws ResourceException {
        if (!(adapter instanceof StrandResourceAdapter strand)) {
            throw new ResourceException("a Strand connection factory belongs to the Strand resource adapter, not "
                    + (adapter == null ? "null" : adapter.getClass().getName()));
        }
        this.resourceAdapter = strand;
    }

    /** @return the broker URL in force: this factory's, else the adapter's, else the default */
    String effectiveUrl() {
        final StrandResourceAdapter adapter = resourceAdapter;
        if (adapter != null) {
            return adapter.brokerUrlOr(brokerUrl);
        }
        return brokerUrl != null && !brokerUrl.isBlank() ? brokerUrl.trim() : StrandResourceAdapter.DEFAULT_BROKER_URL;
    }

    /** @return the credentials of a request without its own: this factory's, else the adapter's */
    Credentials defaultCredentials() {
        final StrandResourceAdapter adapter = resourceAdapter;
        if (adapter != null) {
            return adapter.credentialsOr(userName, password);
        }
        return new Credentials(userName, password);
    }

    /**
     * Who a connection request logs in as: a password credential the container put in the subject for this
     * factory (container-managed sign-on) wins, then the application's {@code createConnection(user, password)},
     * then the configured default.
     */
    Credentials credentialsFor(Subject subject, ConnectionRequestInfo info) {
        if (subject != null) {
            for (PasswordCredential credential : subject.getPrivateCredentials(PasswordCredential.class)) {
                if (equals(credential.getManagedConnectionFactory())) {
                    return new Credentials(credential.getUserName(), new String(credential.getPassword()));
                }
            }
        }
        if (info instanceof StrandConnectionRequestInfo strandInfo) {
            return strandInfo.credentials();
        }
        return defaultCredentials();
    }

    // ---- factories ---------------------------------------------------------------------------

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new ConnectionFactoryHandle(this, manager);
    }

    /** Without a container there is no pool and no transaction to take part in: use the provider's factory. */
    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new NotSupportedException("the Strand resource adapter runs only in a container; outside one use "
                + "io.strand.jms.StrandConnectionFactory");
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        final Credentials credentials = credentialsFor(subject, info);
        final String url = effectiveUrl();
        final XAConnection physical;
        try {
            physical = PhysicalConnections.open(url, credentials);
        } catch (JMSException e) {
            throw new ResourceAllocationException("cannot connect to " + url + " as " + credentials + ": "
                    + e.getMessage(), e);
        }
        final StrandManagedConnection connection = new StrandManagedConnection(this, physical, credentials);
        final StrandResourceAdapter adapter = resourceAdapter;
        if (adapter != null) {
            adapter.opened(connection);
        }
        return connection;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        final Credentials wanted = credentialsFor(subject, info);
        for (Object candidate : candidates) {
            if (candidate instanceof StrandManagedConnection connection && connection.canServe(this, wanted)) {
                return connection;
            }
        }
        return null;
    }

    void destroyed(StrandManagedConnection connection) {
        final StrandResourceAdapter adapter = resourceAdapter;
        if (adapter != null) {
            adapter.destroyed(connection);
        }
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
    public boolean equals(Object other) {
        return other instanceof StrandManagedConnectionFactory f && f.getClass() == getClass()
                && Objects.equals(brokerUrl, f.brokerUrl) && Objects.equals(userName, f.userName)
                && Objects.equals(password, f.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(brokerUrl, userName);
    }

    @Override
    public String toString() {
        return "StrandManagedConnectionFactory[" + effectiveUrl() + "]";
    }
}
