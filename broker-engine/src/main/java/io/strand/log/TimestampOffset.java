package io.strand.log;

/**
 * One entry of a {@link TimeIndex}: no record at or before {@code offset} has a timestamp above
 * {@code timestamp}. A lookup that finds no entry answers {@code (-1, baseOffset)}.
 */
public record TimestampOffset(long timestamp, long offset) {
    /** The timestamp of a "no entry" answer, equal to the record batch's "no timestamp" value. */
    public static final long NO_TIMESTAMP = -1L;
}
