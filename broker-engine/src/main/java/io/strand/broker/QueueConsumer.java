package io.strand.broker;

import io.netty.channel.Channel;
import io.strand.log.FileSlice;
import io.strand.log.LogStorageException;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A receiver on a queue: acquires records from the queue's share groups while it has credit and
 * pushes them with their offset ranges and delivery counts, then applies the consumer's
 * acknowledgements. Competing consumers of one queue acquire disjoint records; what a consumer
 * releases, or held when it closed, goes back to the group for any consumer.
 *
 * <p>Every acquisition and acknowledgement is persisted through {@link ShareGroups} under the share
 * partition's lock, so the group's log follows the order of its changes.
 *
 * <p>Threading: everything but {@link #recordsAvailable()} runs on the connection's event loop.
 */
final class QueueConsumer implements BrokerConsumer, PartitionWatchers.Watcher {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    /** Records acquired for one push at most; bounds what one consumer takes from a partition at a time. */
    private static final int MAX_ACQUIRE = 500;
    /** Bytes read from the log for one push; at least one batch is always sent. */
    private static final int MAX_PUSH_BYTES = 256 * 1024;

    private final int consumerId;
    private final short version;
    private final Channel channel;
    private final Destination queue;
    private final ShareGroups groups;
    private final SharePartition[] shares;
    private final PartitionWatchers watchers;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private long credit;
    private int nextPartition;
    private boolean closed;

    QueueConsumer(int consumerId, short version, Channel channel, Destination queue, ShareGroups groups,
                  PartitionWatchers watchers, int credit) {
        this.consumerId = consumerId;
        this.version = version;
        this.channel = channel;
        this.queue = queue;
        this.groups = groups;
        this.watchers = watchers;
        this.credit = credit;
        this.shares = new SharePartition[queue.partitions().size()];
        for (int p = 0; p < shares.length; p++) {
            shares[p] = groups.partition(queue.name(), p, queue.partitions().get(p).logStartOffset());
        }
    }

    @Override
    public int id() {
        return consumerId;
    }

    void start() {
        queue.partitions().forEach(log -> watchers.watch(log.topicPartition(), this));
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
        while (!closed && credit > 0 && channel.isWritable() && idlePartitions < shares.length) {
            int p = nextPartition;
            nextPartition = (p + 1) % shares.length;
            try {
                idlePartitions = pushFrom(p) ? 0 : idlePartitions + 1;
            } catch (LogStorageException e) {
                LOG.warn("queue consumer {} on {} stops: {}", consumerId, channel.remoteAddress(), e.getMessage());
                close();
            }
        }
        groups.snapshotIfDue();
    }

    private boolean pushFrom(int partition) {
        PartitionLog log = queue.partitions().get(partition);
        SharePartition share = shares[partition];
        List<Shares.AcquiredRange> acquired;
        synchronized (share) {
            List<SharePartition.Change> changes = new ArrayList<>();
            acquired = share.acquire(this, (int) Math.min(credit, MAX_ACQUIRE), log.logStartOffset(),
                    log.highWatermark(), changes);
            if (!changes.isEmpty()) {
                groups.persist(ShareGroups.key(queue.name(), partition), share, changes);
            }
        }
        if (acquired.isEmpty()) {
            return false;
        }
        for (Shares.AcquiredRange range : acquired) {
            credit -= range.lastOffset() - range.firstOffset() + 1;
        }
        sendRuns(partition, log, acquired);
        return true;
    }

    /** Sends the batches holding each run of acquired ranges, several pushes when a run spans more than one read. */
    private void sendRuns(int partition, PartitionLog log, List<Shares.AcquiredRange> acquired) {
        int i = 0;
        while (i < acquired.size()) {
            long from = acquired.get(i).firstOffset();
            FileSlice slice;
            try {
                slice = log.read(from, MAX_PUSH_BYTES, log.highWatermark());
            } catch (OffsetOutOfRangeException e) {
                LOG.warn("queue {} partition {}: records from offset {} were removed before delivery", queue.name(),
                        partition, from);
                i++;
                continue;
            }
            if (slice.isEmpty()) {
                slice.close();
                i++;
                continue;
            }
            List<Shares.AcquiredRange> inSlice = new ArrayList<>();
            while (i < acquired.size() && acquired.get(i).firstOffset() < slice.nextOffset()) {
                Shares.AcquiredRange range = acquired.get(i);
                if (range.lastOffset() < slice.nextOffset()) {
                    inSlice.add(range);
                    i++;
                } else {
                    inSlice.add(new Shares.AcquiredRange(range.firstOffset(), slice.nextOffset() - 1,
                            range.deliveryCount()));
                    acquired.set(i, new Shares.AcquiredRange(slice.nextOffset(), range.lastOffset(),
                            range.deliveryCount()));
                }
            }
            Shares.Deliver deliver = new Shares.Deliver(consumerId, partition, inSlice, null);
            Pushes.send(channel, ApiKey.SHARE_DELIVER, version, deliver.headerBytes(),
                    out -> deliver.writeHeaderTo(out, slice.sizeInBytes()), slice);
        }
    }

    /** Applies the consumer's outcomes for records it holds; completes once they are durable. */
    CompletableFuture<Void> acknowledge(int partition, List<Shares.AckRange> ranges) {
        queue.partition(partition);
        SharePartition share = shares[partition];
        CompletableFuture<Void> durable;
        boolean released;
        synchronized (share) {
            List<SharePartition.Change> changes = new ArrayList<>();
            released = share.acknowledge(this, ranges, changes);
            durable = changes.isEmpty() ? CompletableFuture.completedFuture(null)
                    : groups.persist(ShareGroups.key(queue.name(), partition), share, changes);
        }
        if (released) {
            watchers.recordsAvailable(queue.partitions().get(partition).topicPartition());
        }
        groups.snapshotIfDue();
        return durable;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int p = 0; p < shares.length; p++) {
            PartitionLog log = queue.partitions().get(p);
            watchers.unwatch(log.topicPartition(), this);
            if (shares[p].releaseAll(this)) {
                watchers.recordsAvailable(log.topicPartition());
            }
        }
    }
}
