/**
 * The load generator of the JMS system benchmark: {@link io.strand.bench.jms.client.LoadGenerator} runs the
 * workloads through the standard {@code jakarta.jms} API only, so exactly the same code drives every
 * broker; only the {@link jakarta.jms.ConnectionFactory} class and URL differ. Every drain checks what
 * it received ({@link io.strand.bench.jms.client.DeliveryLedger}) and reports a workload as failed,
 * never as a number, when a message was missing, duplicated or did not match the consumer's selector.
 */
package io.strand.bench.jms.client;
