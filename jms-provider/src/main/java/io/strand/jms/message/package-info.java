/**
 * Jakarta Messaging messages and their mapping onto log records.
 *
 * <p>{@link io.strand.jms.message.StrandMessage} and its five body types implement the message model of
 * Jakarta Messaging 3.1: every header, properties with the specification's conversion table and name
 * rules, read-only and write-only body states, {@code getBody}/{@code isBodyAssignableTo}, and an
 * {@code acknowledge()} that goes to a {@link io.strand.jms.message.MessageAcknowledger} the session sets.
 *
 * <p>{@link io.strand.jms.message.MessageCodec} turns a message into a record (key, value, headers) and
 * back: the body is the record value, encoded once; headers and properties are record headers, so the
 * broker evaluates selectors on them without touching the body
 * ({@link io.strand.jms.message.EncodedHeaderLookup}). The codec deals in plain values and does not
 * depend on {@code io.strand.record}.
 *
 * <p>Public API of the provider for the session, producer and consumer classes and for the broker's
 * selector evaluation. Messages are not thread-safe, as the specification says; the codec is immutable.
 */
package io.strand.jms.message;
