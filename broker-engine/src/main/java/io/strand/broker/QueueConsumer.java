package io.strand.broker;

import io.netty.channel.Channel;
import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * <p>Threading as in {@link PushingConsumer}.
 */
final class QueueConsumer extends PushingConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    /** Records acquired for one push at most; bounds what one consumer takes from a partition at a time. */
    private static final int MAX_ACQUIRE = 500;

    private final ShareGroups groups;
    private final SharePartition[] shares;

    QueueConsumer(int consumerId, short version, Channel channel, Destination queue, ShareGroups groups,
                  PartitionWatchers watchers, int credit) {
        super(consumerId, version, channel, queue, watchers, credit);
        this.groups = groups;
        this.shares = new SharePartition[destination.partitions().size()];
        for (int p = 0; p < shares.length; p++) {
            shares[p] = groups.partition(queue.name(), p, queue.partitions().get(p).logStartOffset());
        }
    }

    @Override
    public void deliver() {
        super.deliver();
        groups.snapshotIfDue();
    }

    @Override
    protected boolean pushFrom(int partition) {
        PartitionLog log = destination.partitions().get(partition);
        SharePartition share = shares[partition];
        List<Shares.AcquiredRange> acquired;
        synchronized (share) {
            List<SharePartition.Change> changes = new ArrayList<>();
            acquired = share.acquire(this, (int) Math.min(credit, MAX_ACQUIRE), log.logStartOffset(),
                    log.highWatermark(), changes);
            if (!changes.isEmpty()) {
                groups.persist(ShareGroups.key(destination.name(), partition), share, changes);
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
                LOG.warn("queue {} partition {}: records from offset {} were removed before delivery", destination.name(),
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
        destination.partition(partition);
        SharePartition share = shares[partition];
        CompletableFuture<Void> durable;
        boolean released;
        synchronized (share) {
            List<SharePartition.Change> changes = new ArrayList<>();
            released = share.acknowledge(this, ranges, changes);
            durable = changes.isEmpty() ? CompletableFuture.completedFuture(null)
                    : groups.persist(ShareGroups.key(destination.name(), partition), share, changes);
        }
        if (released) {
            watchers.recordsAvailable(destination.partitions().get(partition).topicPartition());
        }
        groups.snapshotIfDue();
        return durable;
    }

    @Override
    protected void onClose() {
        for (int p = 0; p < shares.length; p++) {
            if (shares[p].releaseAll(this)) {
                watchers.recordsAvailable(destination.partitions().get(p).topicPartition());
            }
        }
    }
}
