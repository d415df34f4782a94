package io.strand.broker;

import io.netty.channel.Channel;
import io.strand.protocol.Consumers;
import io.strand.protocol.ErrorCode;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broker's view of one client connection: its negotiated protocol version, its JMS client id,
 * and its open consumers by id with what the client asked for when it opened each. Confined to the
 * connection's event loop.
 */
final class ClientConnection {
    private final Channel channel;
    private final Map<Integer, BrokerConsumer> consumers = new HashMap<>();
    /** Each open consumer's open request: its session, selector and subscription, for the admin views. */
    private final Map<Integer, Consumers.OpenRequest> openRequests = new HashMap<>();
    private final Set<Destination.Key> temporaries = new HashSet<>();
    private boolean handshaken;
    private short version;
    private String clientId;
    /** The user the handshake authenticated, or null for an anonymous connection. */
    private volatile String userName;

    ClientConnection(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    boolean handshaken() {
        return handshaken;
    }

    short version() {
        return version;
    }

    void handshaken(short negotiatedVersion) {
        this.handshaken = true;
        this.version = negotiatedVersion;
    }

    String clientId() {
        return clientId;
    }

    void clientId(String id) {
        this.clientId = id;
    }

    String userName() {
        return userName;
    }

    void userName(String name) {
        this.userName = name;
    }

    /** The consumers open now; read on the event loop only. */
    Collection<BrokerConsumer> consumers() {
        return Collections.unmodifiableCollection(consumers.values());
    }

    void addConsumer(BrokerConsumer consumer, Consumers.OpenRequest openedWith) {
        if (consumers.putIfAbsent(consumer.id(), consumer) != null) {
            throw new BrokerException(ErrorCode.CONSUMER_EXISTS, "consumer " + consumer.id()
                    + " is open on this connection already");
        }
        openRequests.put(consumer.id(), openedWith);
    }

    /** The request that opened consumer {@code id}; every open consumer has one. */
    Consumers.OpenRequest openRequest(int id) {
        return openRequests.get(id);
    }

    BrokerConsumer consumer(int id) {
        BrokerConsumer consumer = consumers.get(id);
        if (consumer == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_CONSUMER, "no consumer " + id + " is open on this connection");
        }
        return consumer;
    }

    BrokerConsumer removeConsumer(int id) {
        BrokerConsumer consumer = consumer(id);
        consumers.remove(id);
        openRequests.remove(id);
        return consumer;
    }

    /** Drops a consumer that failed to open, if it is still the one registered under its id. */
    void forgetConsumer(BrokerConsumer consumer) {
        if (consumers.remove(consumer.id(), consumer)) {
            openRequests.remove(consumer.id());
        }
    }

    void addTemporary(Destination.Key key) {
        temporaries.add(key);
    }

    void removeTemporary(Destination.Key key) {
        temporaries.remove(key);
    }

    /** The temporary destinations this connection created and has not deleted; forgets them. */
    List<Destination.Key> takeTemporaries() {
        List<Destination.Key> taken = new ArrayList<>(temporaries);
        temporaries.clear();
        return taken;
    }

    /**
     * Closes every consumer and gives up the client id, once: a DISCONNECT request and the channel
     * closing after it both end here.
     */
    void release(ClientIds clientIds) {
        consumers.values().forEach(BrokerConsumer::close);
        consumers.clear();
        openRequests.clear();
        if (clientId != null) {
            clientIds.release(clientId, this);
            clientId = null;
        }
    }

    void resumeDeliveries() {
        consumers.values().forEach(BrokerConsumer::deliver);
    }
}
