package io.strand.broker;

import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.FrameHeader;
import io.strand.protocol.FrameReader;
import io.strand.protocol.Handshake;
import io.strand.protocol.Replication;
import io.strand.protocol.ResponseStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Serves the connections of a broker in a cluster. Follower brokers' replica connections (their
 * handshake names {@link Replication#REPLICA_CLIENT_SOFTWARE}) get {@link ApiKey#REPLICA_FETCH} and
 * nothing else. Client connections are served by the messaging engine while this broker is the active
 * one; otherwise they are told {@link ErrorCode#NOT_LEADER} with the active broker's address, so that
 * they connect there. When the broker stops being active, {@link #closeClients} ends every client
 * connection, whose client then finds the new active broker.
 */
final class ClusterRouter implements Router {
    private final int brokerId;
    private final BrokerConfig config;
    private final Supplier<ClusterMember> member;
    private final Set<ClientConnection> replicaConnections = ConcurrentHashMap.newKeySet();
    /** Each client connection and the engine that serves it. */
    private final Map<ClientConnection, MessagingEngine> clients = new ConcurrentHashMap<>();

    /** @param member this broker's cluster membership, null while it is still joining */
    ClusterRouter(BrokerConfig config, Supplier<ClusterMember> member) {
        this.brokerId = config.brokerId();
        this.config = config;
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
                String active = joined == null ? null : joined.activeBrokerAddress();
                String message = "broker " + brokerId + " is not the cluster's active broker"
                        + (active == null ? "; none is active now, try again" : "; connect to " + active);
                if (api == ApiKey.HANDSHAKE) {
                    Handshake.Request.readFrom(in);
                    Responses.send(c.channel(), h, Handshake.Response.notLeader(message, active)::writeTo);
                    return;
                }
                throw new BrokerException(ErrorCode.NOT_LEADER, message);
            }
            clients.put(c, serving);
        } else if (serving != current) {
            c.channel().close(); // the engine that served it was replaced; the client connects again
            return;
        }
        serving.router().route(c, api, h, in);
    }

    private static boolean isReplicaHandshake(FrameReader peek) {
        return Replication.REPLICA_CLIENT_SOFTWARE.equals(Handshake.Request.readFrom(peek).clientSoftware());
    }

    private void acceptReplica(ClientConnection c, FrameHeader h, Handshake.Request r) {
        if (!config.users().isEmpty()) {
            // Brokers do not yet authenticate to each other: with users configured nobody may fetch as a replica.
            throw new BrokerException(ErrorCode.AUTHENTICATION_FAILED, "replication between brokers that have "
                    + "users (auth.users) is not supported");
        }
        short version = (short) Math.min(r.maxVersion(), Handshake.MAX_VERSION);
        c.handshaken(version);
        replicaConnections.add(c);
        Responses.send(c.channel(), h, new Handshake.Response(ResponseStatus.OK, version, brokerId, "strand")::writeTo);
    }

    @Override
    public void disconnected(ClientConnection c) {
        replicaConnections.remove(c);
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
