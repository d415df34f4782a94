/**
 * The seam between the JMS provider and an embedded broker: {@code vm://} URLs look up an
 * {@link io.strand.jms.spi.EmbeddedBrokerFactory} with {@link java.util.ServiceLoader}; the broker
 * module provides one. The provider speaks the same wire protocol to an embedded broker as to a
 * remote one, over Netty's in-JVM transport instead of a socket. Service provider interface.
 */
package io.strand.jms.spi;
