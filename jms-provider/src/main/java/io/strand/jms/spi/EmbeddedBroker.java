package io.strand.jms.spi;

import java.net.SocketAddress;

/** A reference to a broker running in this JVM. */
public interface EmbeddedBroker {
    /** Where to connect: a Netty {@code LocalAddress} served by the broker's in-JVM listener. */
    SocketAddress address();

    /** Gives the reference back; the last release stops the broker cleanly. */
    void release();
}
