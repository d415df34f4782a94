package io.strand.broker;

import io.strand.protocol.ErrorCode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The JMS client ids in use: the specification lets only one connection at a time hold a client
 * id, since durable subscriptions are named by it. Thread-safe.
 */
final class ClientIds {
    private final ConcurrentMap<String, Object> owners = new ConcurrentHashMap<>();

    /** Claims {@code clientId} for {@code owner}; INVALID_CLIENT_ID when another connection holds it. */
    void claim(String clientId, Object owner) {
        if (clientId.isEmpty() || clientId.length() > 1000) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "client id must be 1 to 1000 characters long");
        }
        Object previous = owners.putIfAbsent(clientId, owner);
        if (previous != null && previous != owner) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId
                    + "' is in use by another connection");
        }
    }

    void release(String clientId, Object owner) {
        owners.remove(clientId, owner);
    }
}
