package io.strand.broker;

import io.netty.channel.Channel;
import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;

/**
 * A consumer of a topic: pushes whole batches from each partition's position up to its high
 * watermark while the consumer has credit, round-robin over the partitions. A non-durable consumer
 * starts at the log end and forgets its position when it closes; a durable one starts where its
 * subscription's acknowledgements left off and commits each acknowledgement to the subscription.
 *
 * <p>Bytes go from the segment file to the socket with zero copy (see {@link Pushes}). Threading as
 * in {@link PushingConsumer}.
 */
final class TopicConsumer extends PushingConsumer {
    private static final int DELIVER_HEADER_BYTES = 4 + 4 + 8 + 4;

    private final DurableSubscription subscription;
    private final long[] positions;

    TopicConsumer(int consumerId, short version, Channel channel, Destination destination,
                  DurableSubscription subscription, PartitionWatchers watchers, int credit) {
        super(consumerId, version, channel, destination, watchers, credit);
        this.subscription = subscription;
        this.positions = new long[destination.partitions().size()];
        for (int p = 0; p < positions.length; p++) {
            PartitionLog log = destination.partitions().get(p);
            positions[p] = subscription != null ? subscription.startPosition(p, log) : log.highWatermark();
        }
    }

    /** The durable subscription this consumer reads, or null for a non-durable subscriber. */
    DurableSubscription subscription() {
        return subscription;
    }

    @Override
    protected boolean pushFrom(int partition) {
        PartitionLog log = destination.partitions().get(partition);
        long highWatermark = log.highWatermark();
        long from = positions[partition];
        if (from >= highWatermark) {
            return false;
        }
        FileSlice slice;
        try {
            slice = log.read(from, MAX_PUSH_BYTES, highWatermark);
        } catch (OffsetOutOfRangeException e) {
            // Retention removed records this consumer had not reached: go on from the oldest that remain.
            positions[partition] = log.logStartOffset();
            return true;
        }
        if (slice.isEmpty()) {
            return false;
        }
        push(partition, from, slice);
        credit -= slice.nextOffset() - Math.max(slice.firstOffset(), from);
        positions[partition] = slice.nextOffset();
        return true;
    }

    private void push(int partition, long from, FileSlice slice) {
        Consumers.Deliver deliver = new Consumers.Deliver(consumerId, partition, from, null);
        Pushes.send(channel, ApiKey.DELIVER, version, DELIVER_HEADER_BYTES,
                out -> deliver.writeHeaderTo(out, slice.sizeInBytes()), slice);
    }

    /**
     * The consumer has processed every record of {@code partition} up to and including {@code offset};
     * completes when a durable subscription has made that durable.
     */
    CompletableFuture<Void> acknowledge(int partition, long offset) {
        destination.partition(partition);
        // An offset this consumer was never sent would move a durable position past records nobody read.
        if (offset < 0 || offset >= positions[partition]) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "offset " + offset + " of partition " + partition
                    + " was not delivered to consumer " + consumerId + "; it was sent records below offset "
                    + positions[partition]);
        }
        if (subscription == null) {
            return CompletableFuture.completedFuture(null);
        }
        return subscription.commit(partition, offset + 1);
    }

    @Override
    protected void onClose() {
        if (subscription != null) {
            subscription.detach(this);
        }
    }
}
