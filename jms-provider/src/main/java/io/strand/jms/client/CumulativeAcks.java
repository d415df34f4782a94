package io.strand.jms.client;

import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.Shares;
import java.util.concurrent.CompletableFuture;

/** {@link AckStyle#CUMULATIVE}: the highest accepted offset stands for every record before it. */
final class CumulativeAcks implements PendingAcks {
    /** -1: nothing queued. */
    private long highestOffset = -1;

    @Override
    public void add(long offset, Shares.AckType type) {
        if (type != Shares.AckType.ACCEPT) {
            throw new IllegalStateException("a topic subscription acknowledges cumulatively and cannot send "
                    + type + " for offset " + offset);
        }
        highestOffset = Math.max(highestOffset, offset);
    }

    @Override
    public boolean isEmpty() {
        return highestOffset < 0;
    }

    @Override
    public CompletableFuture<Void> send(WireConnection wire, int consumerId, int partition) {
        final Consumers.AcknowledgeRequest request = new Consumers.AcknowledgeRequest(consumerId, partition, highestOffset);
        highestOffset = -1;
        return wire.sendForStatus(ApiKey.ACKNOWLEDGE, request::writeTo).thenApply(r -> null);
    }
}
