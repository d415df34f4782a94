package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Replication;
import io.strand.protocol.ResponseStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the connections of a broker in a cluster. Follower brokers' replica connections (their
 * handshake names {@link Replication#REPLICA_CLIENT_SOFTWARE}) get {@link ApiKey#REPLICA_FETCH} and
 * nothing else. Client connections are served by the messaging engine while this broker is the active
 * one; otherwise they are told {@link ErrorCode#NOT_LEADER} with the active broker's address, so that
 * they connect there. When the broker stops being active, {@link #closeClients} ends every client
 * connection, whose client then finds the new active broker.
 *
 * <p>While no broker is known to be active (the active one just died, and the controller has not chosen the
 * next, or the next is loading its state), a client's handshake is held rather than refused: a refusal that
 * names no broker, or the dead one, only sends the client into its backoff, and it would find the next
 * active broker up to seconds after that one is ready. The held handshake is answered as soon as this broker
 * is active (accepted) or another one is known to be (NOT_LEADER naming it), and after
 * {@link #HANDSHAKE_HOLD_MS} at the latest as it would have been at once. Nothing blocks meanwhile: the
 * answer goes out on the connection's event loop when the cluster view changes or the hold runs out.
 */
final class ClusterRouter implements Router {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRouter.class);
    static final long HANDSHAKE_HOLD_MS = 5_000;

    private final int brokerId;
    private final BrokerConfig config;
    private final Supplier<ClusterMember> member;
    private final Set<ClientConnection> replicaConnections = ConcurrentHashMap.newKeySet();
    /** Checks a follower's login: with users, no follower fetches anonymously. */
    private final Authenticator replicaLogins;
    /** Each client connection and the engine that serves it. */
    private final Map<ClientConnection, MessagingEngine> clients = new ConcurrentHashMap<>();
    /** Client handshakes waiting for a broker to be known as active. */
    private final Map<ClientConnection, HeldHandshake> held = new ConcurrentHashMap<>();

    /** @param member this broker's cluster membership, null while it is still joining */
    ClusterRouter(BrokerConfig config, Supplier<ClusterMember> member) {
        this.brokerId = config.brokerId();
        this.config = config;
        this.replicaLogins = new Authenticator(config.users(), false);
        this.member = member;
    }

    @Override
    public void route(ClientConnection c, ApiKey api, FrameHeader h, FrameReader in) {
        if (api == ApiKey.HANDSHAKE && !c.handshaken() && isReplicaHandshake(in.remaining())) {
            acceptReplica(c, h, Handshake.Request.readFrom(in));
            return;
        }
        ClusterMember joined = member.get();
        if (replicaConnections.contains(c)) {
            if (api != ApiKey.REPLICA_FETCH) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "a replica connection serves only "
                        + ApiKey.REPLICA_FETCH + ", not " + api);
            }
            if (joined == null) {
                throw new BrokerException(ErrorCode.NOT_LEADER, "broker " + brokerId + " is still joining its cluster");
            }
            joined.replicas().serve(Replication.FetchRequest.readFrom(in), c.channel().eventLoop(),
                    response -> Responses.send(c.channel(), h, response::writeTo));
            return;
        }
        if (api == ApiKey.REPLICA_FETCH) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, ApiKey.REPLICA_FETCH
                    + " is served only on a broker's replica connection");
        }
        MessagingEngine current = joined == null ? null : joined.engine();
        MessagingEngine serving = clients.get(c);
        if (serving == null) {
            serving = current;
            if (serving == null) {
                if (api == ApiKey.HANDSHAKE) {
                    handshakeWithoutEngine(c, h, Handshake.Request.readFrom(in), joined);
                    return;
                }
                throw new BrokerException(ErrorCode.NOT_LEADER, notActive(activeAddress(joined)));
            }
            clients.put(c, serving);
        } else if (serving != current) {
            c.channel().close(); // the engine that served it was replaced; the client connects again
            return;
        }
        serving.router().route(c, api, h, in);
    }

    private String notActive(String active) {
        return "broker " + brokerId + " is not the cluster's active broker"
                + (active == null ? "; none is active now, try again" : "; connect to " + active);
    }

    private static String activeAddress(ClusterMember joined) {
        return joined == null ? null : joined.activeBrokerAddress();
    }

    /** A client's handshake while this broker serves no clients: sent on to the active broker, or held. */
    private void handshakeWithoutEngine(ClientConnection c, FrameHeader h, Handshake.Request request,
                                        ClusterMember joined) {
        String elsewhere = joined == null ? null : joined.activeBrokerElsewhere();
        if (elsewhere != null) {
            Responses.send(c.channel(), h, Handshake.Response.notLeader(notActive(elsewhere), elsewhere)::writeTo);
            return;
        }
        HeldHandshake handshake = new HeldHandshake(c, h, request);
        held.put(c, handshake);
        handshake.expiry = c.channel().eventLoop().schedule(() -> handshake.answer(true), HANDSHAKE_HOLD_MS,
                TimeUnit.MILLISECONDS);
        handshake.answerIfDecided(); // the cluster may have moved on since the check above
    }

    /**
     * The metadata changed or this broker's role did: answers the handshakes held for an active broker if
     * one is known now. Called on the cluster member's thread; each answer goes out on its connection's loop.
     */
    void activeBrokerMayHaveChanged() {
        held.values().forEach(HeldHandshake::answerIfDecided);
    }

    /** A client handshake that waits for an active broker to be known. */
    private final class HeldHandshake {
        private final ClientConnection connection;
        private final FrameHeader header;
        private final Handshake.Request request;
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile ScheduledFuture<?> expiry;

        HeldHandshake(ClientConnection connection, FrameHeader header, Handshake.Request request) {
            this.connection = connection;
            this.header = header;
            this.request = request;
        }

        void answerIfDecided() {
            connection.channel().eventLoop().execute(() -> answer(false));
        }

        /** Runs on the connection's event loop; answers once, if a broker is known to be active or on expiry. */
        void answer(boolean expired) {
            if (answered.get() || !connection.channel().isActive()) {
                return;
            }
            ClusterMember joined = member.get();
            MessagingEngine engine = joined == null ? null : joined.engine();
            String elsewhere = joined == null ? null : joined.activeBrokerElsewhere();
            if (engine == null && elsewhere == null && !expired) {
                return;
            }
            answered.set(true);
            held.remove(connection, this);
            ScheduledFuture<?> pendingExpiry = expiry;
            if (pendingExpiry != null) {
                pendingExpiry.cancel(false);
            }
            if (engine == null) {
                String active = elsewhere != null ? elsewhere : activeAddress(joined);
                Responses.send(connection.channel(), header,
                        Handshake.Response.notLeader(notActive(active), active)::writeTo);
                return;
            }
            clients.put(connection, engine);
            ByteBuf body = Unpooled.buffer();
            request.writeTo(body);
            try {
                engine.router().route(connection, ApiKey.HANDSHAKE, header, new FrameReader(body));
            } catch (BrokerException e) {
                Responses.status(connection.channel(), header, ResponseStatus.of(e.error(), e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("the held handshake from {} failed", connection.remoteAddress(), e);
                Responses.status(connection.channel(), header, ResponseStatus.of(ErrorCode.UNKNOWN_SERVER_ERROR,
                        "the broker failed on this request: " + e));
            }
        }
    }

    private static boolean isReplicaHandshake(FrameReader peek) {
        return Replication.REPLICA_CLIENT_SOFTWARE.equals(Handshake.Request.readFrom(peek).clientSoftware());
    }

    /**
     * A follower's handshake. When the broker has users, it must log in as one of the admins
     * ({@code cluster.replication.user}): a replica connection reads every partition. A refusal is answered and the
     * connection closed once the answer is written; the follower tries again, and its broker logs why.
     */
    private void acceptReplica(ClientConnection c, FrameHeader h, Handshake.Request r) {
        CompletableFuture<Authenticator.Result> checked = replicaLogins.authenticate(r.userName(), r.password());
        if (checked.isDone()) {
            replicaAuthenticated(c, h, r, checked.join());
            return;
        }
        checked.whenComplete((result, error) -> c.channel().eventLoop().execute(() -> {
            if (c.channel().isActive()) {
                replicaAuthenticated(c, h, r, error == null ? result
                        : new Authenticator.Result("the broker could not check the password", error.toString()));
            }
        }));
    }

    private void replicaAuthenticated(ClientConnection c, FrameHeader h, Handshake.Request r,
                                      Authenticator.Result result) {
        String user = r.userName() == null || r.userName().isEmpty() ? null : r.userName();
        String refusal = !result.accepted() ? result.refusal()
                : config.isAdmin(user) ? null : "a broker fetches as a replica only as a user named by auth.admins";
        if (refusal != null) {
            LOG.warn("Broker {} refused the replica connection from {}: {}", brokerId, c.remoteAddress(),
                    result.accepted() ? "user '" + user + "' is not named by auth.admins" : result.reasonForLog());
            Responses.status(c.channel(), h, ResponseStatus.of(ErrorCode.AUTHENTICATION_FAILED, refusal));
            c.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        short version = (short) Math.min(r.maxVersion(), Handshake.MAX_VERSION);
        c.handshaken(version);
        replicaConnections.add(c);
        Responses.send(c.channel(), h, new Handshake.Response(ResponseStatus.OK, version, brokerId, "strand")::writeTo);
    }

    @Override
    public void disconnected(ClientConnection c) {
        replicaConnections.remove(c);
        HeldHandshake handshake = held.remove(c);
        if (handshake != null && handshake.expiry != null) {
            handshake.expiry.cancel(false);
        }
        MessagingEngine served = clients.remove(c);
        if (served != null) {
            served.router().disconnected(c);
        }
    }

    /** Ends every client connection: this broker stopped being the active one. */
    void closeClients() {
        clients.keySet().forEach(c -> c.channel().close());
    }
}
