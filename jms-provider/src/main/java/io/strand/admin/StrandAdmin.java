package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.jms.client.BrokerException;
import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ClusterConnection;
import io.strand.jms.client.ConnectionUrl;
import io.strand.jms.client.Connector;
import io.strand.jms.client.RecordFormats;
import io.strand.jms.message.MessageCodec;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.XaTransactions;
import io.strand.record.CompressionType;
import jakarta.jms.JMSException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The administration client: one connection to a broker, or to the broker of a cluster that serves clients, with
 * one blocking method per admin call. Each failure is an {@link AdminException} carrying the broker's error code
 * and words. Thread-safe (calls may be made from several threads; they are pipelined on the one connection).
 *
 * <p>Connecting tries each host of the URL once, following a broker's NOT_LEADER answer to the active broker it
 * names, and fails at once when none accepts. An anonymous connection lost afterwards (the active broker died) fails
 * over to the broker that takes over within {@code failoverTimeoutMs}, as a JMS connection does: calls wait for it,
 * a describe or browse on its way is sent again, a change on its way fails, since it may or may not have been made.
 * A connection authenticated as a user never fails over: failing over would authenticate again, so the connection
 * would have to keep the password, which the console promises to drop after its login; its calls fail once it is
 * lost, and its user connects again.
 *
 * <pre>{@code
 * try (StrandAdmin admin = StrandAdmin.connect("strand://localhost:61617", null, null)) {
 *     admin.describeShareGroups("orders").forEach(g -> System.out.println(g.queue() + " lag " + g.lag()));
 * }
 * }</pre>
 */
public final class StrandAdmin implements AutoCloseable {

    private final ClusterConnection cluster;
    /** The protocol version of the answers: the first broker's; the brokers of one cluster speak the same. */
    private final short version;
    private final long timeoutMs;
    private final MessageCodec codec = new MessageCodec();
    private final RecordFormats format = new RecordFormats(CompressionType.NONE, Consumers.MAX_RECORDS_BYTES);

    private StrandAdmin(ClusterConnection cluster, long timeoutMs) {
        this.cluster = cluster;
        this.version = cluster.firstAnswer().version();
        this.timeoutMs = timeoutMs;
    }

