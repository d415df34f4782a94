package io.strand.cli;

import java.time.Instant;

/**
 * Time as the load tools stamp and compare it. The producer stamps each message with its wall-clock
 * send time in microseconds ({@value #SENT_PROPERTY}); a consumer on the same host (or one with a
 * synchronised clock) takes its end-to-end latency from it. Stateless.
 */
final class PerfClock {
    static final String SENT_PROPERTY = "strand_perf_sent_us";

    private PerfClock() {
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
