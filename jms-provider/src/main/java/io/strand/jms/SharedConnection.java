package io.strand.jms;

import jakarta.jms.JMSException;

/**
 * A connection shared by a {@code JMSContext} and the contexts created from it with
 * {@code createContext(int)} (JMS 3.1 §6.1.6: they use the same connection); the connection closes
 * when the last of them closes. Thread-safe.
 */
final class SharedConnection {
    private final StrandConnection connection;
    private int references = 1;

    SharedConnection(StrandConnection connection) {
        this.connection = connection;
    }

    StrandConnection connection() {
        return connection;
    }

    synchronized SharedConnection retain() throws JMSException {
        if (references == 0) {
            throw new jakarta.jms.IllegalStateException("connection is closed");
        }
        references++;
        return this;
    }

    /** Drops one reference; the last one closes the connection. */
    void release() throws JMSException {
        final boolean last;
        synchronized (this) {
            last = references > 0 && --references == 0;
        }
        if (last) {
            connection.close();
        }
    }
}
