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
 * the {@link ClusterConnection} sends again after a failover when its answer was lost. Thread-safe; called under the
 * accumulator's lock, so that sequences follow the order batches leave in.
 */
public final class WireBatchSender implements ProduceAccumulator.BatchSender {
    private final ClusterConnection connection;
    private final RecordFormat format;
    private final ProducerSequences sequences = new ProducerSequences();

    public WireBatchSender(ClusterConnection connection, RecordFormat format) {
        this.connection = connection;
        this.format = format;
    }

    @Override
    public CompletableFuture<Long> send(ProduceAccumulator.PartitionKey partition, boolean durable,
                                        List<EncodedMessage> records, long[] timestampsMs) {
        final ProducerSequences.Stamp stamp = sequences.next(partition, records.size());
        final ByteBuf batch;
        try {
            batch = format.encode(ByteBufAllocator.DEFAULT, records, timestampsMs, stamp);
        } catch (RuntimeException e) {
            sequences.refused(partition, stamp.producerId()); // its sequences never reach the broker: no gap may follow
            throw e;
        }
        final CompletableFuture<Produce.Response> answer;
        try {
            final Produce.Request request = new Produce.Request(partition.type(), partition.destination(),
                    partition.partition(), durable, batch);
            answer = connection.sendIdempotent(ApiKey.PRODUCE, request::writeTo, Produce.Response::readFrom,
                    Produce.Response::status);
        } finally {
            batch.release(); // the request copied the bytes
        }
        return answer.whenComplete((r, e) -> {
            final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BrokerException) {
                sequences.refused(partition, stamp.producerId());
            }
        }).thenApply(Produce.Response::baseOffset);
    }
}
