package io.strand.jms;

import io.strand.jms.client.BrokerException;
import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ClusterConnection;
import io.strand.jms.client.ConnectionLostException;
import io.strand.jms.client.ConnectionUrl;
import io.strand.jms.client.Connector;
import io.strand.jms.client.ConsumerCore;
import io.strand.jms.client.MetadataCache;
import io.strand.jms.client.ProduceAccumulator;
import io.strand.jms.client.RecordFormat;
import io.strand.jms.client.WireBatchSender;
import io.strand.jms.client.WireConnection;
import io.strand.jms.message.MessageCodec;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Handshake;
import io.strand.protocol.StatusResponse;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to a Strand cluster (JMS 3.1 §6.1): a {@link ClusterConnection} to the broker that serves clients,
 * its sessions, the partition counts of the destinations it used, and one open batch per partition for its producers.
 *
 * <p>Failover: when the broker connection is lost, the cluster connection finds a broker again within the
 * {@code failoverTimeoutMs} deadline and this connection restores its state there before anything else is sent:
 * the handshake with the same client id and credentials, its temporary destinations, and every consumer opened
 * again (as it was, started or stopped) — durable and shared subscriptions and queues go on from the broker's
 * committed state, and what was prefetched and not handed out is dropped, since the broker delivers it again,
 * marked redelivered. Produce batches whose answer was lost are sent again and recognised by the broker if it had
 * appended them. Sends and other calls made meanwhile wait for the new connection. The application notices
 * nothing, except that the next commit of a transaction that received messages on the lost connection throws
 * {@link jakarta.jms.TransactionRolledBackException}, and that messages it acknowledged on the lost connection
 * (CLIENT_ACKNOWLEDGE) come again. Only when the deadline passes does the {@link ExceptionListener} hear of it
 * and calls fail.
 *
 * <p>Client id rules: a client id comes from the factory (administratively, then {@link #setClientID}
 * fails) or from {@code setClientID}, once, before any other action; the broker holds one id per
 * connection and answers a taken one with {@link InvalidClientIDException}. A later {@code setClientID}
 * sends a second handshake carrying the id.
 *
 * <p>Threading: every method may be called from any thread (the specification makes connections
 * thread-safe). Completion listeners and the exception listener run on the connection's own callback
 * thread, never on the Netty event loop. {@link #stop} and {@link #close} may not be called from a
 * message listener or completion listener of this connection: they would wait for themselves.
 */
public class StrandConnection implements TopicConnection, QueueConnection {
    private static final System.Logger LOG = System.getLogger(StrandConnection.class.getName());
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ClusterConnection cluster;
    private final ClientOptions options;
    private final RecordFormat format;
    private final MetadataCache metadata;
    private final ProduceAccumulator accumulator;
    private final UnconfirmedSends unconfirmedSends;
    private final MessageCodec codec;
    private final String connectionId = UUID.randomUUID().toString();
    private final CallbackThread callbacks;
    private final AtomicInteger lastConsumerId = new AtomicInteger();
    /** Sessions are numbered from 0 on each connection: the broker shows an operator consumers by session. */
    private final AtomicInteger sessionCount = new AtomicInteger();
    private final AtomicLong lastMessageNumber = new AtomicLong();
    private final AtomicInteger lastTemporaryNumber = new AtomicInteger();
    private final List<StrandSession> sessions = new CopyOnWriteArrayList<>();
    /** The consumers to open again on a new broker connection (see {@link ConsumerCore#open}). */
    private final Set<ConsumerCore> liveConsumers = ConcurrentHashMap.newKeySet();
    /** The temporary destinations this connection created and has not deleted: created again after a failover. */
    private final Set<StrandTemporaryDestination> temporaries = ConcurrentHashMap.newKeySet();

    private final ClientIdentity clientId;
    /** What the broker's handshake said identifies its data as an XA resource manager; null from an older broker. */
    private volatile String resourceManagerId;
    private volatile boolean started;
    /** Made by {@code createQueueConnection}: limited to the point-to-point domain. */
    private volatile boolean queueConnection;
    private volatile boolean closed;
    private volatile ExceptionListener exceptionListener;

    StrandConnection(ClusterConnection cluster, ClientOptions options, RecordFormat format) {
        this.cluster = cluster;
        this.options = options;
        this.format = format;
        this.metadata = new MetadataCache(cluster);
        this.codec = new MessageCodec(options.trustedPackages());
        this.accumulator = new ProduceAccumulator(new WireBatchSender(cluster, format), cluster::schedule,
                options.lingerMs(), options.batchBytes());
        this.unconfirmedSends = new UnconfirmedSends(options.maxUnconfirmedSendBytes(),
                "the connection to " + cluster.description());
        this.clientId = new ClientIdentity(options.clientId());
        this.callbacks = new CallbackThread("strand-callbacks-" + COUNT.incrementAndGet());
        this.resourceManagerId = cluster.firstAnswer().resourceManagerId();
    }

    /**
     * Connects, handshakes with the factory's client id and the given credentials, and returns a
     * stopped connection.
     *
     * @param userName null or empty for an anonymous connection
     * @throws jakarta.jms.JMSSecurityException if the broker refuses the credentials
     */
    static StrandConnection open(ConnectionUrl url, ClientOptions options, RecordFormat format, String userName,
                                 String password) throws JMSException {
        return open(url, options, format, userName, password, StrandConnection::new);
    }

    /** Makes the connection object of one kind: a plain connection or an XA connection. */
    @FunctionalInterface
    interface Maker {
        StrandConnection make(ClusterConnection cluster, ClientOptions options, RecordFormat format);
    }

    /**
     * As {@link #open(ConnectionUrl, ClientOptions, RecordFormat, String, String)}, for a connection of one kind. A
     * {@code strand://} URL's hosts are tried in order, and again, until one accepts or the failover deadline passes;
     * a {@code vm://} broker is connected once and never failed over.
     */
    static StrandConnection open(ConnectionUrl url, ClientOptions options, RecordFormat format, String userName,
                                 String password, Maker maker) throws JMSException {
        final Handshake.Request first = handshakeRequest(options.clientId(), userName, password);
        final ClusterConnection cluster;
        try {
            cluster = url.isVm() ? ClusterConnection.over(Connector.connect(url, options), options, first)
                    : ClusterConnection.connect(url, options, first,
                            (host, connectTimeoutMs) -> Connector.connectTcp(host, options, connectTimeoutMs));
        } catch (RuntimeException e) {
            throw JmsExceptions.from(e, "connecting to " + url + (first.userName() == null ? ""
                    : " as user '" + userName + "'"));
        }
        return open(cluster, options, format, userName, password, maker);
    }

    /** Handshakes anonymously on a connected wire and returns a stopped connection; for tests over any transport. */
    static StrandConnection open(WireConnection wire, ClientOptions options, RecordFormat format) throws JMSException {
        final ClusterConnection cluster;
        try {
            cluster = ClusterConnection.over(wire, options, handshakeRequest(options.clientId(), null, null));
        } catch (RuntimeException e) {
            throw JmsExceptions.from(e, "handshake with " + wire.description());
        }
        return open(cluster, options, format, null, null, StrandConnection::new);
    }

    private static StrandConnection open(ClusterConnection cluster, ClientOptions options, RecordFormat format,
                                         String userName, String password, Maker maker) {
        final StrandConnection connection = maker.make(cluster, options, format);
        // A later broker connection handshakes with the client id the connection has by then.
        cluster.restoreWith(() -> handshakeRequest(connection.clientId.current(), userName, password),
                connection::restore);
        cluster.onFailure(connection::onConnectionLost);
        return connection;
    }

    private static Handshake.Request handshakeRequest(String clientId, String userName, String password) {
        final boolean anonymous = userName == null || userName.isEmpty();
        return new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, clientId, "strand-jms",
                anonymous ? null : userName, anonymous ? null : password);
    }

    /**
     * A later handshake, which only sets the client id: the broker authenticates a connection once. Sent again on the
     * next broker connection if a failover loses its answer.
     */
    private void handshake(String id) throws JMSException {
        final Handshake.Request request = handshakeRequest(id, null, null);
        final Handshake.Response response = JmsExceptions.await(cluster.sendIdempotent(ApiKey.HANDSHAKE,
                        request::writeTo, Handshake.Response::readFrom, Handshake.Response::status),
                options.callTimeoutMs(), "setting client id '" + id + "' on " + cluster.description());
        if (response.resourceManagerId() != null) {
            resourceManagerId = response.resourceManagerId();
        }
    }

    /**
     * Puts this connection's state on a new broker connection after a failover, before anything that waited is sent:
     * its temporary destinations first, then its consumers, opened again as they were (started or stopped).
     */
    private CompletableFuture<Void> restore(WireConnection wire, Handshake.Response accepted) {
        if (accepted.resourceManagerId() != null) {
            resourceManagerId = accepted.resourceManagerId();
        }
        final List<CompletableFuture<?>> created = new ArrayList<>();
        for (StrandTemporaryDestination destination : temporaries) {
            final Destinations.CreateRequest request = createRequest(destination);
            created.add(wire.sendForStatus(ApiKey.CREATE_DESTINATION, out -> request.writeTo(out, wire.version())));
        }
        return CompletableFuture.allOf(created.toArray(new CompletableFuture<?>[0])).thenCompose(v -> {
            final List<CompletableFuture<?>> reopened = new ArrayList<>();
            for (ConsumerCore core : liveConsumers) {
                reopened.add(core.reopen(wire, started));
            }
            return CompletableFuture.allOf(reopened.toArray(new CompletableFuture<?>[0]));
        });
    }

    /**
     * What identifies the broker's data as an XA resource manager, as its handshake said: equal for every connection
     * to the same broker, different for another broker; null when the broker is older than XA.
     */
    String resourceManagerId() {
        return resourceManagerId;
    }

    /**
     * @return whether the connection is closed, or lost for good (no broker within the failover deadline); a
     *         connection failing over is neither: XA calls made meanwhile wait for it, like every call
     */
    boolean isClosedOrLost() {
        return closed || cluster.isFailed();
    }

    // ---- client id and state ------------------------------------------------------------------

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId.get();
    }

    @Override
    public void setClientID(String id) throws JMSException {
        checkOpen();
        clientId.set(id, this::handshake);
    }

    /** Marks that an action other than setClientID happened, after which the client id is fixed. */
    void markUsed() {
        clientId.markUsed();
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("connection is closed");
        }
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return StrandMetaData.INSTANCE;
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        markUsed();
        this.exceptionListener = listener;
    }

    /** The connection failed for good: no broker accepted it again before the failover deadline. */
    private void onConnectionLost(ConnectionLostException cause) {
        unconfirmedSends.end(cause);
        if (closed) {
            return;
        }
        for (StrandSession session : sessions) {
            session.connectionLost(cause);
        }
        final ExceptionListener listener = exceptionListener;
        if (listener != null) {
            final JMSException e = JmsExceptions.from(cause, "connection to the broker lost");
            callbacks.execute(() -> listener.onException(e));
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection lost and no ExceptionListener set: {0}", cause.getMessage());
        }
    }

    // ---- sessions -----------------------------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createStrandSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createStrandSession(sessionMode);
    }

    @Override
    public Session createSession() throws JMSException {
        return createStrandSession(Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createStrandSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode, StrandTopicSession::new);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createStrandSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode, StrandQueueSession::new);
    }

    /** Makes a session of one kind: a full session, or one limited to a messaging domain, or an XA session. */
    @FunctionalInterface
    interface SessionMaker {
        StrandSession make(StrandConnection connection, int mode);
    }

    StrandSession createStrandSession(int mode) throws JMSException {
        return createStrandSession(mode, StrandSession::new);
    }

    StrandSession createStrandSession(int mode, SessionMaker maker) throws JMSException {
        checkOpen();
        markUsed();
        switch (mode) {
            case Session.SESSION_TRANSACTED, Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE,
                    Session.DUPS_OK_ACKNOWLEDGE -> { }
            default -> throw new JMSException("acknowledge mode " + mode + " is not AUTO_ACKNOWLEDGE (1),"
                    + " CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3) or SESSION_TRANSACTED (0)");
        }
        final StrandSession session = maker.make(this, mode);
        sessions.add(session);
        if (started) {
            session.start();
        }
        return session;
    }

    void removeSession(StrandSession session) {
        sessions.remove(session);
    }

    // ---- start, stop, close -------------------------------------------------------------------

    @Override
    public void start() throws JMSException {
        checkOpen();
        markUsed();
        started = true;
        for (StrandSession session : sessions) {
            session.start();
        }
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        markUsed();
        checkNotInCallback("stop");
        started = false;
        for (StrandSession session : sessions) {
            session.stop();
        }
    }

    boolean isStarted() {
        return started;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        checkNotInCallback("close");
        JMSException first = null;
        for (StrandSession session : sessions) {
            try {
                session.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        closed = true;
        // A send of another thread waiting for room must not wait for confirmations that no longer come.
        unconfirmedSends.end(new ConnectionLostException("the connection to " + cluster.description() + " is closed",
                null));
        try {
            // Through a failover under way too: sends that wait for it complete once it is done, or fail at its deadline.
            accumulator.drain().get(options.callTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "closing with sends unanswered: {0}", e.toString());
        }
        final boolean failed = cluster.isFailed();
        disconnect();
        cluster.close();
        callbacks.shutdown();
        if (first != null && !failed) {
            throw first;
        }
    }

    /**
     * Tells the broker this connection ends and waits for its answer: by then the broker has closed
     * the consumers and released the client id, so a connection opened right after this one closes may
     * take the same id. A broker that does not answer in time changes nothing: the socket closes anyway.
     */
    private void disconnect() {
        final WireConnection wire = cluster.currentWire();
        if (wire == null || wire.isFailed()) {
            return; // failing over or failed: no broker holds anything of this connection
        }
        try {
            wire.sendForStatus(ApiKey.DISCONNECT, body -> { }).get(options.requestTimeoutMs(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, "the broker did not confirm the disconnect: {0}", e.toString());
        }
    }

    /** Listeners of this connection must not stop or close it: that would wait for themselves. */
    void checkNotInCallback(String what) throws IllegalStateException {
        if (callbacks.isCurrentThread()) {
            throw new IllegalStateException(what + " may not be called from a CompletionListener or ExceptionListener"
                    + " of its own connection");
        }
        for (StrandSession session : sessions) {
            if (session.isListenerThread()) {
                throw new IllegalStateException(what + " may not be called from a MessageListener of its own connection");
            }
        }
    }

    // ---- for sessions, producers and consumers ------------------------------------------------

    ClusterConnection cluster() {
        return cluster;
    }

    /** The consumers to open again after a failover; a consumer's core adds and removes itself. */
    Set<ConsumerCore> liveConsumers() {
        return liveConsumers;
    }

    ClientOptions options() {
        return options;
    }

    RecordFormat format() {
        return format;
    }

    /**
     * Creates a temporary queue or topic owned by this connection (JMS 3.1 §6.2.2): the broker lets only
     * this connection consume from it and deletes it when this connection ends. Its name is this
     * connection's id and a number behind the prefix the broker keeps for temporary destinations.
     */
    StrandTemporaryDestination createTemporary(boolean queue) throws JMSException {
        checkOpen();
        final String name = "_tmp." + connectionId + "." + lastTemporaryNumber.incrementAndGet();
        final StrandTemporaryDestination destination = queue ? new StrandTemporaryQueue(name)
                : new StrandTemporaryTopic(name);
        // Its name is this connection's alone: "exists already" means that a create sent again after a failover
        // found the first one done.
        // A temporary destination's request reads the same in every protocol version, so it is written before the
        // broker connection it goes on is known.
        final Destinations.CreateRequest request = createRequest(destination);
        JmsExceptions.await(answeredOrAlready(cluster.sendForStatusIdempotent(ApiKey.CREATE_DESTINATION,
                out -> request.writeTo(out, Handshake.MAX_VERSION)), ErrorCode.DESTINATION_EXISTS),
                options.callTimeoutMs(),
                "creating " + destination);
        temporaries.add(destination);
        destination.setDeleter(this::deleteTemporary);
        return destination;
    }

    private static Destinations.CreateRequest createRequest(StrandTemporaryDestination destination) {
        return new Destinations.CreateRequest(destination.isQueue() ? DestinationType.QUEUE : DestinationType.TOPIC,
                destination.name(), 1, true);
    }

    private void deleteTemporary(StrandDestination destination) throws JMSException {
        checkOpen();
        for (StrandSession session : sessions) {
            if (session.hasConsumerOn(destination)) {
                throw new IllegalStateException(destination + " still has a consumer: close it before deleting");
            }
        }
        temporaries.remove(destination);
        final Destinations.DeleteRequest request = new Destinations.DeleteRequest(
                destination.isQueue() ? DestinationType.QUEUE : DestinationType.TOPIC, destination.name());
        JmsExceptions.await(answeredOrAlready(cluster.sendForStatusIdempotent(ApiKey.DELETE_DESTINATION,
                request::writeTo), ErrorCode.UNKNOWN_DESTINATION), options.callTimeoutMs(), "deleting " + destination);
    }

    /** The answer, with {@code already} counting as done: a request sent again after a failover found it done. */
    private static CompletableFuture<StatusResponse> answeredOrAlready(CompletableFuture<StatusResponse> answer,
                                                                      ErrorCode already) {
        return answer.handle((r, e) -> {
            final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (e == null || cause instanceof BrokerException b && b.error() == already) {
                return CompletableFuture.completedFuture(r);
            }
            return CompletableFuture.<StatusResponse>failedFuture(cause);
        }).thenCompose(answered -> answered);
    }

    MetadataCache metadata() {
        return metadata;
    }

    ProduceAccumulator accumulator() {
        return accumulator;
    }

    UnconfirmedSends unconfirmedSends() {
        return unconfirmedSends;
    }

    /**
     * How long a send may wait for room among the unconfirmed sends: as long as a synchronous send may wait for its
     * answer, through a failover if the connection fails over.
     */
    long sendTimeoutMs() {
        return cluster.failsOver() ? options.callTimeoutMs() : options.requestTimeoutMs();
    }

    MessageCodec codec() {
        return codec;
    }

    CallbackThread callbacks() {
        return callbacks;
    }

    String connectionId() {
        return connectionId;
    }

    int nextConsumerId() {
        return lastConsumerId.incrementAndGet();
    }

    int nextSessionNumber() {
        return sessionCount.getAndIncrement();
    }

    /** A message id unique across connections: the connection's UUID and a counter. */
    String nextMessageId() {
        return "ID:" + connectionId + ":" + lastMessageNumber.incrementAndGet();
    }

    // ---- not yet supported ---------------------------------------------------------------------

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String selector,
                                                       ServerSessionPool pool, int maxMessages) throws JMSException {
        checkOpen();
        if (destination instanceof Topic) {
            checkNotQueueConnection("createConnectionConsumer for a topic");
        }
        throw JmsExceptions.notYetSupported("connection consumers (application server facility)");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String selector, ServerSessionPool pool,
                                                       int maxMessages) throws JMSException {
        return createConnectionConsumer((Destination) topic, selector, pool, maxMessages);
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String selector, ServerSessionPool pool,
                                                       int maxMessages) throws JMSException {
        return createConnectionConsumer((Destination) queue, selector, pool, maxMessages);
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName, String selector,
                                                             ServerSessionPool pool, int maxMessages) throws JMSException {
        checkNotQueueConnection("createSharedConnectionConsumer");
        return createConnectionConsumer((Destination) topic, selector, pool, maxMessages);
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName, String selector,
                                                              ServerSessionPool pool, int maxMessages) throws JMSException {
        checkNotQueueConnection("createDurableConnectionConsumer");
        return createConnectionConsumer((Destination) topic, selector, pool, maxMessages);
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                                                                    String selector, ServerSessionPool pool,
                                                                    int maxMessages) throws JMSException {
        checkNotQueueConnection("createSharedDurableConnectionConsumer");
        return createConnectionConsumer((Destination) topic, selector, pool, maxMessages);
    }

    /**
     * A QueueConnection cannot create objects of the publish/subscribe domain: its topic connection consumers
     * throw IllegalStateException (the QueueConnection and Connection javadoc).
     */
    private void checkNotQueueConnection(String method) throws IllegalStateException {
        checkOpen();
        if (queueConnection) {
            throw new IllegalStateException(method + " is for topics, and this is a QueueConnection");
        }
    }

    /** Marks this connection as made by {@code createQueueConnection}: it refuses topic connection consumers. */
    StrandConnection asQueueConnection() {
        queueConnection = true;
        return this;
    }

    @Override
    public String toString() {
        return "StrandConnection[" + cluster.description() + ", id=" + connectionId + "]";
    }
}
