/**
 * The broker: its listeners, the handling of every protocol request, destinations over partition
 * logs, topic consumers pushing batches under credit, durable subscriptions, and the launcher.
 * Internal to the broker; applications reach it through the wire protocol or {@code vm://}.
 */
package io.strand.broker;
