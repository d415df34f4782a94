package io.strand.cluster.metadata;

import java.util.Objects;

/**
 * Where clients and other brokers reach a broker: a named listener on a host and port.
 *
 * @param listener the listener's name, such as {@code client} or {@code replication}
 * @param host     a host name or address
 * @param port     a TCP port, 1 to 65535
 */
public record Endpoint(String listener, String host, int port) {
    public Endpoint {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(host, "host");
        if (listener.isEmpty()) {
            throw new IllegalArgumentException("listener name is empty");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host of listener " + listener + " is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port=" + port + " of listener " + listener + " is outside 1..65535");
        }
    }

    @Override
    public String toString() {
        return listener + "://" + host + ":" + port;
    }
}
