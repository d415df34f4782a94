package io.strand.broker;

import io.strand.protocol.ErrorCode;
import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The share-group state of one queue partition: which records are done, which are held by a
 * consumer, and which wait to be delivered again, with their delivery counts (DESIGN.md §3).
 *
 * <p>Offsets below {@link #startOffset()} are done. Offsets from {@link #nextOffset()} on were never
 * acquired. In between, an offset is done unless it has an in-flight entry: acquired by a consumer,
 * or released and available again. So the state is as small as what is in flight, however far a
 * held record keeps the start offset behind the rest of the queue.
 *
 * <p>Every change is described as a list of {@link Change}s for the caller to persist, in order,
 * before it tells anyone; replaying the persisted changes with {@link #apply} rebuilds the state,
 * with every record that was in flight available again.
 *
 * <p>Thread-safe: all methods synchronise on this object.
 */
final class SharePartition {
    /**
     * One persisted change: offsets {@code first..last} become in flight with {@code deliveryCount}
     * deliveries so far, or done when the count is 0.
     */
    record Change(long first, long last, int deliveryCount) {
    }

    /** An in-flight record: its deliveries so far and the consumer holding it (null when available). */
    private static final class Slot {
        int deliveryCount;
        Object owner;

        Slot(int deliveryCount, Object owner) {
            this.deliveryCount = deliveryCount;
            this.owner = owner;
        }
    }

    private final TreeMap<Long, Slot> inFlight = new TreeMap<>();
    private long startOffset;
    private long nextOffset;
    private int available;

    SharePartition(long startOffset) {
        this.startOffset = startOffset;
        this.nextOffset = startOffset;
    }

    synchronized long startOffset() {
        return startOffset;
    }

    synchronized long nextOffset() {
        return nextOffset;
    }

    synchronized int inFlightCount() {
        return inFlight.size();
    }

    /** Whether released records wait for a consumer. */
    synchronized boolean hasAvailable() {
        return available > 0;
    }

    /**
     * Acquires up to {@code max} records for {@code owner}: released ones first, in offset order, then
     * new ones from the frontier up to {@code highWatermark} (and no lower than {@code logStartOffset},
     * since retention may have removed the oldest). Each acquired record's delivery count goes up by one.
     *
     * @param changes receives what to persist
     */
    synchronized List<Shares.AcquiredRange> acquire(Object owner, int max, long logStartOffset, long highWatermark,
                                                    List<Change> changes) {
        List<Shares.AcquiredRange> ranges = new ArrayList<>();
        int taken = 0;
        if (available > 0) {
            for (Map.Entry<Long, Slot> entry : inFlight.entrySet()) {
                if (taken == max || available == 0) {
                    break;
                }
                Slot slot = entry.getValue();
                if (slot.owner == null) {
                    slot.owner = owner;
                    slot.deliveryCount++;
                    available--;
                    taken++;
                    addOffset(ranges, entry.getKey(), slot.deliveryCount);
                    changes.add(new Change(entry.getKey(), entry.getKey(), slot.deliveryCount));
                }
            }
        }
        if (nextOffset < logStartOffset) {
            startOffset = Math.max(startOffset, logStartOffset);
            nextOffset = logStartOffset;
        }
        long end = Math.min(highWatermark, nextOffset + (max - taken));
        if (end > nextOffset) {
            for (long offset = nextOffset; offset < end; offset++) {
                inFlight.put(offset, new Slot(1, owner));
            }
            ranges.add(new Shares.AcquiredRange(nextOffset, end - 1, (short) 1));
            changes.add(new Change(nextOffset, end - 1, 1));
            nextOffset = end;
        }
        return ranges;
    }

    private static void addOffset(List<Shares.AcquiredRange> ranges, long offset, int deliveryCount) {
        if (!ranges.isEmpty()) {
            Shares.AcquiredRange last = ranges.get(ranges.size() - 1);
            if (last.lastOffset() == offset - 1 && last.deliveryCount() == deliveryCount) {
                ranges.set(ranges.size() - 1, new Shares.AcquiredRange(last.firstOffset(), offset, last.deliveryCount()));
                return;
            }
        }
        ranges.add(new Shares.AcquiredRange(offset, offset, (short) Math.min(deliveryCount, Short.MAX_VALUE)));
    }

    /**
     * Applies a consumer's outcomes to records it holds. Offsets it does not hold (never acquired,
     * done already, or held by another consumer after a release) are refused with INVALID_REQUEST, so
     * that a confused client cannot complete another consumer's record.
     *
     * @return whether any record became available again
     */
    synchronized boolean acknowledge(Object owner, List<Shares.AckRange> ranges, List<Change> changes) {
        for (Shares.AckRange range : ranges) {
            for (Map.Entry<Long, Slot> entry : inFlight.subMap(range.firstOffset(), true, range.lastOffset(), true)
                    .entrySet()) {
                if (entry.getValue().owner != owner) {
                    throw new BrokerException(ErrorCode.INVALID_REQUEST, "record at offset " + entry.getKey()
                            + " is not held by this consumer");
                }
            }
            if (range.type() == Shares.AckType.REJECT) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "rejecting a record is not supported until"
                        + " dead-letter queues exist; release it instead");
            }
        }
        boolean released = false;
        for (Shares.AckRange range : ranges) {
            Iterator<Map.Entry<Long, Slot>> it = inFlight.subMap(range.firstOffset(), true, range.lastOffset(), true)
                    .entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Slot> entry = it.next();
                if (range.type() == Shares.AckType.ACCEPT) {
                    it.remove();
                    changes.add(new Change(entry.getKey(), entry.getKey(), 0));
                } else {
                    entry.getValue().owner = null;
                    available++;
                    released = true;
                }
            }
        }
        advanceStart();
        return released;
    }

    /** Makes every record {@code owner} holds available again (its consumer closed or its connection died). */
    synchronized boolean releaseAll(Object owner) {
        boolean released = false;
        for (Slot slot : inFlight.values()) {
            if (slot.owner == owner) {
                slot.owner = null;
                available++;
                released = true;
            }
        }
        return released;
    }

    private void advanceStart() {
        startOffset = inFlight.isEmpty() ? nextOffset : inFlight.firstKey();
    }

    /** Replays one persisted change; records in flight at a crash come back available. */
    synchronized void apply(Change change) {
        for (long offset = change.first(); offset <= change.last(); offset++) {
            Slot old = change.deliveryCount() == 0 ? inFlight.remove(offset)
                    : inFlight.put(offset, new Slot(change.deliveryCount(), null));
            if (old != null && old.owner == null) {
                available--;
            }
            if (change.deliveryCount() > 0) {
                available++;
            }
        }
        advanceStart();
    }

    /** Replays the acquisition frontier persisted with a change. */
    synchronized void moveFrontier(long frontier) {
        nextOffset = Math.max(nextOffset, frontier);
        advanceStart();
    }

    /** The whole state as changes, for a snapshot: every in-flight record with its count. */
    synchronized List<Change> snapshot() {
        List<Change> all = new ArrayList<>(inFlight.size());
        inFlight.forEach((offset, slot) -> all.add(new Change(offset, offset, slot.deliveryCount)));
        return all;
    }

    /** Restores the frontier and start from a snapshot before its records are applied. */
    synchronized void reset(long start, long frontier) {
        inFlight.clear();
        available = 0;
        startOffset = start;
        nextOffset = Math.max(start, frontier);
    }
}
