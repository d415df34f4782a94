package io.strand.jms;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The share group of one queue of the {@link FakeBroker}: the queue's batches, and per record whether it
 * is available, acquired by a consumer or accepted, with its delivery count. Acquires the lowest available
 * records first and answers pushes with the whole batches that hold them, as the real broker does, so a
 * push may carry records of other consumers. Thread-safe (synchronized): the broker's event loop changes
 * it, tests look.
 */
final class FakeShareGroup {
    private static final int ACCEPTED = -1;
    private static final int AVAILABLE = 0;

    private record Batch(long baseOffset, int recordCount, byte[] bytes) {
        long lastOffset() {
            return baseOffset + recordCount - 1;
        }
    }

    private static final class State {
        int owner = AVAILABLE;
        short deliveryCount;
    }

    private final List<Batch> batches = new ArrayList<>();
    private final TreeMap<Long, State> records = new TreeMap<>();

    synchronized void append(long baseOffset, int recordCount, byte[] bytes) {
        batches.add(new Batch(baseOffset, recordCount, bytes));
        for (long o = baseOffset; o < baseOffset + recordCount; o++) {
            records.put(o, new State());
        }
    }

    /** Acquires up to {@code max} available records for a consumer, lowest offsets first. */
    synchronized List<Shares.AcquiredRange> acquire(int consumerId, int max) {
        final List<Shares.AcquiredRange> ranges = new ArrayList<>();
        int taken = 0;
        long first = -1;
        long last = -1;
        short count = 0;
        for (Map.Entry<Long, State> e : records.entrySet()) {
            if (taken == max) {
                break;
            }
            final State s = e.getValue();
            if (s.owner != AVAILABLE) {
                continue;
            }
            s.owner = consumerId;
            s.deliveryCount++;
            taken++;
            final long o = e.getKey();
            if (first >= 0 && o == last + 1 && s.deliveryCount == count) {
                last = o;
                continue;
            }
            if (first >= 0) {
                ranges.add(new Shares.AcquiredRange(first, last, count));
            }
            first = o;
            last = o;
            count = s.deliveryCount;
        }
        if (first >= 0) {
            ranges.add(new Shares.AcquiredRange(first, last, count));
        }
        return ranges;
    }

    /** Marks the ranges' records as held by a consumer with the ranges' delivery counts, for scripted pushes. */
    synchronized void hold(int consumerId, List<Shares.AcquiredRange> ranges) {
        for (Shares.AcquiredRange r : ranges) {
            for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                final State s = records.get(o);
                if (s != null) { // a test may push offsets no batch holds
                    s.owner = consumerId;
                    s.deliveryCount = r.deliveryCount();
                }
            }
        }
    }

    /** @return the whole batches holding any of the ranges' offsets, one after the other */
    synchronized ByteBuf batchesFor(List<Shares.AcquiredRange> ranges) {
        final ByteBuf out = Unpooled.buffer();
        for (Batch b : batches) {
            for (Shares.AcquiredRange r : ranges) {
                if (r.firstOffset() <= b.lastOffset() && r.lastOffset() >= b.baseOffset()) {
                    out.writeBytes(b.bytes());
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Applies a consumer's outcomes.
     *
     * @return null if applied, else why not (an offset it does not hold, or REJECT)
     */
    synchronized String acknowledge(int consumerId, List<Shares.AckRange> ranges) {
        for (Shares.AckRange r : ranges) {
            if (r.type() == Shares.AckType.REJECT) {
                return "REJECT is not supported";
            }
            for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                final State s = records.get(o);
                if (s == null || s.owner != consumerId) {
                    return "consumer " + consumerId + " does not hold offset " + o;
                }
            }
        }
        for (Shares.AckRange r : ranges) {
            for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                records.get(o).owner = r.type() == Shares.AckType.ACCEPT ? ACCEPTED : AVAILABLE;
            }
        }
        return null;
    }

    /**
     * Counts one more delivery of records the consumer holds and keeps them with it (the fake has no
     * dead-letter queue, so it keeps every one).
     *
     * @param kept receives the records with their new delivery counts
     * @return null if applied, else why not (an offset it does not hold)
     */
    synchronized String redeliver(int consumerId, List<Shares.OffsetRange> ranges, List<Shares.AcquiredRange> kept) {
        for (Shares.OffsetRange r : ranges) {
            for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                final State s = records.get(o);
                if (s == null || s.owner != consumerId) {
                    return "consumer " + consumerId + " does not hold offset " + o;
                }
            }
        }
        for (Shares.OffsetRange r : ranges) {
            for (long o = r.firstOffset(); o <= r.lastOffset(); o++) {
                final State s = records.get(o);
                s.deliveryCount++;
                kept.add(new Shares.AcquiredRange(o, o, s.deliveryCount));
            }
        }
        return null;
    }

    /** Makes every record the consumer holds available again (it closed). */
    synchronized void releaseAll(int consumerId) {
        for (State s : records.values()) {
            if (s.owner == consumerId) {
                s.owner = AVAILABLE;
            }
        }
    }

    /** @return offset -> "accepted", "available" or "held by N", each with its delivery count, for assertions */
    synchronized Map<Long, String> states() {
        final Map<Long, String> states = new TreeMap<>();
        records.forEach((o, s) -> states.put(o, (s.owner == ACCEPTED ? "accepted" : s.owner == AVAILABLE ? "available"
                : "held by " + s.owner) + "/" + s.deliveryCount));
        return states;
    }
}
