/**
 * The Jakarta Messaging 3.1 API implementation: Strand's connection factory, connections, sessions,
 * producers, consumers and destinations.
 *
 * <p>Public API of the provider: applications see these classes only through the {@code jakarta.jms}
 * interfaces they implement. Messages and their codec live in {@link io.strand.jms.message}; the
 * wire protocol in {@code io.strand.protocol}; the record-batch format in {@code io.strand.record}.
 * Nothing here depends on the broker (DESIGN.md §1).
 */
package io.strand.jms;
