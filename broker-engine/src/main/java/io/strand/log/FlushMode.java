package io.strand.log;

import java.util.Locale;

/** When an append counts as durable. */
public enum FlushMode {
    /**
     * The append is acknowledged once it is in the page cache; the log is forced to disk every
     * {@code flush.interval.ms} and on clean shutdown. Durability then comes from replication.
     */
    NONE,
    /**
     * The append is acknowledged only after its bytes are forced to disk. Concurrent appenders to a
     * partition share one {@code force()} (group commit).
     */
    FSYNC;

    public static FlushMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("flush.mode=" + value + " is not valid; use none or fsync", e);
        }
    }
}
