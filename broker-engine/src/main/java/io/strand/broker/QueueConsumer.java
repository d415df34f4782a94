package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Shares;
import io.strand.record.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of a share group — a queue receiver or a consumer of a shared topic subscription:
 * acquires records while it has credit and pushes them with their offset ranges and delivery
 * counts, then applies the consumer's acknowledgements. Competing consumers acquire disjoint records; what a consumer releases, or held when it closed,
 * goes back to the group for any consumer.
 *
 * <p>Each consumer scans every partition from a cursor of its own, so records it cannot take — held
 * by another, not matching its selector, of a message group another owns, delayed — never stop it
 * (DESIGN.md §3); {@link ShareScanner} decides record by record. Records that become available again
 * behind the cursor are found through the share partition's returned records, or by starting over
 * when the share partition says so.
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

    private final ShareGroupSource source;
    private final ShareGroups groups;
    private final DeadLetters deadLetters;
    private final Traffic traffic;
    private final RecordMatcher matcher;
    private final SharePartition[] shares;
    private final long[] cursors;
    private final long[] seenRewinds;
    private final ScanWorkspace workspace = new ScanWorkspace();
    /** Whether a check of this consumer's acquisition locks is scheduled. */
    private boolean lockCheckScheduled;
    /**
     * Set when locks of this consumer expired: it takes nothing more until it settles a record or grants
     * credit, so that a hung consumer does not take back (and use up the delivery counts of) what it lost.
     */
    private volatile boolean stalled;

    /** @param matcher the consumer's selector, or null to take every record the group offers */
    QueueConsumer(int consumerId, short version, Channel channel, ShareGroupSource source, ShareGroups groups,
                  DeadLetters deadLetters, Traffic traffic, RecordMatcher matcher, PartitionWatchers watchers,
                  int credit) {
        super(consumerId, version, channel, source.destination(), watchers, credit);
        this.source = source;
        this.traffic = traffic;
        this.groups = groups;
        this.deadLetters = deadLetters;
        this.matcher = matcher;
        int partitions = destination.partitions().size();
        this.shares = new SharePartition[partitions];
        this.cursors = new long[partitions];
        this.seenRewinds = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            shares[p] = groups.partition(source.group(), p, destination.partitions().get(p).logStartOffset());
            seenRewinds[p] = -1;
        }
    }

    @Override
    public void deliver() {
        super.deliver();
        groups.snapshotIfDue();
    }

    /** What this consumer reads: its share group and the destination behind it. */
    ShareGroupSource source() {
        return source;
    }

    /** The share-group state of one partition this consumer reads. */
    SharePartition share(int partition) {
        destination.partition(partition);
        return shares[partition];
    }

    /** @return whether this consumer is closed (its records went back to the group) */
    boolean closed() {
        return isClosed();
    }

    @Override
    public void addCredit(int more) {
        stalled = false;
        super.addCredit(more);
    }

    @Override
    protected boolean pushFrom(int partition) {
        if (stalled) {
            return false;
        }
        PartitionLog log = destination.partitions().get(partition);
        SharePartition share = shares[partition];
        long now = System.currentTimeMillis();
        ShareScanner scanner = new ShareScanner(this, source.filter(), source.subscription(), matcher,
                deadLetters.maxDeliveryAttempts(), deadLetters.keepsExpired(source.origin()), share, now, workspace);
        List<Shares.AcquiredRange> acquired = new ArrayList<>();
        int[] copies = null;
        boolean moreToScan;
        int redeliveries = 0;
        synchronized (share) {
            share.trimTo(log.logStartOffset());
            if (share.rewinds() != seenRewinds[partition]) {
                seenRewinds[partition] = share.rewinds();
                cursors[partition] = share.startOffset();
            }
            long cursor = Math.max(cursors[partition], share.startOffset());
            long highWatermark = log.highWatermark();
            scanner.examineReturned(log, highWatermark, cursor);
            long scanEnd = cursor < highWatermark ? scanner.scan(log, cursor, highWatermark) : cursor;
            List<ShareScanner.Candidate> taken = scanner.pick((int) Math.min(credit, MAX_ACQUIRE));
            cursors[partition] = scanner.nextCursor(taken, scanEnd);
            List<SharePartition.Change> changes = scanner.changes();
            if (scanner.prefersCopies(taken)) {
                copies = new int[taken.size()];
            }
            for (int i = 0; i < taken.size(); i++) {
                ShareScanner.Candidate candidate = taken.get(i);
                int deliveries = share.acquire(this, candidate.offset(), candidate.group(), changes);
                addOffset(acquired, candidate.offset(), deliveries);
                if (deliveries > 1) {
                    redeliveries++;
                }
                if (copies != null) {
                    copies[i] = candidate.copy();
                }
            }
            if (!changes.isEmpty()) {
                groups.persist(ShareGroups.key(source.group(), partition), share, changes);
            }
            moreToScan = cursors[partition] < highWatermark && scanEnd > cursor;
        }
        scheduleWakeUp(partition, share, scanner.nextDue(), now);
        scanner.moves().forEach(move -> move(partition, move));
        if (acquired.isEmpty()) {
            if (moreToScan) {
                recordsAvailable(); // go on scanning after other work on this event loop, not in one long loop
            }
            return false;
        }
        long sent = 0;
        for (Shares.AcquiredRange range : acquired) {
            sent += range.lastOffset() - range.firstOffset() + 1;
        }
        credit -= sent;
        long bytes = copies != null ? sendCopies(partition, scanner.selected(), copies, acquired)
                : sendRuns(partition, log, acquired);
        traffic.delivered(log.topicPartition(), source.group(), sent, redeliveries, bytes);
        scheduleLockCheck(groups.acquisitionLockMs());
        return true;
    }

    /**
     * With an acquisition lock configured, checks when the oldest record this consumer holds reaches it.
     * Records held longer go back to the group for redelivery: the consumer hangs, or is far slower than
     * the lock allows. Its credit for them is not returned: a hung consumer must not be sent more.
     */
    private void scheduleLockCheck(long delayMs) {
        long lockMs = groups.acquisitionLockMs();
        if (lockMs == 0 || lockCheckScheduled || isClosed()) {
            return;
        }
        lockCheckScheduled = true;
        channel.eventLoop().schedule(() -> {
            lockCheckScheduled = false;
            if (isClosed()) {
                return;
            }
            long now = System.currentTimeMillis();
            long oldest = Long.MAX_VALUE;
            for (int p = 0; p < shares.length; p++) {
                int released = shares[p].expireLocks(this, now - lockMs);
                if (released > 0) {
                    stalled = true;
                    LOG.warn("consumer {} on {}: {} record(s) of {} partition {} held unsettled for {} ms or more go back"
                            + " for redelivery; it gets nothing more until it settles a record", consumerId,
                            channel.remoteAddress(), released, source.group(), p, lockMs);
                    watchers.recordsAvailable(destination.partitions().get(p).topicPartition());
                }
                oldest = Math.min(oldest, shares[p].oldestAcquisitionMs(this));
            }
            if (oldest != Long.MAX_VALUE) {
                scheduleLockCheck(Math.max(1, oldest + lockMs - now));
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Adds one record to ranges in offset order, extending the last range when it continues it with the same count. */
    static void addOffset(List<Shares.AcquiredRange> ranges, long offset, int deliveryCount) {
        short count = (short) Math.min(deliveryCount, Short.MAX_VALUE);
        if (!ranges.isEmpty()) {
            Shares.AcquiredRange last = ranges.get(ranges.size() - 1);
            if (last.lastOffset() == offset - 1 && last.deliveryCount() == count) {
                ranges.set(ranges.size() - 1, new Shares.AcquiredRange(last.firstOffset(), offset, count));
                return;
            }
        }
        ranges.add(new Shares.AcquiredRange(offset, offset, count));
    }

    /** Wakes the partition's consumers when a delayed record comes due; one timer per due time for all of them. */
    private void scheduleWakeUp(int partition, SharePartition share, long due, long now) {
        if (due != Long.MAX_VALUE && share.claimWakeUp(due, now)) {
            PartitionLog log = destination.partitions().get(partition);
            channel.eventLoop().schedule(() -> watchers.recordsAvailable(log.topicPartition()),
                    Math.max(1, due - now), TimeUnit.MILLISECONDS);
        }
    }

    /** Copies a record to the dead-letter or expiry queue and completes it in the share group once the copy is durable. */
    private void move(int partition, ShareScanner.Move move) {
        SharePartition share = shares[partition];
        long offset = move.record().offset();
        CompletableFuture<Void> copied = move.reason() == null ? deadLetters.expire(source.origin(), move.record())
                : deadLetters.deadLetter(source.origin(), move.record(), move.reason());
        copied.whenComplete((ok, error) -> {
            if (error == null) {
                synchronized (share) {
                    List<SharePartition.Change> changes = new ArrayList<>();
                    share.complete(offset, changes);
                    if (!changes.isEmpty()) {
                        groups.persist(ShareGroups.key(source.group(), partition), share, changes);
                    }
                }
            } else {
                LOG.warn("share group {} partition {}: record {} stays; moving it ({}) failed: {}",
                        source.group(), partition, offset, move.reason() == null ? "expired" : move.reason(),
                        error.toString());
                share.releaseFromMover(offset);
            }
        });
    }

    /**
     * Sends the batches holding each run of acquired ranges, several pushes when a run spans more than one read.
     *
     * @return the bytes of the batches sent
     */
    private long sendRuns(int partition, PartitionLog log, List<Shares.AcquiredRange> acquired) {
        long bytes = 0;
        // The batches after the last acquired record would go to this consumer for nothing: stop at its batch.
        long lastAcquired = acquired.get(acquired.size() - 1).lastOffset();
        int i = 0;
        while (i < acquired.size()) {
            long from = acquired.get(i).firstOffset();
            FileSlice slice;
            try {
                slice = log.read(from, MAX_PUSH_BYTES, log.highWatermark(), lastAcquired);
            } catch (OffsetOutOfRangeException e) {
                LOG.warn("share group {} partition {}: records from offset {} were removed before delivery", source.group(),
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
            bytes += slice.sizeInBytes();
            Pushes.send(channel, ApiKey.SHARE_DELIVER, version, deliver.headerBytes(),
                    out -> deliver.writeHeaderTo(out, slice.sizeInBytes()), slice);
        }
        return bytes;
    }

    /**
     * Sends the acquired records as batches of their own copies ({@link SelectedRecords}), one push per
     * {@link #MAX_PUSH_BYTES} or so; {@code copies} are in offset order, as are the ranges they fill. Every
     * batch is encoded before the first is sent: a write may run another push of this consumer, which
     * reuses the copies.
     *
     * @return the bytes of the batches sent
     */
    private long sendCopies(int partition, SelectedRecords selected, int[] copies, List<Shares.AcquiredRange> acquired) {
        List<ByteBuf> batches = new ArrayList<>();
        List<Shares.Deliver> delivers = new ArrayList<>();
        int from = 0;
        int range = 0;
        while (from < copies.length) {
            long baseOffset = selected.offset(copies[from]);
            int to = from;
            long bytes = 0;
            // At least one record per batch; offset deltas are ints, so a batch spans less than 2^31 offsets.
            while (to < copies.length && (to == from || bytes < MAX_PUSH_BYTES)
                    && selected.offset(copies[to]) - baseOffset < Integer.MAX_VALUE) {
                bytes += selected.maxEncodedSize(copies[to]);
                to++;
            }
            long lastOffset = selected.offset(copies[to - 1]);
            List<Shares.AcquiredRange> inBatch = new ArrayList<>();
            while (range < acquired.size() && acquired.get(range).firstOffset() <= lastOffset) {
                Shares.AcquiredRange r = acquired.get(range);
                if (r.lastOffset() <= lastOffset) {
                    inBatch.add(r);
                    range++;
                } else {
                    inBatch.add(new Shares.AcquiredRange(r.firstOffset(), lastOffset, r.deliveryCount()));
                    acquired.set(range, new Shares.AcquiredRange(lastOffset + 1, r.lastOffset(), r.deliveryCount()));
                }
            }
            batches.add(selected.batch(channel.alloc(), copies, from, to));
            delivers.add(new Shares.Deliver(consumerId, partition, inBatch, null));
            from = to;
        }
        long sent = 0;
        for (int i = 0; i < batches.size(); i++) {
            ByteBuf batch = batches.get(i);
            Shares.Deliver deliver = delivers.get(i);
            sent += batch.readableBytes(); // before the write, which releases the buffer
            Pushes.sendBuffer(channel, ApiKey.SHARE_DELIVER, version, deliver.headerBytes(),
                    out -> deliver.writeHeaderTo(out, batch.readableBytes()), batch);
        }
        return sent;
    }

    /** Applies the consumer's outcomes for records it holds; completes once they are durable. */
    CompletableFuture<Void> acknowledge(int partition, List<Shares.AckRange> ranges) {
        destination.partition(partition);
        SharePartition share = shares[partition];
        CompletableFuture<Void> durable;
        boolean released;
        List<Long> rejected = new ArrayList<>();
        synchronized (share) {
            List<SharePartition.Change> changes = new ArrayList<>();
            released = share.acknowledge(this, ranges, changes, rejected);
            durable = changes.isEmpty() ? CompletableFuture.completedFuture(null)
                    : groups.persist(ShareGroups.key(source.group(), partition), share, changes);
        }
        if (!rejected.isEmpty()) {
            deadLetterRejected(partition, rejected);
        }
        if (released) {
            watchers.recordsAvailable(destination.partitions().get(partition).topicPartition());
        }
        if (stalled) {
            stalled = false;
            recordsAvailable(); // it is alive: deliver to it again
        }
        groups.snapshotIfDue();
        return durable;
    }

    /**
     * Counts one more delivery of records this consumer holds, which its client delivers again from its own
     * memory (recover, rollback, a listener that threw) so that they come before what it prefetched. Each record
     * is released and acquired again by this consumer at once, under the share partition's lock, so no other
     * consumer can take it in between and the raised count is persisted as any acquisition is. A record already
     * delivered as often as the queue allows stays released instead: the next scan moves it to the dead-letter
     * queue. A record this consumer no longer holds (done, or given back meanwhile) is left alone. Completes with
     * the records kept, once durable.
     */
    CompletableFuture<List<Shares.AcquiredRange>> redeliver(int partition, List<Shares.OffsetRange> ranges) {
        destination.partition(partition);
        SharePartition share = shares[partition];
        List<Shares.AcquiredRange> kept = new ArrayList<>();
        boolean released = false;
        CompletableFuture<Void> durable;
        synchronized (share) {
            List<SharePartition.Change> changes = new ArrayList<>();
            for (Shares.OffsetRange range : ranges) {
                for (long offset = range.firstOffset(); offset <= range.lastOffset(); offset++) {
                    int deliveries = share.deliveryCount(offset);
                    if (deliveries == 0 || !releaseHeld(share, offset)) {
                        continue;
                    }
                    if (deliveries >= deadLetters.maxDeliveryAttempts()) {
                        released = true;
                        continue;
                    }
                    addOffset(kept, offset, share.acquire(this, offset, null, changes));
                }
            }
            durable = changes.isEmpty() ? CompletableFuture.completedFuture(null)
                    : groups.persist(ShareGroups.key(source.group(), partition), share, changes);
        }
        long redelivered = 0;
        for (Shares.AcquiredRange range : kept) {
            redelivered += range.lastOffset() - range.firstOffset() + 1;
        }
        // The client delivers these again from its memory: redeliveries, though the broker sends nothing.
        traffic.delivered(destination.partitions().get(partition).topicPartition(), source.group(), 0, redelivered, 0);
        if (released) {
            watchers.recordsAvailable(destination.partitions().get(partition).topicPartition());
        }
        groups.snapshotIfDue();
        return durable.thenApply(v -> kept);
    }

    /** Releases one record if this consumer holds it; the share partition refuses records held by no one or others. */
    private boolean releaseHeld(SharePartition share, long offset) {
        try {
            share.acknowledge(this, List.of(new Shares.AckRange(offset, offset, Shares.AckType.RELEASE)),
                    new ArrayList<>(), new ArrayList<>());
            return true;
        } catch (BrokerException notHeld) {
            return false;
        }
    }

    private void deadLetterRejected(int partition, List<Long> rejected) {
        PartitionLog log = destination.partitions().get(partition);
        StoredRecords records = new StoredRecords(log, log.highWatermark());
        for (long offset : rejected) {
            Record record = records.find(offset);
            if (record == null) {
                continue; // removed by retention meanwhile: nothing left to keep
            }
            move(partition, new ShareScanner.Move(ShareScanner.copy(record), "rejected by a consumer"));
        }
    }

    @Override
    protected void onClose() {
        for (int p = 0; p < shares.length; p++) {
            if (shares[p].releaseAll(this)) {
                watchers.recordsAvailable(destination.partitions().get(p).topicPartition());
            }
        }
        if (source.subscription() != null) {
            source.subscription().detach(this);
        }
    }
}
