/**
 * The Jakarta Messaging 3.1 API implementation: Strand's connection factory, connections, sessions,
 * producers, consumers and destinations, in the classic and the simplified API.
 *
 * <p>Public API of the provider: applications see these classes only through the {@code jakarta.jms}
 * interfaces they implement, and name {@link io.strand.jms.StrandConnectionFactory} (or look it up
 * through {@link io.strand.jms.jndi.StrandInitialContextFactory}). Every failure becomes the JMS
 * exception the specification names in {@link io.strand.jms.JmsExceptions}.
 *
 * <p>Threading: connections and factories are thread-safe; sessions and what they create are used
 * by one thread at a time, as the specification says. Message listeners of a session run on that
 * session's own thread; completion and exception listeners on the connection's callback thread;
 * never on the Netty event loop.
 *
 * <p>Messages and their codec live in {@link io.strand.jms.message}; the wire and batching internals in
 * {@link io.strand.jms.client}; the wire protocol in {@code io.strand.protocol}; the record-batch format
 * in {@code io.strand.record}. Nothing here depends on the broker (DESIGN.md §1).
 */
package io.strand.jms;
