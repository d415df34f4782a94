package io.strand.broker;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.strand.log.LogAppendInfo;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Produce;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.SubscriptionKind;
import io.strand.protocol.Transactions;
import io.strand.protocol.XaTransactions;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves each api: decodes the request body, does the work against the destinations, logs and
 * subscriptions, and answers. Refusals are thrown as {@link BrokerException} and answered by the
 * {@link ConnectionHandler}. Runs on the connection's event loop; durability waits complete on the
 * log's flusher threads and answer from there.
 */
final class RequestRouter implements Router {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);
    /** Subscription names and selectors are stored in internal logs: refused early when they could not be. */
    private static final int MAX_SUBSCRIPTION_NAME_CHARS = 1000;
    private static final int MAX_STORED_SELECTOR_CHARS = 16 * 1024;

    private final BrokerConfig config;
    private final Traffic traffic;
    private final DestinationRegistry destinations;
    private final DurableSubscriptions subscriptions;
    private final SharedSubscriptions sharedSubscriptions;
    private final ShareGroups shareGroups;
    private final PartitionWatchers watchers;
    private final HighWatermarks highWatermarks;
    private final DeadLetters deadLetters;
    private final TransactionCommitter committer;
    private final XaCoordinator xa;
    private final ClientIds clientIds = new ClientIds();
    /** The connection that created each temporary destination still alive. */
    private final Map<Destination.Key, ClientConnection> temporaryOwners = new ConcurrentHashMap<>();
    private final Authenticator authenticator;
    private final AdminHandler admin;

    RequestRouter(BrokerConfig config, DestinationRegistry destinations, DurableSubscriptions subscriptions,
                  SharedSubscriptions sharedSubscriptions,
                  ShareGroups shareGroups, PartitionWatchers watchers, HighWatermarks highWatermarks,
                  TransactionCommitter committer, XaCoordinator xa, Traffic traffic,
                  ClusterView cluster) {
        this.config = config;
        this.traffic = traffic;
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.sharedSubscriptions = sharedSubscriptions;
        this.shareGroups = shareGroups;
        this.watchers = watchers;
        this.highWatermarks = highWatermarks;
        this.deadLetters = new DeadLetters(config.deadLetters(), destinations, highWatermarks, traffic);
        this.authenticator = new Authenticator(config.users(), config.anonymousAllowed());
        if (!config.users().isEmpty()) {
            LOG.info("authentication on: {} user(s), anonymous connections {}", config.users().size(),
                    config.anonymousAllowed() ? "allowed" : "refused");
        }
        this.committer = committer;
        this.xa = xa;
        this.admin = new AdminHandler(config, destinations, subscriptions, sharedSubscriptions, shareGroups, watchers,
                highWatermarks, xa, cluster);
    }

    @Override
    public void route(ClientConnection c, ApiKey api, FrameHeader h, FrameReader in) {
        if (api.isAdmin()) {
            admin.route(c, api, h, in);
            return;
        }
        switch (api) {
            case HANDSHAKE -> handshake(c, h, Handshake.Request.readFrom(in));
            case METADATA -> metadata(c, h, Destinations.MetadataRequest.readFrom(in));
            case CREATE_DESTINATION -> {
                Destinations.CreateRequest r = Destinations.CreateRequest.readFrom(in, h.version());
                if (r.temporary()) {
                    Destination created = destinations.createTemporary(r.type(), r.name());
                    temporaryOwners.put(created.key(), c);
                    c.addTemporary(created.key());
                } else {
                    admin.checkMayChange(c, "creating " + r.type().name().toLowerCase() + " " + r.name());
                    destinations.create(r.type(), r.name(), r.partitions(), ReplicationRequest.fromSettings(
                            r.settings(), new Destination.Key(r.type(), r.name())));
                }
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            case DELETE_DESTINATION -> {
                Destinations.DeleteRequest r = Destinations.DeleteRequest.readFrom(in);
                Destination.Key key = new Destination.Key(r.type(), r.name());
                checkMayUse(c, key, "delete");
                if (!DestinationRegistry.isTemporary(r.name())) {
                    admin.checkMayChange(c, "deleting " + r.type().name().toLowerCase() + " " + r.name());
                }
                delete(key);
                c.removeTemporary(key);
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            case LIST_DESTINATIONS -> {
                in.end("list destinations request");
                Destinations.ListResponse list = new Destinations.ListResponse(ResponseStatus.OK, destinations.list()
                        .stream().map(d -> new Destinations.Info(d.type(), d.name(), d.partitions().size())).toList());
                Responses.send(c.channel(), h, list::writeTo);
            }
            case PRODUCE -> produce(c, h, Produce.Request.readFrom(in));
            case OPEN_CONSUMER -> openConsumer(c, h, Consumers.OpenRequest.readFrom(in, h.version()));
            case CLOSE_CONSUMER -> {
                c.removeConsumer(Consumers.CloseRequest.readFrom(in).consumerId()).close();
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            case CONSUMER_HANDED_OUT -> {
                Consumers.HandedOutRequest r = Consumers.HandedOutRequest.readFrom(in);
                if (!(c.consumer(r.consumerId()) instanceof TopicConsumer consumer)) {
                    throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + r.consumerId()
                            + " is not a topic subscriber: only they report what they handed out");
                }
                consumer.handedOut(r.handedOut());
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            case STOP_CONSUMER -> {
                c.consumer(Consumers.StopRequest.readFrom(in).consumerId()).stop();
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            case CONSUMER_CREDIT -> {
                Consumers.CreditRequest r = Consumers.CreditRequest.readFrom(in);
                c.consumer(r.consumerId()).addCredit(r.credit());
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            case ACKNOWLEDGE -> acknowledge(c, h, Consumers.AcknowledgeRequest.readFrom(in));
            case SHARE_ACKNOWLEDGE -> shareAcknowledge(c, h, Shares.AcknowledgeRequest.readFrom(in));
            case SHARE_REDELIVER -> shareRedeliver(c, h, Shares.RedeliverRequest.readFrom(in));
            case UNSUBSCRIBE -> {
                String name = Consumers.UnsubscribeRequest.readFrom(in).subscriptionName();
                respondWhenDurable(c, h, unsubscribe(c.clientId(), name));
            }
            case HEARTBEAT -> {
                in.end("heartbeat");
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            case COMMIT -> committer.commit(c, h, Transactions.CommitRequest.readFrom(in));
            case COMMIT_STATUS -> committer.status(c, h, Transactions.CommitStatusRequest.readFrom(in));
            case XA_PREPARE -> xa.prepare(c, h, XaTransactions.PrepareRequest.readFrom(in));
            case XA_COMMIT -> xa.commit(c, h, XaTransactions.BranchRequest.readFrom(in).xid());
            case XA_ROLLBACK -> xa.rollback(c, h, XaTransactions.BranchRequest.readFrom(in).xid());
            case XA_RECOVER -> {
                in.end("xa recover request");
                xa.recover(c, h);
            }
            case XA_FORGET -> xa.forget(c, h, XaTransactions.BranchRequest.readFrom(in).xid());
            case DISCONNECT -> {
                in.end("disconnect request");
                release(c);
                Responses.status(c.channel(), h, ResponseStatus.OK);
            }
            default -> throw new BrokerException(ErrorCode.UNSUPPORTED_API, api + " is not a request");
        }
    }

    /**
     * The first handshake authenticates the connection (a later one only sets the client id). A check
     * against a salted hash completes on the authenticator's threads and answers from the event loop;
     * until then the connection is not handshaken, so any other request closes it. A refused connection
     * gets AUTHENTICATION_FAILED and is closed once the answer is written.
     */
    private void handshake(ClientConnection c, FrameHeader h, Handshake.Request r) {
        short version = (short) Math.min(r.maxVersion(), Handshake.MAX_VERSION);
        if (version < Math.max(r.minVersion(), Handshake.MIN_VERSION)) {
            throw new BrokerException(ErrorCode.UNSUPPORTED_VERSION, "client speaks protocol " + r.minVersion() + " to "
                    + r.maxVersion() + ", this broker " + Handshake.MIN_VERSION + " to " + Handshake.MAX_VERSION);
        }
        if (c.handshaken()) {
            acceptHandshake(c, h, r, version);
            return;
        }
        CompletableFuture<Authenticator.Result> checked = authenticator.authenticate(r.userName(), r.password());
        if (checked.isDone()) {
            authenticated(c, h, r, version, checked.join());
            return;
        }
        checked.whenComplete((result, error) -> c.channel().eventLoop().execute(() -> {
            if (!c.channel().isActive()) {
                return; // gone while its password was checked: nothing to answer, and no client id to claim
            }
            try {
                authenticated(c, h, r, version, error == null ? result
                        : new Authenticator.Result("the broker could not check the password", error.toString()));
            } catch (BrokerException e) {
                Responses.status(c.channel(), h, ResponseStatus.of(e.error(), e.getMessage()));
            }
        }));
    }

    private void authenticated(ClientConnection c, FrameHeader h, Handshake.Request r, short version,
                               Authenticator.Result result) {
        if (result.accepted()) {
            c.userName(r.userName() == null || r.userName().isEmpty() ? null : r.userName());
            acceptHandshake(c, h, r, version);
            return;
        }
        LOG.warn("refused the connection from {}: {}", c.remoteAddress(), result.reasonForLog());
        Responses.status(c.channel(), h, ResponseStatus.of(ErrorCode.AUTHENTICATION_FAILED, result.refusal()));
        // An empty write completes after the answer is written: only then may the connection close.
        c.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void acceptHandshake(ClientConnection c, FrameHeader h, Handshake.Request r, short version) {
        if (r.clientId() != null && !r.clientId().equals(c.clientId())) {
            if (c.clientId() != null) {
                throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "this connection's client id is '"
                        + c.clientId() + "' already");
            }
            clientIds.claim(r.clientId(), c);
            c.clientId(r.clientId());
        }
        c.handshaken(version);
        admin.connected(c);
        Handshake.Response response = new Handshake.Response(ResponseStatus.OK, version, config.brokerId(), "strand",
                xa.resourceManagerId());
        Responses.send(c.channel(), h, response::writeTo);
    }

    private void metadata(ClientConnection c, FrameHeader h, Destinations.MetadataRequest r) {
        Destination d = destinations.lookup(r.type(), r.name(), r.create());
        Destinations.MetadataResponse response = new Destinations.MetadataResponse(ResponseStatus.OK,
                new Destinations.Info(d.type(), d.name(), d.partitions().size()));
        Responses.send(c.channel(), h, response::writeTo);
    }

    private void produce(ClientConnection c, FrameHeader h, Produce.Request r) {
        Destination destination = destinations.lookup(r.type(), r.destination(), true);
        PartitionLog log = destination.partition(r.partition());
        // The batches are appended straight from the frame's memory; offsets are stamped into it in place.
        ByteBuffer records = r.records().nioBufferCount() == 1 ? r.records().nioBuffer()
                : ByteBuffer.wrap(ByteBufUtil.getBytes(r.records()));
        ClientProducerIds.requireInBatches(records, destination.key() + " partition " + r.partition());
        LogAppendInfo info = log.appendAsLeader(records, log.latestLeaderEpoch());
        if (!info.duplicate()) {
            traffic.appended(log.topicPartition(), info.recordCount(), info.sizeInBytes());
        }
        // The answer to a durable send follows the high watermark's advance, so that a consumer opened
        // once the send returns sees the record. (Two callbacks on one future would run in reverse order.)
        CompletableFuture<Void> visible = log.awaitCommitted(info.nextOffset()).thenRun(() -> highWatermarks.advance(log));
        if (!r.durable()) {
            Responses.send(c.channel(), h, new Produce.Response(ResponseStatus.OK, info.firstOffset())::writeTo);
            return;
        }
        visible.whenComplete((ok, error) -> {
            if (error == null) {
                Responses.send(c.channel(), h, new Produce.Response(ResponseStatus.OK, info.firstOffset())::writeTo);
            } else {
                Responses.status(c.channel(), h, failureStatus(error));
            }
        });
    }

    private void openConsumer(ClientConnection c, FrameHeader h, Consumers.OpenRequest r) {
        // Queue consumers and browsers are filtered here; a topic subscriber's client filters what it is
        // pushed (whole batches, never re-encoded), but a bad selector is refused here for every kind.
        RecordMatcher matcher = SelectorMatcher.of(r.selector());
        checkMayUse(c, new Destination.Key(r.type(), r.destination()), "consume from");
        boolean readsQueue = r.kind() == SubscriptionKind.QUEUE || r.kind() == SubscriptionKind.BROWSER;
        if (readsQueue != (r.type() == DestinationType.QUEUE)) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "a queue takes queue consumers and browsers and a"
                    + " topic takes subscribers; got a " + r.kind() + " consumer on a " + r.type());
        }
        if (r.type() == DestinationType.QUEUE) {
            openQueueConsumer(c, h, r, matcher);
            return;
        }
        Destination topic = destinations.lookup(r.type(), r.destination(), true);
        if (r.kind() == SubscriptionKind.SHARED || r.kind() == SubscriptionKind.SHARED_DURABLE) {
            openSharedConsumer(c, h, r, topic);
            return;
        }
        DurableSubscription subscription = null;
        if (r.kind() == SubscriptionKind.DURABLE) {
            checkStoredSubscription("a durable subscription", r);
            String clientId = requireClientId(c, "a durable subscription");
            if (sharedSubscriptions.exists(clientId, r.subscriptionName())) {
                throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "client " + clientId + " has a shared"
                        + " subscription '" + r.subscriptionName() + "'; an unshared durable one cannot have the same name");
            }
            subscription = subscriptions.open(clientId, r.subscriptionName(), topic, r.selector(), r.noLocal());
        }
        TopicConsumer consumer = new TopicConsumer(r.consumerId(), c.version(), c.channel(), topic, subscription,
                r.resumeAt(), watchers, r.credit(), traffic);
        if (subscription != null) {
            subscription.attach(consumer);
        }
        startWhenReady(c, h, r, consumer, subscription == null ? CompletableFuture.completedFuture(null)
                : subscription.created(), consumer.startPositions());
    }

    /**
     * Registers a consumer and answers its open request once {@code ready} completes — a new durable
     * subscription's record is durable — without blocking the event loop; then the consumer starts.
     */
    private static void startWhenReady(ClientConnection c, FrameHeader h, Consumers.OpenRequest r,
                                       PushingConsumer consumer, CompletableFuture<Void> ready,
                                       List<Consumers.PartitionOffset> startPositions) {
        try {
            c.addConsumer(consumer, r);
        } catch (BrokerException e) {
            consumer.close();
            throw e;
        }
        ready.whenComplete((ok, error) -> c.channel().eventLoop().execute(() -> {
            if (error == null) {
                answerOpened(c, h, startPositions);
                consumer.start();
            } else {
                consumer.close();
                c.forgetConsumer(consumer);
                Responses.status(c.channel(), h, failureStatus(error));
            }
        }));
    }

    /**
     * A consumer of a shared subscription: a queue consumer on the subscription's share group, answered
     * once a new durable subscription's records are durable.
     */
    private void openSharedConsumer(ClientConnection c, FrameHeader h, Consumers.OpenRequest r, Destination topic) {
        checkStoredSubscription("a shared subscription", r);
        String name = r.subscriptionName();
        if (r.noLocal()) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "a shared subscription has no noLocal option");
        }
        boolean durable = r.kind() == SubscriptionKind.SHARED_DURABLE;
        String clientId = c.clientId();
        if (clientId != null && subscriptions.exists(clientId, name)) {
            throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "client " + clientId + " has an unshared durable"
                    + " subscription '" + name + "'; a shared one cannot have the same name");
        }
        String selector = r.selector() == null || r.selector().isBlank() ? null : r.selector();
        SharedSubscriptions.Joined joined = sharedSubscriptions.join(clientId, name, durable, topic, selector,
                r.resuming(), source -> new QueueConsumer(r.consumerId(), c.version(), c.channel(), source, shareGroups, deadLetters,
                        traffic, null, watchers, r.credit()));
        startWhenReady(c, h, r, joined.consumer(), joined.ready(), List.of());
    }

    private void openQueueConsumer(ClientConnection c, FrameHeader h, Consumers.OpenRequest r, RecordMatcher matcher) {
        Destination queue = destinations.lookup(DestinationType.QUEUE, r.destination(), true);
        PushingConsumer consumer = r.kind() == SubscriptionKind.BROWSER
                ? new BrowserConsumer(r.consumerId(), c.version(), c.channel(), queue, shareGroups, matcher, watchers,
                        r.credit())
                : new QueueConsumer(r.consumerId(), c.version(), c.channel(), ShareGroupSource.queue(queue), shareGroups,
                        deadLetters, traffic, matcher, watchers, r.credit());
        c.addConsumer(consumer, r);
        answerOpened(c, h, List.of());
        consumer.start();
    }

    /** Accepts an open: with where a non-durable subscriber starts, for its client to resume there after a failover. */
    private static void answerOpened(ClientConnection c, FrameHeader h, List<Consumers.PartitionOffset> startPositions) {
        Consumers.OpenResponse response = new Consumers.OpenResponse(ResponseStatus.OK, startPositions);
        Responses.send(c.channel(), h, out -> response.writeTo(out, h.version()));
    }

    /** Deletes the connection's unshared or shared durable subscription {@code name}. */
    private CompletableFuture<Void> unsubscribe(String clientId, String name) {
        if (clientId != null && subscriptions.exists(clientId, name)) {
            return subscriptions.unsubscribe(clientId, name);
        }
        CompletableFuture<Void> shared = sharedSubscriptions.unsubscribe(clientId, name);
        if (shared == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_SUBSCRIPTION, (clientId == null ? "without a client id there is"
                    : "client " + clientId + " has") + " no durable subscription '" + name + "'");
        }
        return shared;
    }

    private void shareAcknowledge(ClientConnection c, FrameHeader h, Shares.AcknowledgeRequest r) {
        if (!(c.consumer(r.consumerId()) instanceof QueueConsumer consumer)) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + r.consumerId()
                    + " is not a queue receiver: a topic subscriber acknowledges with ACKNOWLEDGE, a browser not at all");
        }
        respondWhenDurable(c, h, consumer.acknowledge(r.partition(), r.ranges()));
    }

    private void shareRedeliver(ClientConnection c, FrameHeader h, Shares.RedeliverRequest r) {
        if (!(c.consumer(r.consumerId()) instanceof QueueConsumer consumer)) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + r.consumerId()
                    + " is not a queue receiver: only a queue receiver redelivers records it holds");
        }
        consumer.redeliver(r.partition(), r.ranges()).whenComplete((kept, error) -> {
            if (error == null) {
                Responses.send(c.channel(), h, new Shares.RedeliverResponse(ResponseStatus.OK, kept)::writeTo);
            } else {
                Responses.status(c.channel(), h, failureStatus(error));
            }
        });
    }

    /**
     * Why a write was not committed: the broker's own refusal (not the leader any more, too few in-sync
     * replicas), else a storage error.
     */
    static ResponseStatus failureStatus(Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof BrokerException refused) {
            return ResponseStatus.of(refused.error(), refused.getMessage());
        }
        return ResponseStatus.of(ErrorCode.STORAGE_ERROR, cause.getMessage());
    }

    private static void respondWhenDurable(ClientConnection c, FrameHeader h, CompletableFuture<Void> durable) {
        durable.whenComplete((ok, error) -> {
            if (error == null) {
                Responses.status(c.channel(), h, ResponseStatus.OK);
            } else {
                Responses.status(c.channel(), h, failureStatus(error));
            }
        });
    }

    private void acknowledge(ClientConnection c, FrameHeader h, Consumers.AcknowledgeRequest r) {
        if (!(c.consumer(r.consumerId()) instanceof TopicConsumer consumer)) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "consumer " + r.consumerId()
                    + " reads a queue: acknowledge its records one by one with SHARE_ACKNOWLEDGE");
        }
        respondWhenDurable(c, h, consumer.acknowledge(r.partition(), r.offset()));
    }

    /** What a connection gives up when it ends: its consumers, its client id, its temporary destinations. */
    private void release(ClientConnection c) {
        xa.disconnected(c); // before its consumers close: records a broken prepare took go back to the queue
        c.release(clientIds);
        for (Destination.Key key : c.takeTemporaries()) {
            try {
                delete(key);
            } catch (BrokerException e) {
                LOG.debug("temporary {} was gone already: {}", key, e.getMessage());
            }
        }
    }

    private void delete(Destination.Key key) {
        Destination deleted = destinations.delete(key.type(), key.name());
        temporaryOwners.remove(key);
        if (deleted.type() == DestinationType.QUEUE) {
            shareGroups.remove(deleted.name(), deleted.partitions().size());
        }
    }

    /** Refuses to let a connection consume from or delete a temporary destination another connection created. */
    private void checkMayUse(ClientConnection c, Destination.Key key, String what) {
        if (!DestinationRegistry.isTemporary(key.name())) {
            return;
        }
        ClientConnection owner = temporaryOwners.get(key);
        if (owner != null && owner != c) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot " + what + " temporary " + key
                    + ": only the connection that created it may");
        }
    }

    private static void checkStoredSubscription(String what, Consumers.OpenRequest r) {
        String name = r.subscriptionName();
        if (name == null || name.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, what + " needs a name");
        }
        if (name.length() > MAX_SUBSCRIPTION_NAME_CHARS) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, what + " name has " + name.length()
                    + " characters; at most " + MAX_SUBSCRIPTION_NAME_CHARS + " are allowed");
        }
        if (r.selector() != null && r.selector().length() > MAX_STORED_SELECTOR_CHARS) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "the selector of " + what + " has "
                    + r.selector().length() + " characters; at most " + MAX_STORED_SELECTOR_CHARS + " are allowed");
        }
    }

    private static String requireClientId(ClientConnection c, String what) {
        if (c.clientId() == null) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, what + " needs the connection's client id, and"
                    + " none is set");
        }
        return c.clientId();
    }

    @Override
    public void disconnected(ClientConnection c) {
        admin.disconnected(c);
        release(c);
        LOG.debug("connection from {} closed", c.remoteAddress());
    }
}
