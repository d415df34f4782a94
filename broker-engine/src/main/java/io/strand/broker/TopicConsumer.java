package io.strand.broker;

import io.netty.channel.Channel;
import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A consumer of a topic: pushes whole batches from each partition's position up to its high
 * watermark while the consumer has credit, round-robin over the partitions. A non-durable consumer
 * starts at the high watermark, or where its client says it was when it opens it again after a failover, and
 * forgets its position when it closes; a durable one starts where its
 * subscription's acknowledgements left off, commits each acknowledgement to the subscription, tells the
 * subscription how far it pushed, and marks in its pushes the records an earlier consumer was sent and did not
 * acknowledge, for the client to deliver as redeliveries.
 *
 * <p>Bytes go from the segment file to the socket with zero copy (see {@link Pushes}). Threading as
 * in {@link PushingConsumer}.
 */
final class TopicConsumer extends PushingConsumer {
    private final DurableSubscription subscription;
    private final long[] positions;
    /** Per partition, the offset below which records were delivered before this consumer came (durable only). */
    private final long[] redeliveredBelow;
    /** Per partition, the offset below which the client acknowledged what it was pushed (for the admin views). */
    private final long[] acknowledgedBelow;
    /** See {@link #startPositions()}. */
    private final List<Consumers.PartitionOffset> startPositions;
    /** Per partition, how far the client handed records to the application, once it said so; else null. */
    private long[] handedOut;
    /** Counts the records pushed. */
    private final Traffic traffic;

    /**
     * @param resumeAt for a non-durable subscriber opened again after a failover, per partition, where it goes on
     *                 (see {@link #resumePosition}); empty otherwise
     * @param traffic  counts the records pushed
     */
    TopicConsumer(int consumerId, short version, Channel channel, Destination destination,
                  DurableSubscription subscription, List<Consumers.PartitionOffset> resumeAt, PartitionWatchers watchers,
                  int credit, Traffic traffic) {
        super(consumerId, version, channel, destination, watchers, credit);
        this.traffic = traffic;
        this.subscription = subscription;
        this.positions = new long[destination.partitions().size()];
        this.redeliveredBelow = new long[positions.length];
        this.acknowledgedBelow = new long[positions.length];
        for (int p = 0; p < positions.length; p++) {
            PartitionLog log = destination.partitions().get(p);
            positions[p] = subscription != null ? subscription.startPosition(p, log) : log.highWatermark();
            redeliveredBelow[p] = subscription != null ? subscription.redeliveredBelow(p) : DurableSubscription.UNSET;
        }
        for (Consumers.PartitionOffset resume : resumeAt) {
            if (resume.partition() >= positions.length) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "a subscriber resumes in partition "
                        + resume.partition() + " of topic " + destination.name() + ", which has "
                        + positions.length + " partitions");
            }
            positions[resume.partition()] = resumePosition(destination.partitions().get(resume.partition()),
                    resume.nextOffset());
        }
        System.arraycopy(positions, 0, acknowledgedBelow, 0, positions.length);
        List<Consumers.PartitionOffset> starts = new ArrayList<>(positions.length);
        for (int p = 0; subscription == null && p < positions.length; p++) {
            starts.add(new Consumers.PartitionOffset(p, positions[p]));
        }
        this.startPositions = List.copyOf(starts);
    }

    /**
     * Where a resuming subscriber goes on in {@code log}: where it asks, which may lie above the high watermark of a
     * leader just elected (pushes wait for it), but not past the log's end, which it would only reach if records it
     * saw were lost with an unclean election, and not below the log's start, since retention removed what lies there.
     */
    private static long resumePosition(PartitionLog log, long asked) {
        return Math.max(log.logStartOffset(), Math.min(asked, log.logEndOffset()));
    }

    /**
     * @return per partition, the offset a non-durable subscriber started from: what its open answers, so that its
     *         client may resume from there; empty for a durable one, whose subscription keeps its position
     */
    List<Consumers.PartitionOffset> startPositions() {
        return startPositions;
    }

    /** The durable subscription this consumer reads, or null for a non-durable subscriber. */
    DurableSubscription subscription() {
        return subscription;
    }

    /** The offset of {@code partition} the next push starts from: everything below was pushed or skipped. */
    long position(int partition) {
        return positions[partition];
    }

    /** Records pushed to this consumer and not yet acknowledged (those its client dropped included, until acknowledged). */
    long inFlight() {
        long inFlight = 0;
        for (int p = 0; p < positions.length; p++) {
            inFlight += Math.max(0, positions[p] - acknowledgedBelow[p]);
        }
        return inFlight;
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
        long pushed = slice.nextOffset() - Math.max(slice.firstOffset(), from);
        credit -= pushed;
        traffic.pushed(log.topicPartition(), pushed, slice.sizeInBytes());
        positions[partition] = slice.nextOffset();
        if (subscription != null) {
            subscription.delivered(partition, slice.nextOffset());
        }
        return true;
    }

    private void push(int partition, long from, FileSlice slice) {
        // Records below the mark were delivered to an earlier consumer of the subscription and not acknowledged.
        Consumers.Deliver deliver = new Consumers.Deliver(consumerId, partition, from,
                Math.max(from, redeliveredBelow[partition]), null);
        Pushes.send(channel, ApiKey.DELIVER, version, Consumers.Deliver.headerBytes(version),
                out -> deliver.writeHeaderTo(out, slice.sizeInBytes(), version), slice);
    }

    /**
     * The consumer has processed every record of {@code partition} up to and including {@code offset};
     * completes when a durable subscription has made that durable.
     */
    CompletableFuture<Void> acknowledge(int partition, long offset) {
        checkDelivered(partition, offset);
        acknowledgedBelow[partition] = Math.max(acknowledgedBelow[partition], offset + 1);
        if (subscription == null) {
            return CompletableFuture.completedFuture(null);
        }
        return subscription.commit(partition, offset + 1);
    }

    /**
     * Checks that this consumer was sent the record at {@code offset} of {@code partition}: an offset it was never
     * sent would move a durable position past records nobody read.
     *
     * @throws BrokerException INVALID_REQUEST naming the offset, or UNKNOWN_PARTITION
     */
    void checkDelivered(int partition, long offset) {
        destination.partition(partition);
        if (offset < 0 || offset >= positions[partition]) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "offset " + offset + " of partition " + partition
                    + " was not delivered to consumer " + consumerId + "; it was sent records below offset "
                    + positions[partition]);
        }
    }

    /** The client's report, just before it closes this consumer, of how far it handed records to the application. */
    void handedOut(List<Consumers.PartitionOffset> marks) {
        long[] reported = new long[positions.length];
        Arrays.fill(reported, DurableSubscription.UNSET);
        for (Consumers.PartitionOffset mark : marks) {
            destination.partition(mark.partition());
            reported[mark.partition()] = mark.nextOffset();
        }
        handedOut = reported;
    }

    @Override
    protected void onClose() {
        if (subscription != null) {
            subscription.detach(this, deliveredMarks());
        }
    }

    /**
     * What this consumer leaves delivered per partition: with the client's report, what the application saw
     * or an earlier consumer was sent, whichever is further; without it (the connection died), null: all
     * that was pushed counts as delivered, so nothing delivered is ever redelivered as new.
     */
    private long[] deliveredMarks() {
        if (handedOut == null) {
            return null;
        }
        long[] marks = new long[positions.length];
        for (int p = 0; p < marks.length; p++) {
            marks[p] = Math.max(handedOut[p], redeliveredBelow[p]);
        }
        return marks;
    }
}
