package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Produce;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends the batches of a {@link ProduceAccumulator} as PRODUCE requests: builds one record batch from
 * the records and writes it into the request frame. Thread-safe; called under the accumulator's lock.
 */
public final class WireBatchSender implements ProduceAccumulator.BatchSender {
    private final WireConnection wire;
    private final RecordFormat format;

    public WireBatchSender(WireConnection wire, RecordFormat format) {
        this.wire = wire;
        this.format = format;
    }

    @Override
    public CompletableFuture<Long> send(ProduceAccumulator.PartitionKey partition, boolean durable,
                                        List<EncodedMessage> records, long[] timestampsMs) {
        final ByteBuf batch = format.encode(ByteBufAllocator.DEFAULT, records, timestampsMs);
        try {
            final Produce.Request request = new Produce.Request(partition.type(), partition.destination(),
                    partition.partition(), durable, batch);
            return wire.send(ApiKey.PRODUCE, request::writeTo, Produce.Response::readFrom, Produce.Response::status)
                    .thenApply(Produce.Response::baseOffset);
        } finally {
            batch.release(); // the request copied the bytes into its frame
        }
    }
}