    /**
     * Connects and authenticates.
     *
     * @param url      a {@code strand://host:port[,host:port...]} or {@code vm://name} URL, with client options
     * @param user     the user to authenticate as, or null for an anonymous connection
     * @param password the user's password, or null
     * @throws AdminException when the URL is malformed, no broker answers, or the credentials are refused
     */
    public static StrandAdmin connect(String url, String user, String password) {
        boolean anonymous = user == null || user.isEmpty();
        ConnectionUrl parsed;
        ClientOptions options;
        try {
            parsed = ConnectionUrl.parse(url);
            options = ClientOptions.from(anonymous ? parsed : withoutFailover(parsed));
        } catch (IllegalArgumentException e) {
            throw new AdminException(ErrorCode.INVALID_REQUEST, e.getMessage());
        }
        Handshake.Request hello = new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null,
                "strand-admin", anonymous ? null : user, anonymous ? null : password);
        ClusterConnection cluster;
        try {
            cluster = parsed.isVm() ? ClusterConnection.over(Connector.connect(parsed, options), options, hello)
                    : ClusterConnection.connect(parsed, options, hello,
                            (host, connectTimeoutMs) -> Connector.connectTcp(host, options, connectTimeoutMs), true);
        } catch (BrokerException refused) {
            throw new AdminException(refused.error(), "handshake with " + url + ": " + refused.status().describe());
        } catch (JMSException | RuntimeException e) {
            throw new AdminException(e.getMessage(), e);
        }
        if (!anonymous) {
            // Nothing handshakes again on a connection that does not fail over: it need not hold the password.
            Handshake.Request withoutPassword = new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION,
                    null, "strand-admin", user, null);
            cluster.restoreWith(() -> withoutPassword, (wire, accepted) -> CompletableFuture.completedFuture(null));
        }
        // Through a failover a call waits for the next broker as well as for its answer.
        return new StrandAdmin(cluster, options.callTimeoutMs());
    }

    /** The URL with {@code failoverTimeoutMs=0}: a lost connection fails for good at once. */
    private static ConnectionUrl withoutFailover(ConnectionUrl url) {
        Map<String, String> options = new LinkedHashMap<>(url.options());
        options.put(ClientOptions.FAILOVER_TIMEOUT_MS, "0");
        return new ConnectionUrl(url.scheme(), url.hosts(), url.vmName(), options);
    }

    public DescribeCluster.Response describeCluster() {
        return call(ApiKey.ADMIN_DESCRIBE_CLUSTER, out -> { }, DescribeCluster.Response::readFrom,
                DescribeCluster.Response::status, "describing the cluster");
    }

    /** What this connection may do: its user, and whether it may change the broker or only describe and browse. */
    public DescribeAccess.Response describeAccess() {
        return call(ApiKey.ADMIN_DESCRIBE_ACCESS, out -> { }, DescribeAccess.Response::readFrom,
                DescribeAccess.Response::status, "describing this connection's access");
    }

    /** @param type null for both types; @param name null for all destinations */
    public List<DescribeDestinations.Destination> describeDestinations(DestinationType type, String name) {
        DescribeDestinations.Request request = new DescribeDestinations.Request(type, name);
        return call(ApiKey.ADMIN_DESCRIBE_DESTINATIONS, request::writeTo,
                in -> DescribeDestinations.Response.readFrom(in, version),
                DescribeDestinations.Response::status, "describing destinations").destinations();
    }

    /** @param partitions 0 for the broker's default */
    public void createDestination(DestinationType type, String name, int partitions) {
        createDestination(type, name, partitions, Map.of());
    }

    /**
     * Creates a destination with settings of its own: {@link Destinations#REPLICATION_FACTOR} and
     * {@link Destinations#MIN_INSYNC_REPLICAS} (whole numbers, as text); the settings it does not name take the
     * broker's defaults.
     *
     * @param partitions 0 for the broker's default
     * @throws AdminException UNSUPPORTED_VERSION for settings when the broker speaks a protocol version before
     *                        {@value Destinations#SETTINGS_VERSION}; INVALID_REQUEST for a setting the broker refuses
     */
    public void createDestination(DestinationType type, String name, int partitions, Map<String, String> settings) {
        Destinations.CreateRequest request = new Destinations.CreateRequest(type, name, partitions, false, settings);
        String what = "creating " + describe(type, name);
        requireSettingsSupported(settings, what);
        callForStatus(ApiKey.CREATE_DESTINATION, out -> request.writeTo(out, version), what);
    }

    public void deleteDestination(DestinationType type, String name) {
        Destinations.DeleteRequest request = new Destinations.DeleteRequest(type, name);
        callForStatus(ApiKey.DELETE_DESTINATION, request::writeTo, "deleting " + describe(type, name));
    }

    /**
     * @throws AdminException UNSUPPORTED_VERSION for settings when the broker speaks a protocol version before
     *                        {@value Destinations#SETTINGS_VERSION}
     */
    public void alterDestination(AlterDestination.Request request) {
        String what = "altering " + describe(request.type(), request.name());
        requireSettingsSupported(request.settings(), what);
        callForStatus(ApiKey.ADMIN_ALTER_DESTINATION, out -> request.writeTo(out, version), what);
    }

    /** A broker of an older protocol knows no destination settings: refused here, before anything is sent. */
    private void requireSettingsSupported(Map<String, String> settings, String what) {
        if (!settings.isEmpty() && version < Destinations.SETTINGS_VERSION) {
            throw new AdminException(ErrorCode.UNSUPPORTED_VERSION, what + ": the broker speaks protocol version "
                    + version + ", which has no destination settings " + settings.keySet() + " (they need "
                    + "version " + Destinations.SETTINGS_VERSION + "): upgrade the broker");
        }
    }

    /** @param topic null for every topic */
    public List<DescribeSubscriptions.Subscription> describeSubscriptions(String topic) {
        DescribeSubscriptions.Request request = new DescribeSubscriptions.Request(topic);
        return call(ApiKey.ADMIN_DESCRIBE_SUBSCRIPTIONS, request::writeTo,
                in -> DescribeSubscriptions.Response.readFrom(in, version),
                DescribeSubscriptions.Response::status, "describing subscriptions").subscriptions();
    }

    /**
     * Deletes a durable subscription, or a shared durable one, that no consumer uses.
     *
     * @param clientId the subscription's client id, or null for a shared subscription opened without one
     */
    public void deleteSubscription(String clientId, String name) {
        DeleteSubscription.Request request = new DeleteSubscription.Request(clientId, name);
        callForStatus(ApiKey.ADMIN_DELETE_SUBSCRIPTION, request::writeTo, "deleting subscription " + name
                + (clientId == null ? " (no client id)" : " of client " + clientId));
    }

    /** @param queue null for every queue */
    public List<DescribeShareGroups.ShareGroup> describeShareGroups(String queue) {
        DescribeShareGroups.Request request = new DescribeShareGroups.Request(queue);
        return call(ApiKey.ADMIN_DESCRIBE_SHARE_GROUPS, request::writeTo, DescribeShareGroups.Response::readFrom,
                DescribeShareGroups.Response::status, "describing share groups").groups();
    }

    public List<DescribeConnections.Connection> describeConnections() {
        return call(ApiKey.ADMIN_DESCRIBE_CONNECTIONS, out -> { },
                in -> DescribeConnections.Response.readFrom(in, version),
                DescribeConnections.Response::status, "describing connections").connections();
    }

    /** @return records that were not consumed before the purge */
    public long purgeQueue(String queue) {
        PurgeQueue.Request request = new PurgeQueue.Request(queue);
        return call(ApiKey.ADMIN_PURGE_QUEUE, request::writeTo, PurgeQueue.Response::readFrom,
                PurgeQueue.Response::status, "purging queue " + queue).purged();
    }

    /**
     * Messages of one partition from an offset or a time, consumed or not, up to the request's
     * maximum; fewer when the partition holds fewer below its high watermark.
     *
     * @param previewChars characters of each body preview
     */
    public List<BrowsedMessage> browse(Browse.Request request, int previewChars) {
        Browse.Response response = call(ApiKey.ADMIN_BROWSE, request::writeTo, Browse.Response::readFrom,
                Browse.Response::status, "browsing " + describe(request.type(), request.name()) + " partition "
                        + request.partition());
        List<BrowsedMessage> messages = new ArrayList<>();
        ByteBuf records = response.records();
        try {
            format.decode(records, response.firstOffset(), (offset, timestamp, key, value, headers) -> {
                if (messages.size() < request.maxMessages()) {
                    messages.add(BrowsedMessage.decode(codec, response.partition(), offset, timestamp, key, value,
                            headers, previewChars));
                }
            });
        } finally {
            records.release();
        }
        return messages;
    }

    public RedriveDeadLetters.Response redriveDeadLetters(String deadLetterQueue, int maxMessages) {
        RedriveDeadLetters.Request request = new RedriveDeadLetters.Request(deadLetterQueue, maxMessages);
        return call(ApiKey.ADMIN_REDRIVE_DEAD_LETTERS, request::writeTo,
                in -> RedriveDeadLetters.Response.readFrom(in, version),
                RedriveDeadLetters.Response::status, "redriving dead-letter queue " + deadLetterQueue);
    }

    /** @return the position each partition moved to */
    public List<Rewind.Position> rewind(Rewind.Request request) {
        String what = request.target() == Rewind.Target.QUEUE ? "queue " + request.name()
                : "durable subscription " + request.name() + " of client " + request.clientId();
        return call(ApiKey.ADMIN_REWIND, request::writeTo, Rewind.Response::readFrom, Rewind.Response::status,
                "rewinding " + what).positions();
    }

    /**
     * Starts moving a partition to {@code targetReplicas}; the new replicas catch up before the old ones are
     * dropped. A broker that runs alone refuses it.
     */
    public void reassignPartition(ReassignPartition.Request request) {
        call(ApiKey.ADMIN_REASSIGN_PARTITION, request::writeTo, ReassignPartition.Response::readFrom,
                ReassignPartition.Response::status, "reassigning partition " + request.partition() + " of "
                        + request.destination());
    }

    /**
     * Moves the cluster's active role to broker {@code brokerId}, which must be in sync for every partition it
     * holds; returns once the controller committed it. The broker that had the role closes its connections as it
     * steps down, often before its answer leaves; the request then goes again to the broker that has the role, where
     * it changes nothing and is answered. A broker that runs alone refuses it.
     */
    public void moveActive(int brokerId) {
        call(ApiKey.ADMIN_MOVE_ACTIVE, new MoveActive.Request(brokerId)::writeTo, StatusResponse::readFrom,
                StatusResponse::status, "moving the active role to broker " + brokerId);
    }

    /** The XA branches prepared on the broker, and those an operator decided that are not forgotten yet. */
    public List<DescribeTransactions.Branch> describeTransactions() {
        return call(ApiKey.ADMIN_DESCRIBE_TRANSACTIONS, out -> { }, DescribeTransactions.Response::readFrom,
                DescribeTransactions.Response::status, "describing XA transactions").branches();
    }

    /**
     * Commits or rolls back a prepared XA branch without its transaction manager: a heuristic decision, which the
     * transaction manager learns of when it comes back.
     */
    public void decideTransaction(XaTransactions.BranchId xid, boolean commit) {
        DecideTransaction.Request request = new DecideTransaction.Request(xid, commit);
        callForStatus(ApiKey.ADMIN_DECIDE_TRANSACTION, request::writeTo, (commit ? "committing" : "rolling back")
                + " XA branch " + xid);
    }

    private static String describe(DestinationType type, String name) {
        return type.name().toLowerCase() + " " + name;
    }

    private void callForStatus(ApiKey api, Consumer<ByteBuf> body, String what) {
        call(api, body, StatusResponse::readFrom, StatusResponse::status, what);
    }

    private <T> T call(ApiKey api, Consumer<ByteBuf> body, Function<FrameReader, T> parser,
                       Function<T, ResponseStatus> status, String what) {
        // What only reads, or changes nothing when repeated, may reach the broker twice; another change lost on its
        // way must not be made twice.
        CompletableFuture<T> answer = api.isAdminRepeatable() ? cluster.sendIdempotent(api, body, parser, status)
                : cluster.send(api, body, parser, status);
        try {
            return answer.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BrokerException refused) {
                throw new AdminException(refused.error(), what + ": " + refused.status().describe());
            }
            throw new AdminException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AdminException(what + ": no answer within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(what + " was interrupted", e);
        }
    }

    @Override
    public void close() {
        cluster.close();
    }
}
