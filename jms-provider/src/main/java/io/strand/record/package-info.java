/**
 * The record-batch format: one byte layout from producer to disk to consumer.
 *
 * <p>Batches follow the layout of Kafka's RecordBatch v2 (see {@link io.strand.record.RecordBatch}).
 * The broker validates a batch and stamps its base offset and leader epoch, both outside the CRC,
 * and never re-encodes it. This package is shared by the client and the broker, so it depends on
 * nothing but the JDK and lz4-java: no Netty, JGroups or Jakarta type may appear here.
 *
 * <p>Public API of the provider module, used by {@code io.strand.log} and {@code io.strand.protocol}.
 */
package io.strand.record;
