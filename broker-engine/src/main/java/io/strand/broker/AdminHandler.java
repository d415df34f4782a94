package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.strand.admin.AlterDestination;
import io.strand.admin.Browse;
import io.strand.admin.DecideTransaction;
import io.strand.admin.DeleteSubscription;
import io.strand.admin.DescribeAccess;
import io.strand.admin.DescribeCluster;
import io.strand.admin.DescribeConnections;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.DescribeShareGroups;
import io.strand.admin.DescribeSubscriptions;
import io.strand.admin.DescribeTransactions;
import io.strand.admin.PurgeQueue;
import io.strand.admin.MoveActive;
import io.strand.admin.ReassignPartition;
import io.strand.admin.RedriveDeadLetters;
import io.strand.admin.Rewind;
import io.strand.log.LogConfig;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the administration apis ({@code ADMIN_*}, see {@code io.strand.admin}): validates each
 * request, answers describe calls from {@link AdminViews}, and carries out changes through the
 * broker's own state classes. When the broker has users, only a connection that authenticated as
 * one of them may call these apis, and only the admins among them ({@code auth.admins}) may call those
 * that change something; the others may describe and browse. Every change is logged once for the
 * operator. Runs on the calling connection's event loop; answers that wait for the disk are sent from
 * the flusher's thread.
 */
