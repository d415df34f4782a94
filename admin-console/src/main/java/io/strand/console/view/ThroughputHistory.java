package io.strand.console.view;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message rates over the last minutes, per destination and for the whole broker, worked out from the
 * counters the admin api reports: how many messages were ever appended (the sum of the partitions' log
 * end offsets) and, for a queue, how many were consumed (high watermark minus lag). The broker keeps no
 * rates of its own; every describe the console makes is a sample, so the history grows while anyone
 * watches a page and has gaps while nobody does (a rate spans the gap, it is never invented).
 *
 * <p>Samples closer than {@link #MIN_SPACING_MS} to the previous one are ignored, so that several
 * viewers polling at once do not turn rounding into spikes. A counter that goes back (the destination
 * was deleted and created again, or a queue was rewound) starts its series afresh. Thread-safe.
 */
public final class ThroughputHistory {
    static final long MIN_SPACING_MS = 1_000;
    static final long KEPT_MS = 15 * 60_000;
    static final int MAX_POINTS = 600;
    /** The key of the whole broker's series. */
    static final String BROKER = "";

    private final Map<String, Series> series = new ConcurrentHashMap<>();

    /**
     * @param appended messages ever appended to the destination
     * @param consumed messages ever consumed from it, or null where the broker does not say (a topic)
     */
    public void record(String destination, long nowMs, long appended, Long consumed) {
        series.computeIfAbsent(destination, k -> new Series()).record(nowMs, appended, consumed);
    }

    /** Records the broker's totals, taken from one describe of every destination. */
    public void recordBroker(long nowMs, long appended, Long consumed) {
        record(BROKER, nowMs, appended, consumed);
    }

    /** The destination's rates, oldest first; empty before two samples. */
    public List<Views.ThroughputPoint> points(String destination) {
        Series s = series.get(destination);
        return s == null ? List.of() : s.points();
    }

    public List<Views.ThroughputPoint> brokerPoints() {
        return points(BROKER);
    }

    /** The destination's latest rates, or null before two samples. */
    public Views.ThroughputPoint latest(String destination) {
        Series s = series.get(destination);
        return s == null ? null : s.latest();
    }

    public void forget(String destination) {
        series.remove(destination);
    }

    private static final class Series {
        private final Deque<Views.ThroughputPoint> points = new ArrayDeque<>();
        private long lastMs = Long.MIN_VALUE;
        private long lastAppended;
        private Long lastConsumed;

        synchronized void record(long nowMs, long appended, Long consumed) {
            if (lastMs != Long.MIN_VALUE && nowMs - lastMs < MIN_SPACING_MS) {
                return;
            }
            boolean wentBack = appended < lastAppended || consumed != null && lastConsumed != null
                    && consumed < lastConsumed;
            if (lastMs != Long.MIN_VALUE && wentBack) {
                points.clear();
            } else if (lastMs != Long.MIN_VALUE) {
                double seconds = (nowMs - lastMs) / 1000.0;
                Double out = consumed == null || lastConsumed == null ? null : (consumed - lastConsumed) / seconds;
                points.addLast(new Views.ThroughputPoint(nowMs, (appended - lastAppended) / seconds, out));
            }
            lastMs = nowMs;
            lastAppended = appended;
            lastConsumed = consumed;
            while (!points.isEmpty() && (points.size() > MAX_POINTS || points.peekFirst().timeMs() < nowMs - KEPT_MS)) {
                points.removeFirst();
            }
        }

        synchronized List<Views.ThroughputPoint> points() {
            return List.copyOf(points);
        }

        synchronized Views.ThroughputPoint latest() {
            return points.peekLast();
        }
    }
}
