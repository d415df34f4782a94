package io.strand.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.transaction.xa.XAResource;

/**
 * The resource adapter: the settings every connection shares (broker URL, credentials, client-id prefix,
 * reconnect backoff), the inbound activations of the message-driven beans, and the outbound managed
 * connections still open, so that {@link #stop()} leaves nothing connected.
 *
 * <p>Described by annotations only: the container reads {@link Connector} and the {@link ConfigProperty}
 * setters, so the archive needs no {@code ra.xml}. Deployed under a name (the archive's file name without
 * {@code .rar}, or {@code deploy --name}), which every MDB and connection factory definition names.
 *
 * <p>Thread-safe: the container calls the lifecycle methods from its own threads, and activations come and go
 * with the applications.
 */
@Connector(
        displayName = "Strand JMS resource adapter",
        description = "Jakarta Messaging 3.1 connections and message-driven beans for a Strand broker",
        vendorName = "Strand",
        eisType = "Jakarta Messaging provider",
        version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.XATransaction,
        reauthenticationSupport = false)
public class StrandResourceAdapter implements ResourceAdapter {
    private static final System.Logger LOG = System.getLogger(StrandResourceAdapter.class.getName());

    /** A broker started with the launcher's defaults on this machine. */
    public static final String DEFAULT_BROKER_URL = "strand://127.0.0.1:61617";

    private volatile String brokerUrl = DEFAULT_BROKER_URL;
    private volatile String userName;
    private volatile String password;
    private volatile String clientIdPrefix = "strand-mdb-";
    private volatile Long reconnectInitialDelayMs = 500L;
    private volatile Long reconnectMaxDelayMs = 30_000L;
    private volatile Double reconnectMultiplier = 2.0;

    private final Map<ActivationKey, EndpointActivation> activations = new ConcurrentHashMap<>();
    private final Set<StrandManagedConnection> managedConnections = ConcurrentHashMap.newKeySet();
    private final XaRecovery recovery = new XaRecovery();
    private volatile BootstrapContext bootstrap;

    /** Identifies an activation by the objects the container passes to activation and deactivation. */
    private record ActivationKey(MessageEndpointFactory endpointFactory, ActivationSpec spec) { }

    // ---- configuration -----------------------------------------------------------------------

    public String getBrokerUrl() {
        return brokerUrl;
    }

    @ConfigProperty(defaultValue = DEFAULT_BROKER_URL,
            description = "The broker: strand://host:port[,host:port...][?options]")
    public void setBrokerUrl(String brokerUrl) {
        this.brokerUrl = brokerUrl;
    }

    public String getUserName() {
        return userName;
    }

    @ConfigProperty(description = "User the adapter's connections log in as; empty: anonymous")
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

    public String getClientIdPrefix() {
        return clientIdPrefix;
    }

    @ConfigProperty(defaultValue = "strand-mdb-",
            description = "A durable subscription without a clientId gets this prefix followed by its subscription name as client id")
    public void setClientIdPrefix(String clientIdPrefix) {
        this.clientIdPrefix = clientIdPrefix;
    }

    public Long getReconnectInitialDelayMs() {
        return reconnectInitialDelayMs;
    }

    @ConfigProperty(defaultValue = "500", description = "Wait before the first reconnect attempt of a message-driven bean, in ms")
    public void setReconnectInitialDelayMs(Long reconnectInitialDelayMs) {
        this.reconnectInitialDelayMs = reconnectInitialDelayMs;
    }

    public Long getReconnectMaxDelayMs() {
        return reconnectMaxDelayMs;
    }

    @ConfigProperty(defaultValue = "30000", description = "Longest wait between reconnect attempts, in ms")
    public void setReconnectMaxDelayMs(Long reconnectMaxDelayMs) {
        this.reconnectMaxDelayMs = reconnectMaxDelayMs;
    }

    public Double getReconnectMultiplier() {
        return reconnectMultiplier;
    }

    @ConfigProperty(defaultValue = "2.0", description = "Factor by which the wait grows after each failed reconnect attempt")
    public void setReconnectMultiplier(Double reconnectMultiplier) {
        this.reconnectMultiplier = reconnectMultiplier;
    }

