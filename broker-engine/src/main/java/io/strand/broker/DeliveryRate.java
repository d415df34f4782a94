package io.strand.broker;

import java.util.Arrays;

/**
 * How many records one consumer was sent, in all and over the last {@value #WINDOW_SECONDS} seconds: a counter per
 * wall-clock second in a ring of {@value #WINDOW_SECONDS} slots, each push adding to the slot of its second (a slot
 * found holding an older second starts again from zero). Nothing runs on a timer: a consumer that gets nothing
 * costs nothing, and its old slots simply fall out of the window. The window runs from the start of the oldest
 * second it counts (or from the consumer's opening, when later) to now, so a consumer opened a second ago shows what
 * it got in that second, not a tenth of it.
 *
 * <p>Not thread-safe: confined to the consumer's event loop, as the consumer is.
 */
final class DeliveryRate {
    static final int WINDOW_SECONDS = 10;

    private final long[] counts = new long[WINDOW_SECONDS];
    /** The wall-clock second whose records each slot counts. */
    private final long[] seconds = new long[WINDOW_SECONDS];
    private final long startedAtMs;
    private long total;

    DeliveryRate(long nowMs) {
        this.startedAtMs = nowMs;
        Arrays.fill(seconds, Long.MIN_VALUE);
    }

    /** Counts {@code records} sent at {@code nowMs}. */
    void add(long records, long nowMs) {
        if (records <= 0) {
            return;
        }
        long second = Math.floorDiv(nowMs, 1000);
        int slot = (int) Math.floorMod(second, WINDOW_SECONDS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += records;
        total += records;
    }

    /** Records sent since the consumer opened. */
    long total() {
        return total;
    }

    /** Records sent within the last {@link #windowMs} milliseconds (the current second included). */
    long recent(long nowMs) {
        long second = Math.floorDiv(nowMs, 1000);
        long recent = 0;
        for (int slot = 0; slot < WINDOW_SECONDS; slot++) {
            if (seconds[slot] > second - WINDOW_SECONDS && seconds[slot] <= second) {
                recent += counts[slot];
            }
        }
        return recent;
    }

    /** The span {@link #recent} covers, at least a second: a rate over less would say more than it knows. */
    long windowMs(long nowMs) {
        long windowStartMs = (Math.floorDiv(nowMs, 1000) - WINDOW_SECONDS + 1) * 1000;
        return Math.max(1000, nowMs - Math.max(windowStartMs, startedAtMs));
    }
}
