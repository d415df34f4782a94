package io.strand.log;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The time index of one segment, file {@code <20-digit base offset>.timeindex}: a sparse map from
 * timestamps to offsets, for "the first offset at or after time T" (consumer seek by time, retention
 * by time). An entry (T, O) promises that no record at or before offset O has a timestamp above T;
 * the index records the running maximum timestamp, so it stays sorted even when record timestamps
 * do not.
 *
 * <p>File format: entries of 12 bytes, big-endian, sorted; timestamps strictly increase and offsets
 * never decrease:
 * <pre>
 *   0: int64 timestamp (ms), at least 0
 *   8: int32 relative offset (offset - baseOffset)
 * </pre>
 * followed by zeros up to the file's preallocated length. Like the offset index it carries no
 * checksum and is rebuilt from the log after a crash or a failed {@link #sanityCheck()}.
 *
 * <p>Lazy mapping, growth, trimming, closing and crash handling are those of {@link MappedIndexFile}.
 * Threading: every method synchronizes on the index; one thread appends while others look up.
 */
public final class TimeIndex extends MappedIndexFile {
    static final int ENTRY_SIZE = 12;
    private static final int OFFSET_AT = 8;

    /** Touches no file: the index is mapped on first use. */
    public TimeIndex(Path file, long baseOffset, int maxIndexSizeBytes) {
        super(file, baseOffset, ENTRY_SIZE, maxIndexSizeBytes);
    }

    /**
     * Adds {@code (timestamp, offset)} if {@code timestamp} is above the last entry's timestamp (above
     * -1, "no timestamp", when empty); otherwise does nothing, which keeps the index a running maximum.
     *
     * @throws IllegalArgumentException if an entry is due and its offset is below the last entry's or
     *                                  outside the 32-bit range above the base offset
     * @throws IllegalStateException    if an entry is due and the index is full
     */
    public synchronized void maybeAppend(long timestamp, long offset) {
        int n = entries();
        TimestampOffset last = lastEntry();
        if (timestamp <= last.timestamp()) {
            return;
        }
        int relative = relativeOffset(offset);
        if (n > 0 && offset < last.offset()) {
            throw new IllegalArgumentException("entry timestamp=" + timestamp + " offset=" + offset + " in " + file()
                    + " has an offset below the last entry offset=" + last.offset() + " timestamp=" + last.timestamp());
        }
        ByteBuffer b = roomForOneMore();
        int at = n * ENTRY_SIZE;
        b.putLong(at, timestamp);
        b.putInt(at + OFFSET_AT, relative);
        entryAppended();
    }

    /**
     * The entry with the largest timestamp at or below {@code targetTimestamp}, or
     * {@code (-1, baseOffset)} when there is none.
     */
    public synchronized TimestampOffset lookup(long targetTimestamp) {
        int slot = floorSlotByKey(targetTimestamp);
        return slot < 0 ? none() : read(mapped(), slot);
    }

    /** The last entry, or {@code (-1, baseOffset)} when the index is empty. */
    public synchronized TimestampOffset lastEntry() {
        int n = entries();
        return n == 0 ? none() : read(mapped(), n - 1);
    }

    /** The {@code n}th entry, from 0. */
    public synchronized TimestampOffset entry(int n) {
        if (n < 0 || n >= entries()) {
            throw new IndexOutOfBoundsException("entry " + n + " of " + file() + ", which has " + entries()
                    + " entries");
        }
        return read(mapped(), n);
    }

    private TimestampOffset none() {
        return new TimestampOffset(TimestampOffset.NO_TIMESTAMP, baseOffset());
    }

    private TimestampOffset read(ByteBuffer b, int slot) {
        return new TimestampOffset(keyAt(b, slot), offsetAt(b, slot));
    }

    private static int relative(ByteBuffer b, int slot) {
        return b.getInt(slot * ENTRY_SIZE + OFFSET_AT);
    }

    @Override
    boolean isValidFirst(ByteBuffer b, int slot) {
        return keyAt(b, slot) >= 0 && relative(b, slot) >= 0;
    }

    @Override
    boolean follows(ByteBuffer b, int previous, int slot) {
        return keyAt(b, slot) > keyAt(b, previous) && relative(b, slot) >= relative(b, previous);
    }

    @Override
    long keyAt(ByteBuffer b, int slot) {
        return b.getLong(slot * ENTRY_SIZE);
    }

    @Override
    long offsetAt(ByteBuffer b, int slot) {
        return baseOffset() + relative(b, slot);
    }
}
