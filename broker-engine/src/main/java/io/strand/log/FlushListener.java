package io.strand.log;

/**
 * Told how long each group-commit flush of a partition took, so the broker can publish fsync latency
 * without the log depending on a metrics library. Called on a flusher thread right after the force;
 * it must be quick and must not throw.
 */
@FunctionalInterface
public interface FlushListener {
    /** A listener that ignores flushes, for a log nobody measures. */
    FlushListener NONE = nanos -> { };

    /** One flush of a partition's segments to disk took {@code nanos}. */
    void flushed(long nanos);
}
