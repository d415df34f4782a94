package io.strand.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of a load run in microseconds: recorded from the load thread, reported as a progress
 * line per interval (counts and percentiles of that interval only) and as a summary over the whole
 * run. Values above an hour are clamped, so that a clock step cannot break the histogram.
 */
final class LatencyStats {
    private static final long MAX_MICROS = 3_600_000_000L;

    private final String name;
    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);
    private Histogram interval;

    LatencyStats(String name) {
        this.name = name;
    }

    void record(long micros) {
        recorder.recordValue(Math.max(0, Math.min(micros, MAX_MICROS)));
    }

    /** Takes what was recorded since the last call into the total; call from one thread. */
    private Histogram drain() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    /** One progress line: seconds since start, messages so far, rate and latencies of the last interval. */
    void printProgress(PrintWriter out, String verb, long done, long elapsedNanos, long intervalNanos) {
        Histogram last = drain();
        double seconds = intervalNanos / 1e9;
        out.printf("%7.1fs  %s %,d  %,.0f msg/s  %s p50 %s  p99 %s  max %s%n", elapsedNanos / 1e9, verb, done,
                last.getTotalCount() / seconds, name, ms(last.getValueAtPercentile(50)),
                ms(last.getValueAtPercentile(99)), ms(last.getMaxValue()));
        out.flush();
    }

    /** The whole run's latencies, in milliseconds, for the summary. */
    Map<String, Object> summary() {
        drain();
        return Rows.of("latency", name, "count", total.getTotalCount(), "minMsec", msValue(total.getMinValue()),
                "meanMsec", Math.round(total.getMean()) / 1000.0, "p50Msec", msValue(total.getValueAtPercentile(50)),
                "p90Msec", msValue(total.getValueAtPercentile(90)), "p99Msec", msValue(total.getValueAtPercentile(99)),
                "p999Msec", msValue(total.getValueAtPercentile(99.9)), "maxMsec", msValue(total.getMaxValue()));
    }

    private static double msValue(long micros) {
        return micros / 1000.0;
    }

    private static String ms(long micros) {
        return String.format("%.2fms", micros / 1000.0);
    }
}