    /** @return the backoff of the current settings; IllegalArgumentException naming a bad one */
    ReconnectBackoff backoff() {
        return new ReconnectBackoff(reconnectInitialDelayMs, reconnectMaxDelayMs, reconnectMultiplier);
    }

    Credentials credentials() {
        return new Credentials(userName, password);
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        try {
            PhysicalConnections.checkUrl(brokerUrl);
            backoff();
        } catch (IllegalArgumentException e) {
            throw new ResourceAdapterInternalException("Strand resource adapter not started: " + e.getMessage(), e);
        }
        this.bootstrap = context;
        LOG.log(System.Logger.Level.INFO, "Strand resource adapter started for {0} as {1}; client ids of durable"
                + " subscriptions start with ''{2}''; reconnects after {3} ms, growing {4} times up to {5} ms", brokerUrl,
                credentials(), clientIdPrefix, reconnectInitialDelayMs, reconnectMultiplier, reconnectMaxDelayMs);
    }

    /** Stops every activation and closes every outbound connection the container has not destroyed yet. */
    @Override
    public void stop() {
        for (ActivationKey key : activations.keySet()) {
            final EndpointActivation activation = activations.remove(key);
            if (activation != null) {
                activation.stop();
            }
        }
        for (StrandManagedConnection connection : managedConnections) {
            connection.destroyQuietly();
        }
        managedConnections.clear();
        recovery.close();
        bootstrap = null;
        LOG.log(System.Logger.Level.INFO, "Strand resource adapter stopped");
    }

    BootstrapContext bootstrap() throws ResourceException {
        final BootstrapContext context = bootstrap;
        if (context == null) {
            throw new ResourceAdapterInternalException("the Strand resource adapter is not started");
        }
        return context;
    }

    void opened(StrandManagedConnection connection) {
        managedConnections.add(connection);
    }

    void destroyed(StrandManagedConnection connection) {
        managedConnections.remove(connection);
    }

    // ---- inbound -----------------------------------------------------------------------------

    @Override
    public void endpointActivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof StrandActivationSpec strandSpec)) {
            throw new NotSupportedException("the Strand resource adapter activates only a StrandActivationSpec, not "
                    + (spec == null ? "null" : spec.getClass().getName()));
        }
        strandSpec.validate();
        final EndpointActivation activation = new EndpointActivation(this, endpointFactory, strandSpec);
        if (activations.putIfAbsent(new ActivationKey(endpointFactory, spec), activation) != null) {
            throw new ResourceAdapterInternalException("endpoint " + endpointFactory.getActivationName()
                    + " is already active with this activation spec");
        }
        activation.start();
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
        final EndpointActivation activation = activations.remove(new ActivationKey(endpointFactory, spec));
        if (activation != null) {
            activation.stop();
        }
    }

    /**
     * For the container's recovery of the beans' transactions after a crash: the XA resources of the brokers and
     * users these activation specs consume from ({@link XaRecovery}).
     */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        final List<XaRecovery.Target> targets = new ArrayList<>();
        for (ActivationSpec spec : specs) {
            if (spec instanceof StrandActivationSpec strand) {
                final XaRecovery.Target target = new XaRecovery.Target(brokerUrlOf(strand), credentialsOf(strand));
                if (!targets.contains(target)) {
                    targets.add(target);
                }
            }
        }
        return recovery.resources(targets).toArray(new XAResource[0]);
    }

    /** The broker an activation consumes from: its own brokerUrl, else the adapter's. */
    String brokerUrlOf(StrandActivationSpec spec) {
        return brokerUrlOr(spec.getBrokerUrl());
    }

    /** The user an activation consumes as: its own userName and password, else the adapter's. */
    Credentials credentialsOf(StrandActivationSpec spec) {
        return credentialsOr(spec.getUserName(), spec.getPassword());
    }

    /** The broker of a bean that may name its own (an activation, a connection factory): its own when set, else this adapter's. */
    String brokerUrlOr(String own) {
        return own == null || own.isBlank() ? brokerUrl : own.trim();
    }

    /** The user of a bean that may name its own: its user name and password when a name is set, else this adapter's. */
    Credentials credentialsOr(String ownUserName, String ownPassword) {
        return ownUserName == null || ownUserName.isEmpty() ? credentials() : new Credentials(ownUserName, ownPassword);
    }
}
