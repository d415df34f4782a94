/**
 * The provider's internals below the JMS API: URL and option parsing, the Netty client connection
 * with request/response correlation and heartbeats ({@link io.strand.jms.client.WireConnection}), the
 * connection to a cluster that fails over from one broker connection to the next
 * ({@link io.strand.jms.client.ClusterConnection}, {@link io.strand.jms.client.ClusterConnector}) with
 * idempotent produce batches ({@link io.strand.jms.client.ProducerSequences}),
 * the producer's per-partition batching with linger ({@link io.strand.jms.client.ProduceAccumulator}),
 * the consumer's prefetch buffer and credit ({@link io.strand.jms.client.ConsumerCore},
 * {@link io.strand.jms.client.CreditWindow}) and acknowledgements
 * ({@link io.strand.jms.client.Acknowledgements}), cumulative for topics and per record for queues
 * ({@link io.strand.jms.client.AckStyle}).
 *
 * <p>Internal: applications never use these classes; they may change in any release. Nothing here
 * throws checked exceptions except where a JMS signature needs one; failures travel as
 * {@link io.strand.jms.client.BrokerException} and {@link io.strand.jms.client.ConnectionLostException}
 * and become JMS exceptions in {@code io.strand.jms.JmsExceptions}.
 */
package io.strand.jms.client;
