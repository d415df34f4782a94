package io.strand.broker;

import io.strand.jms.message.EncodedHeaderLookup;
import io.strand.jms.message.RecordHeaders;
import io.strand.log.FileSlice;
import io.strand.log.LogStorageException;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.record.BatchCursor;
import io.strand.record.Header;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordIterator;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One look by one consumer at one partition of a share group: which records it may take now, in
 * which order, and what happens on the way to the others — expired records are completed (or queued
 * for the expiry queue), records delivered too often are queued for the dead-letter queue, records
 * whose delivery time lies ahead are set aside with their due time (DESIGN.md §3).
 *
 * <p>Batches a producer did not mark as carrying delivery rules are taken by offset without reading
 * their records when the consumer has no selector: the common queue is handed out as cheaply as a
 * topic. Other batches are read and their records' headers examined; bodies are never decoded. The delay,
 * expiration and priority headers are read only in batches marked as carrying them.
 *
 * <p>A consumer with a selector usually takes few of the records it reads, so the scanner keeps a copy of
 * each record it finds for it ({@link #selected()}): the push can then carry those alone.
 *
 * <p>Call with the share partition's lock held, from {@link #examineReturned} and {@link #scan} to
 * {@link #pick}; then persist {@link #changes()} and carry out {@link #moves()}. One instance per look.
 */
final class ShareScanner {
    /** Bytes of log one scan reads at most past the cursor: bounds the work of one push. */
    static final int MAX_SCAN_BYTES = 256 * 1024;
    /** Returned records looked at in one scan at most. */
    static final int MAX_RETURNED = 256;

    /**
     * A record the consumer may take: offset, priority, message group (null when none), and the index of
     * its copy in {@link #selected()}, or -1 when the scanner kept none.
     */
    record Candidate(long offset, int priority, String group, int copy) {
    }

    /** A record to copy elsewhere before it is done: to the dead-letter queue with {@code reason}, or when null to the expiry queue. */
    record Move(DeadLetters.MovedRecord record, String reason) {
    }

    private final Object owner;
    private final RecordMatcher filter;
    private final SharedSubscription subscription;
    private final RecordMatcher matcher;
    private final int maxDeliveryAttempts;
    private final boolean keepsExpired;
    private final SharePartition share;
    private final long now;
    private final List<Candidate> candidates = new ArrayList<>();
    private final List<Move> moves = new ArrayList<>();
    private final List<SharePartition.Change> changes = new ArrayList<>();
    private final RecordIterator iterator;
    private final RecordHeaders headers;
    /** Copies of the candidates when the consumer has a selector; else null. */
    private final SelectedRecords selected;
    private final ScanWorkspace workspace;
    private int recordsExamined;
    private long nextDue;
    private long firstScanned = Long.MAX_VALUE;

    /**
     * @param filter    the group's own selector (a shared subscription's): records it does not match are
     *                  completed, as they can never be delivered to the group; null for every record
     * @param subscription the shared subscription whose group this is, or null for a queue's: records redriven to
     *                  another subscription of the topic ({@link RedriveMarks}) are completed like records the
     *                  filter does not match
     * @param matcher   the consumer's selector, or null for every record
     * @param now       the wall-clock time that decides delays and expirations
     * @param workspace buffers kept by the consumer from look to look
     */
    ShareScanner(Object owner, RecordMatcher filter, SharedSubscription subscription, RecordMatcher matcher,
                 int maxDeliveryAttempts, boolean keepsExpired, SharePartition share, long now, ScanWorkspace workspace) {
        this.owner = owner;
        this.filter = filter;
        this.subscription = subscription;
        this.iterator = workspace.iterator();
        this.headers = workspace.headers();
        this.selected = matcher == null ? null : workspace.emptySelected();
        this.workspace = workspace;
        this.matcher = matcher;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.keepsExpired = keepsExpired;
        this.share = share;
        this.now = now;
        this.nextDue = share.promoteDue(now);
    }

    /** Looks at records that became available again behind {@code cursor}: released or due. */
    void examineReturned(PartitionLog log, long highWatermark, long cursor) {
        StoredRecords records = new StoredRecords(log, highWatermark);
        for (long offset : share.returnedOffsets(MAX_RETURNED)) {
            if (offset >= cursor) {
                break; // the scan from the cursor finds it
            }
            Record record = records.find(offset);
            if (record != null) {
                examine(record, share.deliveryCount(offset), true);
            }
        }
    }

    /**
     * Looks at the records from {@code from} in one read of at most {@link #MAX_SCAN_BYTES}.
     *
     * @return the offset after the last record looked at ({@code from} when there was nothing to read)
     */
    long scan(PartitionLog log, long from, long highWatermark) {
        FileSlice slice;
        try {
            slice = log.read(from, MAX_SCAN_BYTES, highWatermark);
        } catch (OffsetOutOfRangeException e) {
            return from;
        }
        try (slice) {
            if (slice.isEmpty()) {
                return from;
            }
            firstScanned = from;
            if (matcher != null || filter != null) {
                // A selector needs every record read: one read of the whole slice instead of two per batch.
                ByteBuffer all = workspace.forBytes(slice.sizeInBytes());
                slice.readAt(all, slice.position());
                examineBatches(all.flip(), from);
                return slice.nextOffset();
            }
            ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            RecordBatch batch = new RecordBatch();
            long position = slice.position();
            long end = position + slice.sizeInBytes();
            while (position < end) {
                slice.readAt(header.clear(), position);
                batch.wrap(header.flip(), 0);
                int size = batch.sizeInBytes();
                if (size < RecordBatch.HEADER_SIZE || position + size > end) {
                    throw new LogStorageException("batch at position " + position + " of " + log.topicPartition()
                            + " claims " + size + " bytes; the slice ends at " + end);
                }
                long first = Math.max(batch.baseOffset(), from);
                long last = batch.lastOffset();
                if (matcher == null && filter == null && !batch.hasDeliveryRules() && !batch.isControlBatch()
                        && !share.anyAvailableDeliveredAtLeast(first, last, maxDeliveryAttempts)) {
                    examinePlain(first, last);
                } else {
                    ByteBuffer whole = workspace.forBytes(size);
                    slice.readAt(whole, position);
                    examineBatches(whole.flip(), first);
                }
                position += size;
            }
            return slice.nextOffset();
        }
    }


    /** Records of a batch without delivery rules, for a consumer without selector: every available one is a candidate. */
    private void examinePlain(long first, long last) {
        for (long offset = share.firstNotDone(first); offset <= last; offset = share.firstNotDone(offset + 1)) {
            if (share.isAvailable(offset)) {
                candidates.add(new Candidate(offset, Message.DEFAULT_PRIORITY, null, -1));
            }
        }
    }

    private void examineBatches(ByteBuffer batches, long from) {
        BatchCursor cursor = new BatchCursor(Integer.MAX_VALUE).reset(batches);
        while (cursor.hasNext()) {
            RecordBatch batch = cursor.next();
            if (batch.isControlBatch() || share.firstNotDone(Math.max(from, batch.baseOffset())) > batch.lastOffset()) {
                continue; // nothing left to take: not worth decompressing
            }
            iterator.reset(batch);
            while (iterator.hasNext()) {
                Record record = iterator.next();
                if (record.offset() >= from) {
                    int deliveries = share.availableDeliveryCount(record.offset());
                    if (deliveries >= 0) {
                        examine(record, deliveries, batch.hasDeliveryRules());
                    }
                }
            }
        }
    }

    /**
     * @param deliveries       the record's deliveries so far
     * @param mayCarryRules    false when the record's batch is not marked as carrying delivery rules: then it has
     *                         no delay, expiration or priority to read, as the plain path assumes too
     */
    private void examine(Record record, int deliveries, boolean mayCarryRules) {
        long offset = record.offset();
        if (deliveries >= maxDeliveryAttempts) {
            share.acquire(SharePartition.MOVER, offset, null, changes);
            moves.add(new Move(copy(record), deliveries == SharePartition.DEAD_LETTER_COUNT ? "rejected by a consumer"
                    : "delivered " + deliveries + " times without being acknowledged"));
            return;
        }
        recordsExamined++;
        headers.reset(record);
        ByteBuffer key = record.hasKey() ? record.key() : null;
        if (mayCarryRules && subscription != null && !RedriveMarks.isFor(subscription, key, headers)
                || filter != null && !filter.matches(key, headers, deliveries + 1)) {
            share.complete(offset, changes);
            return;
        }
        EncodedHeaderLookup.DeliveryRules rules = EncodedHeaderLookup.DeliveryRules.NONE;
        if (mayCarryRules) {
            try {
                rules = EncodedHeaderLookup.deliveryRules(headers);
            } catch (MessageFormatException e) {
                // delivered as it is: the client names the bad header
            }
        }
        if (rules.expiration() != 0 && rules.expiration() <= now) {
            if (keepsExpired) {
                share.acquire(SharePartition.MOVER, offset, null, changes);
                moves.add(new Move(copy(record), null));
            } else {
                share.complete(offset, changes);
            }
            return;
        }
        if (rules.deliveryTime() > now) {
            share.delay(offset, rules.deliveryTime());
            nextDue = Math.min(nextDue, rules.deliveryTime());
            return;
        }
        String group = key == null ? null : StandardCharsets.UTF_8.decode(key.duplicate()).toString();
        if (group != null && !share.mayTakeGroup(group, owner)) {
            return;
        }
        if (matcher != null && !matcher.matches(key, headers, deliveries + 1)) {
            return;
        }
        candidates.add(new Candidate(offset, rules.priority(), group, selected == null ? -1 : selected.add(record)));
    }

    static DeadLetters.MovedRecord copy(Record record) {
        Header[] headers = record.headers();
        Header[] copies = new Header[headers.length];
        for (int i = 0; i < headers.length; i++) {
            copies[i] = Header.of(headers[i].key(), headers[i].valueBytes());
        }
        return new DeadLetters.MovedRecord(record.offset(), record.timestamp(), bytes(record.hasKey() ? record.key() : null),
                bytes(record.hasValue() ? record.value() : null), copies);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /**
     * The candidates the consumer takes, at most {@code max}: the highest priorities first, earlier
     * offsets first among equals; returned in offset order.
     */
    List<Candidate> pick(int max) {
        List<Candidate> taken = new ArrayList<>(candidates);
        if (taken.size() > max) {
            taken.sort(Comparator.comparingInt(Candidate::priority).reversed().thenComparingLong(Candidate::offset));
            taken = new ArrayList<>(taken.subList(0, max));
        }
        taken.sort(Comparator.comparingLong(Candidate::offset));
        return taken;
    }

    /**
     * Where the consumer's next scan starts: at the first record this scan found for it but did not
     * give it, else after everything this scan looked at.
     */
    long nextCursor(List<Candidate> taken, long scanEnd) {
        if (taken.size() == candidates.size()) {
            return scanEnd;
        }
        long first = scanEnd;
        int t = 0;
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingLong(Candidate::offset));
        for (Candidate candidate : sorted) {
            if (t < taken.size() && taken.get(t).offset() == candidate.offset()) {
                t++;
            } else if (candidate.offset() >= firstScanned) {
                first = Math.min(first, candidate.offset());
                break;
            }
        }
        return first;
    }

    /**
     * Whether pushing copies of {@code taken} beats pushing the log around them: the scanner kept a copy of
     * each, and they are at most half of the records it examined.
     */
    boolean prefersCopies(List<Candidate> taken) {
        if (selected == null || taken.isEmpty() || 2L * taken.size() > recordsExamined) {
            return false;
        }
        for (Candidate candidate : taken) {
            if (candidate.copy() < 0) {
                return false;
            }
        }
        return true;
    }

    /** Copies of the candidates found with a selector, indexed by {@link Candidate#copy()}; null without selector. */
    SelectedRecords selected() {
        return selected;
    }

    List<SharePartition.Change> changes() {
        return changes;
    }

    List<Move> moves() {
        return moves;
    }

    /** The earliest delivery time of a record set aside, or {@link Long#MAX_VALUE}. */
    long nextDue() {
        return nextDue;
    }
}
