package io.strand.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;

/**
 * The client id rules of a connection (JMS 3.1 §6.1.2): the id is set administratively (by the
 * factory's {@code clientId} option), or by {@code setClientID} once, right after the connection is
 * created and before any other action; anything else is an {@link IllegalStateException}. The broker
 * has the last word ({@link InvalidClientIDException} for an id in use), so the id is recorded only
 * once the broker accepted it. Thread-safe: the monitor is held across the broker's answer so that no
 * other action can slip in between the checks and the handshake.
 */
final class ClientIdentity {
    /** Tells the broker the id; throws what the broker's answer maps to. */
    @FunctionalInterface
    interface Announcer {
        void announce(String clientId) throws JMSException;
    }

    private final boolean administered;
    /** Written under the monitor; volatile for {@link #current}. */
    private volatile String clientId;
    /** An action other than setClientID has happened: the id can no longer be set. */
    private boolean used;

    /** @param administeredId the factory's client id, already accepted by the broker, or null */
    ClientIdentity(String administeredId) {
        this.administered = administeredId != null;
        this.clientId = administeredId;
    }

    synchronized String get() {
        return clientId;
    }

    /**
     * The id accepted so far, without waiting for a {@link #set} in progress: what a failover's handshake carries (a
     * set in progress sends its own handshake again on the new broker connection).
     */
    String current() {
        return clientId;
    }

    synchronized void markUsed() {
        used = true;
    }

    synchronized void set(String id, Announcer broker) throws JMSException {
        if (administered) {
            throw new IllegalStateException("client id is set administratively to '" + clientId
                    + "' by the connection factory; it cannot be changed");
        }
        if (clientId != null) {
            throw new IllegalStateException("client id is already set to '" + clientId + "'; it can be set once");
        }
        if (used) {
            throw new IllegalStateException("setClientID must be called right after the connection is created,"
                    + " before any other action on it");
        }
        if (id == null || id.isEmpty()) {
            throw new InvalidClientIDException("client id must not be null or empty");
        }
        broker.announce(id);
        clientId = id;
        used = true;
    }
}