final class AdminHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final BrokerConfig config;
    /** The cluster this broker belongs to, or null when it runs alone. */
    private final ClusterView cluster;
    private final DestinationRegistry destinations;
    private final DurableSubscriptions subscriptions;
    private final SharedSubscriptions sharedSubscriptions;
    private final AdminViews views;
    private final Repositioning repositioning;
    private final DeadLetterRedrive redrive;
    private final XaCoordinator xa;
    /** Handshaken connections, for the connections view. */
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();

    AdminHandler(BrokerConfig config, DestinationRegistry destinations, DurableSubscriptions subscriptions,
                 SharedSubscriptions sharedSubscriptions, ShareGroups shareGroups, PartitionWatchers watchers,
                 HighWatermarks highWatermarks, XaCoordinator xa, ClusterView cluster) {
        this.cluster = cluster;
        this.config = config;
        this.xa = xa;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.sharedSubscriptions = sharedSubscriptions;
        this.views = new AdminViews(config, destinations, subscriptions, sharedSubscriptions, shareGroups, watchers,
                cluster);
        this.repositioning = new Repositioning(destinations, subscriptions, shareGroups, views, watchers);
        this.redrive = new DeadLetterRedrive(destinations, sharedSubscriptions, shareGroups, highWatermarks);
    }

    void connected(ClientConnection c) {
        connections.add(c);
    }

    void disconnected(ClientConnection c) {
        connections.remove(c);
    }

    void route(ClientConnection c, ApiKey api, FrameHeader h, FrameReader in) {
        if (!config.users().isEmpty() && c.userName() == null) {
            throw new BrokerException(ErrorCode.AUTHENTICATION_FAILED, api + " needs a connection authenticated as a"
                    + " user; this one is anonymous");
        }
        if (!api.isAdminReadOnly()) {
            checkMayChange(c, api.toString());
        }
        long now = System.currentTimeMillis();
        switch (api) {
            case ADMIN_DESCRIBE_CLUSTER -> {
                in.end("describe cluster request");
                send(c, h, (cluster == null
                        ? new DescribeCluster.Response(ResponseStatus.OK, config.brokerId(),
                                List.of(thisBroker(c.channel().localAddress())))
                        : new DescribeCluster.Response(ResponseStatus.OK, cluster.controllerId(), cluster.brokers()))
                        ::writeTo);
            }
            case ADMIN_DESCRIBE_ACCESS -> {
                in.end("describe access request");
                send(c, h, new DescribeAccess.Response(ResponseStatus.OK, c.userName(), !config.users().isEmpty(),
                        config.isAdmin(c.userName()))::writeTo);
            }
            case ADMIN_DESCRIBE_DESTINATIONS -> {
                DescribeDestinations.Request r = DescribeDestinations.Request.readFrom(in);
                DescribeDestinations.Response response = new DescribeDestinations.Response(ResponseStatus.OK,
                        views.select(r.type(), r.name()).stream().map(views::describe).toList());
                send(c, h, out -> response.writeTo(out, h.version()));
            }
            case ADMIN_ALTER_DESTINATION -> alter(c, h, AlterDestination.Request.readFrom(in, h.version()));
            case ADMIN_REASSIGN_PARTITION -> reassign(c, h, ReassignPartition.Request.readFrom(in));
            case ADMIN_MOVE_ACTIVE -> moveActive(c, h, MoveActive.Request.readFrom(in));
            case ADMIN_DESCRIBE_SUBSCRIPTIONS -> {
                DescribeSubscriptions.Response response = new DescribeSubscriptions.Response(ResponseStatus.OK,
                        views.subscriptions(DescribeSubscriptions.Request.readFrom(in).topic(), now));
                send(c, h, out -> response.writeTo(out, h.version()));
            }
            case ADMIN_DELETE_SUBSCRIPTION -> {
                DeleteSubscription.Request r = DeleteSubscription.Request.readFrom(in);
                whenDurable(c, h, deleteSubscription(c, r.clientId(), r.name()), ResponseStatus.OK::writeTo);
            }
            case ADMIN_DESCRIBE_SHARE_GROUPS -> send(c, h, new DescribeShareGroups.Response(ResponseStatus.OK,
                    views.shareGroups(DescribeShareGroups.Request.readFrom(in).queue(), now))::writeTo);
            case ADMIN_DESCRIBE_CONNECTIONS -> {
                in.end("describe connections request");
                describeConnections(c, h);
            }
            case ADMIN_PURGE_QUEUE -> {
                String queue = PurgeQueue.Request.readFrom(in).queue();
                Repositioning.Purged purged = repositioning.purge(queue);
                LOG.info("admin {}: purged queue {} ({} record(s))", who(c), queue, purged.records());
                whenDurable(c, h, purged.durable(), new PurgeQueue.Response(ResponseStatus.OK, purged.records())::writeTo);
            }
            case ADMIN_BROWSE -> browse(c, h, Browse.Request.readFrom(in));
            case ADMIN_REDRIVE_DEAD_LETTERS -> {
                RedriveDeadLetters.Request r = RedriveDeadLetters.Request.readFrom(in);
                redrive.redrive(r.deadLetterQueue(), r.maxMessages(),
                        RedriveDeadLetters.movesToSubscriptions(h.version())).whenComplete((response, error) -> {
                    if (error == null) {
                        LOG.info("admin {}: moved {} record(s) of {} back to {}", who(c), response.total(),
                                r.deadLetterQueue(), response.moved());
                        send(c, h, out -> response.writeTo(out, h.version()));
                    } else {
                        Responses.status(c.channel(), h, ResponseStatus.of(ErrorCode.STORAGE_ERROR, cause(error)));
                    }
                });
            }
            case ADMIN_REWIND -> {
                Rewind.Request r = Rewind.Request.readFrom(in);
                Repositioning.Moved moved = repositioning.rewind(r);
                LOG.info("admin {}: moved {} {}{} to {}", who(c), r.target().name().toLowerCase(), r.name(),
                        r.clientId() == null ? "" : " of client " + r.clientId(), moved.positions());
                whenDurable(c, h, moved.durable(), new Rewind.Response(ResponseStatus.OK, moved.positions())::writeTo);
            }
            case ADMIN_DESCRIBE_TRANSACTIONS -> {
                in.end("describe transactions request");
                send(c, h, new DescribeTransactions.Response(ResponseStatus.OK, xa.describe())::writeTo);
            }
            case ADMIN_DECIDE_TRANSACTION -> {
                DecideTransaction.Request r = DecideTransaction.Request.readFrom(in);
                CompletableFuture<Void> decided = xa.decide(r.xid(), r.commit(), c.channel().eventLoop());
                LOG.warn("admin {}: {} XA branch {} without its transaction manager (a heuristic decision)", who(c),
                        r.commit() ? "commits" : "rolls back", r.xid());
                whenDurable(c, h, decided, ResponseStatus.OK::writeTo);
            }
            default -> throw new BrokerException(ErrorCode.UNSUPPORTED_API, api + " is not an admin request");
        }
    }

    /**
     * Refuses {@code what} unless the connection's user is an admin. Authorization failures share
     * AUTHENTICATION_FAILED, which clients already turn into a JMSSecurityException; the words say which.
     */
    void checkMayChange(ClientConnection c, String what) {
        if (!config.isAdmin(c.userName())) {
            String user = c.userName() == null ? "an anonymous connection" : "user '" + c.userName() + "'";
            LOG.warn("admin {}: refused {}: not one of {}", who(c), what, BrokerConfig.AUTH_ADMINS);
            throw new BrokerException(ErrorCode.AUTHENTICATION_FAILED, what + " changes the broker, which "
                    + user + " may not do: only the users named by " + BrokerConfig.AUTH_ADMINS
                    + " may; the others may describe and browse");
        }
    }

    /**
     * Deletes the durable or shared durable subscription {@code name} of {@code clientId} (null: a shared one
     * without client id), as its client's unsubscribe would; completes once durable.
     */
    private CompletableFuture<Void> deleteSubscription(ClientConnection c, String clientId, String name) {
        String what = "subscription '" + name + "'" + (clientId == null ? " without client id" : " of client " + clientId);
        if (clientId != null && subscriptions.exists(clientId, name)) {
            CompletableFuture<Void> deleted = subscriptions.unsubscribe(clientId, name);
            LOG.info("admin {}: deleted durable {}", who(c), what);
            return deleted;
        }
        CompletableFuture<Void> deleted = sharedSubscriptions.unsubscribe(clientId, name);
        if (deleted != null) {
            LOG.info("admin {}: deleted shared durable {}", who(c), what);
            return deleted;
        }
        if (sharedSubscriptions.exists(clientId, name)) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "shared " + what + " is not durable: it ends with"
                    + " its last consumer and cannot be deleted");
        }
        throw new BrokerException(ErrorCode.UNKNOWN_SUBSCRIPTION, "there is no durable or shared durable " + what);
    }

    /** This broker as the caller reached it: a cluster of one, which will list its peers the same way. */
    private DescribeCluster.Broker thisBroker(SocketAddress reachedAt) {
        if (reachedAt instanceof InetSocketAddress inet) {
            return new DescribeCluster.Broker(config.brokerId(), inet.getHostString(), inet.getPort());
        }
        return new DescribeCluster.Broker(config.brokerId(), String.valueOf(reachedAt), -1);
    }

    private void reassign(ClientConnection c, FrameHeader h, ReassignPartition.Request r) {
        if (cluster == null) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "broker " + config.brokerId()
                    + " runs alone: it has no replicas to move");
        }
        Destination destination = destinations.lookup(r.type(), r.destination(), false);
        if (r.partition() < 0 || r.partition() >= destination.partitions().size()) {
            throw new BrokerException(ErrorCode.UNKNOWN_PARTITION, destination.name() + " has "
                    + destination.partitions().size() + " partition(s), not a partition " + r.partition());
        }
        cluster.reassign(destination.partitions().get(r.partition()).topicPartition(), r.targetReplicas())
                .whenComplete((ok, error) -> send(c, h, new ReassignPartition.Response(error == null
                        ? ResponseStatus.OK : RequestRouter.failureStatus(error))::writeTo));
    }

    private void moveActive(ClientConnection c, FrameHeader h, MoveActive.Request r) {
        if (cluster == null) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "broker " + config.brokerId()
                    + " runs alone: there is no other broker to take the active role");
        }
        cluster.moveActive(r.brokerId()).whenComplete((ok, error) -> send(c, h, new StatusResponse(error == null
                ? ResponseStatus.OK : RequestRouter.failureStatus(error))::writeTo));
    }

    private void alter(ClientConnection c, FrameHeader h, AlterDestination.Request r) {
        Destination current = destinations.lookup(r.type(), r.name(), false);
        if (DestinationRegistry.isTemporary(r.name())) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "temporary " + current.key()
                    + " cannot be altered: it lives only as long as its connection");
        }
        if (r.partitions() < 0) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "partitions=" + r.partitions()
                    + " is not valid: give the new count, or 0 to leave it");
        }
        if (r.partitions() != 0 && r.partitions() < current.partitions().size()) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, current.key() + " has " + current.partitions().size()
                    + " partitions; partitions can be added, never removed (asked for " + r.partitions() + ")");
        }
        OptionalInt minInsync = alteredMinInsyncReplicas(current, r.settings());
        LogConfig config = current.partitions().get(0).config();
        long retentionMs = r.retentionMs() == AlterDestination.UNCHANGED ? config.retentionMs() : r.retentionMs();
        long retentionBytes = r.retentionBytes() == AlterDestination.UNCHANGED ? config.retentionBytes()
                : r.retentionBytes();
        try {
            config.with(LogConfig.RETENTION_MS, Long.toString(retentionMs))
                    .with(LogConfig.RETENTION_BYTES, Long.toString(retentionBytes));
        } catch (IllegalArgumentException e) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, e.getMessage());
        }
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        Destination altered = current;
        if (r.partitions() > current.partitions().size()) {
            if (r.type() == DestinationType.TOPIC) {
                durable.add(subscriptions.partitionsAdded(r.name(), r.partitions()));
            }
            altered = destinations.addPartitions(r.type(), r.name(), r.partitions());
        }
        if (retentionMs != config.retentionMs() || retentionBytes != config.retentionBytes()) {
            durable.add(destinations.setRetention(altered, retentionMs, retentionBytes));
        }
        if (minInsync.isPresent()) {
            durable.add(destinations.setMinInsyncReplicas(altered, minInsync.getAsInt()));
        }
        LOG.info("admin {}: altered {}: {} partition(s), retention.ms={}, retention.bytes={}{}", who(c), altered.key(),
                altered.partitions().size(), retentionMs, retentionBytes, minInsync.isPresent()
                        ? ", " + Destinations.MIN_INSYNC_REPLICAS + "=" + minInsync.getAsInt() : "");
        whenDurable(c, h, CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)), ResponseStatus.OK::writeTo);
    }

    /**
     * The min.insync.replicas an alter request sets, empty when it sets none; checked before anything changes. A
     * destination's replication factor is not a setting that changes in place: its partitions move to more or fewer
     * brokers by reassignment, which copies them first, so a request for another one is refused and says how.
     */
    private OptionalInt alteredMinInsyncReplicas(Destination destination, Map<String, String> settings) {
        DestinationReplication now = destinations.replication(destination);
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            if (setting.getKey().equals(Destinations.REPLICATION_FACTOR)) {
                OptionalInt asked = ReplicationRequest.atLeastOne(settings, Destinations.REPLICATION_FACTOR,
                        destination.key());
                if (cluster == null) {
                    ReplicationRequest.requireOneAlone(Destinations.REPLICATION_FACTOR, asked, destination.key());
                }
                if (asked.getAsInt() != now.replicationFactor()) {
                    throw new BrokerException(ErrorCode.INVALID_REQUEST, Destinations.REPLICATION_FACTOR + "="
                            + asked.getAsInt() + " of " + destination.key() + ": the replication factor ("
                            + now.replicationFactor() + " now) is changed by moving each partition to more or fewer"
                            + " brokers, which copies it before anything is dropped: strand-admin cluster reassign "
                            + destination.name() + " -t " + destination.type().name().toLowerCase()
                            + " -p PARTITION -r BROKER,BROKER,...");
                }
            } else if (!setting.getKey().equals(Destinations.MIN_INSYNC_REPLICAS)) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "unknown setting '" + setting.getKey() + "' for "
                        + destination.key() + ": " + Destinations.MIN_INSYNC_REPLICAS + " is the setting that can be"
                        + " altered");
            }
        }
        OptionalInt minInsync = ReplicationRequest.atLeastOne(settings, Destinations.MIN_INSYNC_REPLICAS,
                destination.key());
        if (minInsync.isPresent() && minInsync.getAsInt() > now.replicationFactor()) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, Destinations.MIN_INSYNC_REPLICAS + "="
                    + minInsync.getAsInt() + " of " + destination.key() + " is more than its "
                    + Destinations.REPLICATION_FACTOR + "=" + now.replicationFactor()
                    + ": a write cannot wait for more copies than there are");
        }
        return minInsync;
    }

    /** Reads each connection's sessions and consumers on its own event loop, then answers with all of them. */
    private void describeConnections(ClientConnection caller, FrameHeader h) {
        List<CompletableFuture<DescribeConnections.Connection>> parts = new ArrayList<>();
        for (ClientConnection c : connections) {
            CompletableFuture<DescribeConnections.Connection> part = new CompletableFuture<>();
            c.channel().eventLoop().execute(() -> {
                try {
                    part.complete(new DescribeConnections.Connection(String.valueOf(c.remoteAddress()), c.clientId(),
                            c.userName(), views.sessionsOf(c, System.currentTimeMillis())));
                } catch (RuntimeException e) {
                    part.completeExceptionally(e);
                }
            });
            parts.add(part);
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                Responses.status(caller.channel(), h, ResponseStatus.of(ErrorCode.UNKNOWN_SERVER_ERROR, cause(error)));
                return;
            }
            List<DescribeConnections.Connection> all = parts.stream().map(CompletableFuture::join)
                    .sorted((a, b) -> a.remoteAddress().compareTo(b.remoteAddress())).toList();
            DescribeConnections.Response response = new DescribeConnections.Response(ResponseStatus.OK, all);
            send(caller, h, out -> response.writeTo(out, h.version()));
        });
    }

    private void browse(ClientConnection c, FrameHeader h, Browse.Request r) {
        Destination destination = destinations.lookup(r.type(), r.name(), false);
        PartitionLog log = destination.partition(r.partition());
        long first;
        if (r.offset() >= 0) {
            if (r.offset() < log.logStartOffset() || r.offset() > log.highWatermark()) {
                throw new BrokerException(ErrorCode.OFFSET_OUT_OF_RANGE, "offset " + r.offset() + " is outside "
                        + destination.key() + " partition " + r.partition() + ", which holds [" + log.logStartOffset()
                        + ", " + log.highWatermark() + ")");
            }
            first = r.offset();
        } else {
            first = RecordTimes.offsetForTime(log, r.timestamp());
        }
        ByteBuf records = BrowseReader.read(c.channel().alloc(), log, first, r.maxMessages());
        Browse.Response response = new Browse.Response(ResponseStatus.OK, r.partition(), first, log.highWatermark(),
                records);
        try {
            send(c, h, response::writeTo);
        } finally {
            records.release();
        }
    }

    private static void send(ClientConnection c, FrameHeader h, Consumer<ByteBuf> body) {
        Responses.send(c.channel(), h, body);
    }

    private static void whenDurable(ClientConnection c, FrameHeader h, CompletableFuture<Void> durable,
                                    Consumer<ByteBuf> answer) {
        durable.whenComplete((ok, error) -> {
            if (error == null) {
                send(c, h, answer);
            } else {
                Responses.status(c.channel(), h, ResponseStatus.of(ErrorCode.STORAGE_ERROR, cause(error)));
            }
        });
    }

    private static String cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return String.valueOf(cause.getMessage());
    }

    private static String who(ClientConnection c) {
        return (c.userName() == null ? "anonymous" : c.userName()) + "@" + c.remoteAddress();
    }
}
