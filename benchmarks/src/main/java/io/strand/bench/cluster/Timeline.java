package io.strand.bench.cluster;

import java.util.Arrays;

/**
 * When one client thread saw each of its events (a send acknowledged, a message received), in
 * {@link System#nanoTime()}, in the order they happened. One thread writes, any thread may read a copy.
 */
public final class Timeline {
    private final String name;
    private long[] times = new long[1 << 14];
    private int size;

    public Timeline(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public synchronized void add(long nanos) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
        }
        times[size++] = nanos;
    }

    public synchronized int size() {
        return size;
    }

    /** The last event, or {@link Long#MIN_VALUE} when none happened. */
    public synchronized long last() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    public synchronized long[] snapshot() {
        return Arrays.copyOf(times, size);
    }

    /** Events at or after {@code nanos}. */
    public synchronized int countSince(long nanos) {
        int i = Arrays.binarySearch(times, 0, size, nanos);
        int from = i >= 0 ? i : -i - 1;
        while (from > 0 && times[from - 1] == nanos) {
            from--;
        }
        return size - from;
    }
}
