package io.strand.jms.client;

import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.Shares;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AckStyle#CUMULATIVE}: the highest accepted offset stands for every record before it. While a
 * record below it is held back for its delivery time, only the part below that record can be sent
 * ({@link #takeUpTo}); the rest waits here.
 */
final class CumulativeAcks implements PendingAcks {
    /** -1: nothing queued. */
    private long highestOffset = -1;
    /** The lowest offset queued and not yet covered by one sent (or a bound below it); meaningless when empty. */
    private long lowestOffset = Long.MAX_VALUE;

    @Override
    public void add(long offset, Shares.AckType type) {
        if (type != Shares.AckType.ACCEPT) {
            throw new IllegalStateException("a topic subscription acknowledges cumulatively and cannot send "
                    + type + " for offset " + offset);
        }
        highestOffset = Math.max(highestOffset, offset);
        lowestOffset = Math.min(lowestOffset, offset);
    }

    /** @return the offset {@link #send} names: the highest queued, -1 when nothing is */
    long highestOffset() {
        return highestOffset;
    }

    @Override
    public boolean isEmpty() {
        return highestOffset < 0;
    }

    /**
     * Takes what may be sent when no acknowledgement may pass {@code ceiling}, leaving the rest queued.
     *
     * @return everything queued if it lies at or below the ceiling; else an acknowledgement of the ceiling when
     *         something queued lies at or below it; else null (nothing to send yet: what is queued lies above)
     */
    CumulativeAcks takeUpTo(long ceiling) {
        final CumulativeAcks sendable = new CumulativeAcks();
        if (highestOffset <= ceiling) {
            sendable.highestOffset = highestOffset;
            sendable.lowestOffset = lowestOffset;
            highestOffset = -1;
            lowestOffset = Long.MAX_VALUE;
            return sendable;
        }
        if (ceiling < 0 || lowestOffset > ceiling) {
            return null;
        }
        sendable.add(ceiling, Shares.AckType.ACCEPT);
        lowestOffset = ceiling + 1; // everything still queued lies above the ceiling
        return sendable;
    }

    @Override
    public CompletableFuture<Void> send(WireConnection wire, int consumerId, int partition) {
        final Consumers.AcknowledgeRequest request = new Consumers.AcknowledgeRequest(consumerId, partition, highestOffset);
        highestOffset = -1;
        lowestOffset = Long.MAX_VALUE;
        return wire.sendForStatus(ApiKey.ACKNOWLEDGE, request::writeTo).thenApply(r -> null);
    }
}
