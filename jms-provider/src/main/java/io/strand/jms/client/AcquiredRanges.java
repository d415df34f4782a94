package io.strand.jms.client;

import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The offsets a queue consumer acquired in one {@code SHARE_DELIVER} push, for picking its records out
 * of the whole batches that came with them (a batch may hold records other consumers acquired).
 *
 * <p>{@link #deliveryCount} is asked in ascending offset order, as a batch is walked, and moves a
 * cursor forward, so a push costs one pass over its ranges. Not thread-safe; one per push.
 */
final class AcquiredRanges {
    private final List<Shares.AcquiredRange> ranges;
    private int cursor;

    AcquiredRanges(List<Shares.AcquiredRange> acquired) {
        final List<Shares.AcquiredRange> sorted = new ArrayList<>(acquired);
        sorted.sort(Comparator.comparingLong(Shares.AcquiredRange::firstOffset));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).firstOffset() <= sorted.get(i - 1).lastOffset()) {
                throw new MalformedFrameException("acquired ranges overlap: " + sorted.get(i - 1)
                        + " and " + sorted.get(i));
            }
        }
        this.ranges = sorted;
    }

    /** @return the lowest acquired offset, or {@code Long.MAX_VALUE} when nothing was acquired */
    long firstOffset() {
        return ranges.isEmpty() ? Long.MAX_VALUE : ranges.get(0).firstOffset();
    }

    /** @return the highest acquired offset, or {@code Long.MIN_VALUE} when nothing was acquired */
    long lastOffset() {
        return ranges.isEmpty() ? Long.MIN_VALUE : ranges.get(ranges.size() - 1).lastOffset();
    }

    /** @return how many records were acquired in all */
    long count() {
        long count = 0;
        for (Shares.AcquiredRange r : ranges) {
            count += r.lastOffset() - r.firstOffset() + 1;
        }
        return count;
    }

    /**
     * @param offset an offset not below the one asked before
     * @return the delivery count the record at {@code offset} was acquired with, or 0 if this consumer did
     *         not acquire it
     */
    int deliveryCount(long offset) {
        while (cursor < ranges.size() && ranges.get(cursor).lastOffset() < offset) {
            cursor++;
        }
        if (cursor < ranges.size() && ranges.get(cursor).contains(offset)) {
            return ranges.get(cursor).deliveryCount();
        }
        return 0;
    }
}
