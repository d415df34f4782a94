package io.strand.broker;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of offsets kept as sorted, disjoint, non-adjacent ranges: records completed out of order
 * cost one entry per gap, not one per record, so a queue whose first record stays held while a
 * million after it are acknowledged keeps a single range (DESIGN.md §3). Not thread-safe.
 */
final class OffsetRanges {
    /** first offset -> last offset (inclusive) of each range. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Adds {@code first..last}, merging with ranges it overlaps or touches. */
    void add(long first, long last) {
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
    }

    boolean contains(long offset) {
        Map.Entry<Long, Long> range = ranges.floorEntry(offset);
        return range != null && range.getValue() >= offset;
    }

    /** The smallest offset at or after {@code from} that is not in the set. */
    long firstAbsentFrom(long from) {
        Map.Entry<Long, Long> range = ranges.floorEntry(from);
        return range != null && range.getValue() >= from ? range.getValue() + 1 : from;
    }

    /** Forgets every offset below {@code offset}. */
    void removeBelow(long offset) {
        Map.Entry<Long, Long> first = ranges.firstEntry();
        while (first != null && first.getKey() < offset) {
            ranges.remove(first.getKey());
            if (first.getValue() >= offset) {
                ranges.put(offset, first.getValue());
                return;
            }
            first = ranges.firstEntry();
        }
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
    }

    @FunctionalInterface
    interface RangeVisitor {
        void range(long first, long last);
    }
}
