package io.strand.broker;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.strand.jms.message.EncodedHeaderLookup;
import io.strand.jms.message.HeaderView;
import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Shares;
import io.strand.record.BatchCursor;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordIterator;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A queue browser (JMS 3.1 §4.9): pushes the messages a queue holds when the browser opens — not
 * yet acknowledged, not expired, due for delivery, matching the browser's selector — without taking
 * them from anyone. Pushes use SHARE_DELIVER with the visible records as ranges (their delivery count
 * so far, at least 1), and end with one SHARE_DELIVER without ranges or records: the browse is over.
 *
 * <p>Each partition is read from the share group's start offset up to the high watermark at open, so a
 * browse is finite. Threading as in {@link PushingConsumer}.
 */
final class BrowserConsumer extends PushingConsumer {
    private final RecordMatcher matcher;
    private final SharePartition[] shares;
    private final long[] cursors;
    private final long[] ends;
    private final RecordIterator iterator = new RecordIterator();
    private boolean endSent;

    /** @param matcher the browser's selector, or null for every message */
    BrowserConsumer(int consumerId, short version, Channel channel, Destination queue, ShareGroups groups,
                    RecordMatcher matcher, PartitionWatchers watchers, int credit) {
        super(consumerId, version, channel, queue, watchers, credit);
        this.matcher = matcher;
        int partitions = queue.partitions().size();
        this.shares = new SharePartition[partitions];
        this.cursors = new long[partitions];
        this.ends = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            PartitionLog log = queue.partitions().get(p);
            shares[p] = groups.partition(queue.name(), p, log.logStartOffset());
            cursors[p] = Math.max(shares[p].startOffset(), log.logStartOffset());
            ends[p] = log.highWatermark();
        }
    }

    @Override
    public void deliver() {
        super.deliver();
        if (!endSent && isClosedToNewRecords() && channel.isWritable()) {
            endSent = true;
            Shares.Deliver end = new Shares.Deliver(consumerId, 0, List.of(), null);
            Pushes.sendBuffer(channel, ApiKey.SHARE_DELIVER, version, end.headerBytes(),
                    out -> end.writeHeaderTo(out, 0), Unpooled.EMPTY_BUFFER);
        }
    }

    private boolean isClosedToNewRecords() {
        for (int p = 0; p < cursors.length; p++) {
            if (cursors[p] < ends[p]) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected boolean pushFrom(int partition) {
        if (cursors[partition] >= ends[partition]) {
            return false;
        }
        PartitionLog log = destination.partitions().get(partition);
        FileSlice slice;
        try {
            slice = log.read(Math.max(cursors[partition], log.logStartOffset()), MAX_PUSH_BYTES, ends[partition]);
        } catch (OffsetOutOfRangeException e) {
            cursors[partition] = ends[partition]; // the partition was truncated: nothing more to show
            return false;
        }
        if (slice.isEmpty()) {
            slice.close();
            cursors[partition] = ends[partition];
            return false;
        }
        List<Shares.AcquiredRange> visible = visibleRecords(partition, slice);
        cursors[partition] = slice.nextOffset();
        if (visible.isEmpty()) {
            slice.close();
            return true; // moved on: look further in the same round
        }
        for (Shares.AcquiredRange range : visible) {
            credit -= range.lastOffset() - range.firstOffset() + 1;
        }
        Shares.Deliver deliver = new Shares.Deliver(consumerId, partition, visible, null);
        Pushes.send(channel, ApiKey.SHARE_DELIVER, version, deliver.headerBytes(),
                out -> deliver.writeHeaderTo(out, slice.sizeInBytes()), slice);
        return true;
    }

    private List<Shares.AcquiredRange> visibleRecords(int partition, FileSlice slice) {
        SharePartition share = shares[partition];
        long now = System.currentTimeMillis();
        List<Shares.AcquiredRange> visible = new ArrayList<>();
        BatchCursor batches = new BatchCursor(Integer.MAX_VALUE).reset(slice.readIntoHeap());
        while (batches.hasNext()) {
            RecordBatch batch = batches.next();
            if (batch.isControlBatch()) {
                continue;
            }
            iterator.reset(batch);
            while (iterator.hasNext()) {
                Record record = iterator.next();
                long offset = record.offset();
                if (offset < cursors[partition] || offset >= ends[partition] || share.firstNotDone(offset) != offset
                        || !isVisible(record, share.deliveryCount(offset), now)) {
                    continue;
                }
                QueueConsumer.addOffset(visible, offset, Math.max(1, share.deliveryCount(offset)));
            }
        }
        return visible;
    }

    private boolean isVisible(Record record, int deliveries, long now) {
        List<HeaderView> headers = HeaderView.of(record.headers());
        try {
            EncodedHeaderLookup.DeliveryRules rules = EncodedHeaderLookup.deliveryRules(headers);
            if ((rules.expiration() != 0 && rules.expiration() <= now) || rules.deliveryTime() > now) {
                return false;
            }
        } catch (MessageFormatException e) {
            // shown as it is: the client names the bad header
        }
        ByteBuffer key = record.hasKey() ? record.key() : null;
        return matcher == null || matcher.matches(key, headers, Math.max(1, deliveries));
    }

    @Override
    protected void onClose() {
        // A browser holds nothing.
    }
}
