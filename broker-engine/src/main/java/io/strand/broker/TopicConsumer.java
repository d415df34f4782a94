package io.strand.broker;

import io.netty.channel.Channel;
import io.strand.log.FileSlice;
import io.strand.log.LogStorageException;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of a topic: pushes whole batches from each partition's position up to its high
 * watermark while the consumer has credit, round-robin over the partitions. A non-durable consumer
 * starts at the log end and forgets its position when it closes; a durable one starts where its
 * subscription's acknowledgements left off and commits each acknowledgement to the subscription.
 *
 * <p>Bytes go from the segment file to the socket with zero copy (see {@link Pushes}).
 *
 * <p>Threading: everything but {@link #recordsAvailable()} runs on the connection's event loop.
 */
final class TopicConsumer implements BrokerConsumer, PartitionWatchers.Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(TopicConsumer.class);
    /** Bytes read from one partition for one push; at least one batch is always sent. */
    private static final int MAX_PUSH_BYTES = 256 * 1024;
    private static final int DELIVER_HEADER_BYTES = 4 + 4 + 8 + 4;

    private final int consumerId;
    private final short version;
    private final Channel channel;
    private final Destination destination;
    private final DurableSubscription subscription;
    private final PartitionWatchers watchers;
    private final long[] positions;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private long credit;
    private int nextPartition;
    private boolean closed;

    TopicConsumer(int consumerId, short version, Channel channel, Destination destination,
                  DurableSubscription subscription, PartitionWatchers watchers, int credit) {
        this.consumerId = consumerId;
        this.version = version;
        this.channel = channel;
        this.destination = destination;
        this.subscription = subscription;
        this.watchers = watchers;
        this.credit = credit;
        this.positions = new long[destination.partitions().size()];
        for (int p = 0; p < positions.length; p++) {
            PartitionLog log = destination.partitions().get(p);
            positions[p] = subscription != null ? subscription.startPosition(p, log) : log.highWatermark();
        }
    }

    @Override
    public int id() {
        return consumerId;
    }

    Destination destination() {
        return destination;
    }

    void start() {
        destination.partitions().forEach(log -> watchers.watch(log.topicPartition(), this));
        deliver();
    }

    @Override
    public void recordsAvailable() {
        if (wakeScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(() -> {
                wakeScheduled.set(false);
                deliver();
            });
        }
    }

    @Override
    public void addCredit(int more) {
        credit += more;
        deliver();
    }

    @Override
    public void deliver() {
        assert channel.eventLoop().inEventLoop();
        int idlePartitions = 0;
        while (!closed && credit > 0 && channel.isWritable() && idlePartitions < positions.length) {
            int p = nextPartition;
            nextPartition = (p + 1) % positions.length;
            if (pushFrom(p)) {
                idlePartitions = 0;
            } else {
                idlePartitions++;
            }
        }
    }

    private boolean pushFrom(int partition) {
        try {
            return tryPushFrom(partition);
        } catch (LogStorageException e) {
            // The partition went offline or was deleted: this consumer stops, the connection and others go on.
            LOG.warn("consumer {} on {} stops: {}", consumerId, channel.remoteAddress(), e.getMessage());
            close();
            return false;
        }
    }

    private boolean tryPushFrom(int partition) {
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
        if (subscription == null) {
            return CompletableFuture.completedFuture(null);
        }
        return subscription.commit(partition, offset + 1);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        destination.partitions().forEach(log -> watchers.unwatch(log.topicPartition(), this));
        if (subscription != null) {
            subscription.detach(this);
        }
    }
}
