package io.strand.broker;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of offsets kept as sorted, disjoint, non-adjacent ranges: records completed out of order
 * cost one entry per gap, not one per record, so a queue whose first record stays held while a
 * million after it are acknowledged keeps a single range (DESIGN.md §3).
 *
 * <p>Lookups remember the stretch between one range's start and the next one's, and answer from it while
 * the offsets asked about stay inside: a scan asks about rising offsets, and when a selector took every
 * tenth record there is a range every ten offsets, so this saves most tree lookups. Not thread-safe.
 */
final class OffsetRanges {
    /** first offset -> last offset (inclusive) of each range. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    /** The last lookup's stretch: {@code [stretchStart, stretchEnd)} holds exactly the offsets up to {@code stretchLast}. */
    private long stretchStart = 1;
    private long stretchEnd = 0;
    private long stretchLast;
    /** The highest range, when there is one: acknowledgements mostly come in rising order, on it or after it. */
    private long tailFirst;
    private long tailLast = Long.MIN_VALUE;

    /** Adds {@code first..last}, merging with ranges it overlaps or touches. */
    void add(long first, long last) {
        if (!ranges.isEmpty() && first >= tailFirst) {
            addAtTail(first, last);
            return;
        }
        long from = first;
        long to = last;
        Map.Entry<Long, Long> before = ranges.floorEntry(first);
        if (before != null && before.getValue() >= first - 1) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        Map.Entry<Long, Long> after = ranges.ceilingEntry(from);
        while (after != null && after.getKey() <= to + 1) {
            to = Math.max(to, after.getValue());
            ranges.remove(after.getKey());
            after = ranges.ceilingEntry(from);
        }
        ranges.put(from, to);
        forgetStretch();
        rememberTail();
    }

    /** Adds a range that starts at or after the highest range's start: one tree operation, no search. */
    private void addAtTail(long first, long last) {
        if (first > tailLast + 1) {
            ranges.put(first, last);
            if (stretchEnd > first) {
                forgetStretch(); // the remembered stretch ran to the end; now a range starts inside it
            }
            tailFirst = first;
            tailLast = last;
        } else if (last > tailLast) {
            ranges.put(tailFirst, last);
            forgetStretch();
            tailLast = last;
        }
    }

    private void rememberTail() {
        Map.Entry<Long, Long> tail = ranges.lastEntry();
        tailFirst = tail == null ? 0 : tail.getKey();
        tailLast = tail == null ? Long.MIN_VALUE : tail.getValue();
    }

    boolean contains(long offset) {
        locate(offset);
        return offset <= stretchLast;
    }

    /** The smallest offset at or after {@code from} that is not in the set. */
    long firstAbsentFrom(long from) {
        locate(from);
        return from <= stretchLast ? stretchLast + 1 : from;
    }

    /** Makes the remembered stretch the one holding {@code offset}: from its range (or the very start) to the next range. */
    private void locate(long offset) {
        if (offset >= stretchStart && offset < stretchEnd) {
            return;
        }
        Map.Entry<Long, Long> floor = ranges.floorEntry(offset);
        Long next = ranges.higherKey(offset);
        stretchStart = floor == null ? Long.MIN_VALUE : floor.getKey();
        stretchLast = floor == null ? Long.MIN_VALUE : floor.getValue();
        stretchEnd = next == null ? Long.MAX_VALUE : next;
    }

    private void forgetStretch() {
        stretchStart = 1;
        stretchEnd = 0;
    }

    /** Forgets every offset below {@code offset}. */
    void removeBelow(long offset) {
        Map.Entry<Long, Long> first = ranges.firstEntry();
        if (first == null || first.getKey() >= offset) {
            return; // nothing below: the remembered stretch and tail stay right
        }
        forgetStretch();
        while (first != null && first.getKey() < offset) {
            ranges.remove(first.getKey());
            if (first.getValue() >= offset) {
                ranges.put(offset, first.getValue());
                break;
            }
            first = ranges.firstEntry();
        }
        rememberTail();
    }

    int rangeCount() {
        return ranges.size();
    }

    /** Visits every range in offset order. */
    void forEach(RangeVisitor visitor) {
        ranges.forEach(visitor::range);
    }

    void clear() {
        ranges.clear();
        forgetStretch();
        rememberTail();
    }

    @FunctionalInterface
    interface RangeVisitor {
        void range(long first, long last);
    }
}
