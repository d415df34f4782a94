package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Produce;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends the batches of a {@link ProduceAccumulator} as PRODUCE requests: builds one record batch from the records,
 * stamped with the connection's idempotent-producer identity ({@link ProducerSequences}), and sends it as a request
 * the {@link ClusterConnection} sends again after a failover when its answer was lost. A connection that never fails
 * over never sends a batch twice, so its batches go unstamped: the broker keeps no producer state for them.
 * Thread-safe; called under the accumulator's lock, so that sequences follow the order batches leave in.
 */
public final class WireBatchSender implements ProduceAccumulator.BatchSender {
    private final ClusterConnection connection;
    private final RecordFormat format;
    /** Null when the connection does not fail over. */
    private final ProducerSequences sequences;

    public WireBatchSender(ClusterConnection connection, RecordFormat format) {
        this.connection = connection;
        this.format = format;
        this.sequences = connection.failsOver() ? new ProducerSequences() : null;
    }

    @Override
    public CompletableFuture<Long> send(ProduceAccumulator.PartitionKey partition, boolean durable,
                                        List<EncodedMessage> records, long[] timestampsMs) {
        if (sequences == null) {
            return produce(partition, durable, format.encode(ByteBufAllocator.DEFAULT, records, timestampsMs), false);
        }
        final ProducerSequences.Stamp stamp = sequences.next(partition, records.size());
        final ByteBuf batch;
        try {
            batch = format.encode(ByteBufAllocator.DEFAULT, records, timestampsMs, stamp);
        } catch (RuntimeException e) {
            sequences.refused(partition, stamp.producerId()); // its sequences never reach the broker: no gap may follow
            throw e;
        }
        return produce(partition, durable, batch, true).whenComplete((offset, e) -> {
            final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BrokerException) {
                sequences.refused(partition, stamp.producerId());
            }
        });
    }

    /** Sends one batch and releases it (the request copies its bytes); the future holds the first offset. */
    private CompletableFuture<Long> produce(ProduceAccumulator.PartitionKey partition, boolean durable, ByteBuf batch,
                                            boolean idempotent) {
        try {
            final Produce.Request request = new Produce.Request(partition.type(), partition.destination(),
                    partition.partition(), durable, batch);
            return (idempotent
                    ? connection.sendIdempotent(ApiKey.PRODUCE, request::writeTo, Produce.Response::readFrom,
                            Produce.Response::status)
                    : connection.send(ApiKey.PRODUCE, request::writeTo, Produce.Response::readFrom,
                            Produce.Response::status)).thenApply(Produce.Response::baseOffset);
        } finally {
            batch.release();
        }
    }
}
