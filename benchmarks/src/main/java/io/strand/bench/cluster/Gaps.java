package io.strand.bench.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The figures of the failover benchmark: longest pauses in a thread's events, and medians. */
public final class Gaps {
    private Gaps() {
    }

    /**
     * The longest time without an event that overlaps the window {@code [from, to]}: between two consecutive
     * events in it, or from the last event before the window to the first in it (so a pause that began just before
     * the window counts whole). A pause still going on at {@code to} counts until {@code to}; with no event before
     * the window, the first pause counts from {@code from}.
     *
     * @param events ascending event times
     */
    public static long longest(long[] events, long from, long to) {
        if (to < from) {
            throw new IllegalArgumentException("window ends before it starts");
        }
        int first = Arrays.binarySearch(events, from);
        first = first >= 0 ? first : -first - 1; // the first event at or after from
        long previous = first > 0 ? events[first - 1] : from;
        long longest = 0;
        int i = first;
        for (; i < events.length && events[i] <= to; i++) {
            longest = Math.max(longest, events[i] - previous);
            previous = events[i];
        }
        return Math.max(longest, to - previous);
    }

    /** The median (mean of the two middle values for an even count); NaN when empty. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
