package io.strand.ra;

import io.strand.jms.StrandConnectionFactory;
import io.strand.jms.StrandXAConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;

/**
 * Opens the adapter's physical connections to the broker through the provider: the one place that knows which
 * provider classes the adapter uses.
 */
final class PhysicalConnections {
    private PhysicalConnections() {
    }

    /** @throws IllegalArgumentException saying what is wrong with the URL */
    static void checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("brokerUrl must be set, e.g. strand://127.0.0.1:61617");
        }
        new StrandConnectionFactory(url);
    }

    /**
     * Opens a connection, not yet started. Always an XA connection: it makes ordinary sessions as well as XA ones,
     * so one connection serves work inside and outside global transactions.
     *
     * @throws JMSException if the broker cannot be reached or refuses the credentials
     */
    static XAConnection open(String url, Credentials credentials) throws JMSException {
        final StrandXAConnectionFactory factory;
        try {
            factory = new StrandXAConnectionFactory(url);
        } catch (IllegalArgumentException e) {
            throw new JMSException("bad broker URL " + url + ": " + e.getMessage());
        }
        return factory.createXAConnection(credentials.userName(), credentials.password());
    }
}
