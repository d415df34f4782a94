package io.strand.log;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment, file {@code <20-digit base offset>.index}: it maps some
 * offsets to the byte position of their batch in the segment's {@code .log} file, one entry every
 * {@code index.interval.bytes} or so, so that a read finds its batch with a binary search and a short
 * scan instead of a scan of the whole segment.
 *
 * <p>File format: entries of 8 bytes, big-endian, sorted, strictly increasing in both fields:
 * <pre>
 *   0: int32 relative offset  (offset - baseOffset)
 *   4: int32 physical position in the .log file
 * </pre>
 * followed by zeros up to the file's preallocated length. The first entry may be {@code (0, 0)}.
 * There is no checksum: after a crash the index is trusted only up to the recovery point and rebuilt
 * from the log beyond it, or whenever {@link #sanityCheck()} fails.
 *
 * <p>Lazy mapping, growth, trimming, closing and crash handling are those of {@link MappedIndexFile}.
 * Threading: every method synchronizes on the index; one thread appends (the partition's writer)
 * while any number of threads look up.
 */
public final class OffsetIndex extends MappedIndexFile {
    static final int ENTRY_SIZE = 8;
    private static final int POSITION_AT = 4;

    static {
        // Entries never straddle the initial size or a page, so growth never splits one.
        assert INITIAL_SIZE_BYTES % ENTRY_SIZE == 0 : "entry size must divide the initial size";
    }

    /** Touches no file: the index is mapped on first use. */
    public OffsetIndex(Path file, long baseOffset, int maxIndexSizeBytes) {
        super(file, baseOffset, ENTRY_SIZE, maxIndexSizeBytes);
    }

    /**
     * Adds an entry: the batch starting at {@code offset} begins at byte {@code position} of the log.
     *
     * @throws IllegalArgumentException if offset or position does not exceed the last entry's, or the
     *                                  offset lies outside the 32-bit range above the base offset
     * @throws IllegalStateException    if the index is full
     */
    public synchronized void append(long offset, int position) {
        int relative = relativeOffset(offset);
        if (position < 0) {
            throw new IllegalArgumentException("position=" + position + " for offset=" + offset + " in " + file()
                    + " is negative");
        }
        int n = entries();
        if (n > 0) {
            OffsetPosition last = entry(n - 1);
            if (offset <= last.offset() || position <= last.position()) {
                throw new IllegalArgumentException("entry offset=" + offset + " position=" + position + " in " + file()
                        + " must exceed the last entry offset=" + last.offset() + " position=" + last.position());
            }
        }
        ByteBuffer b = roomForOneMore();
        int at = n * ENTRY_SIZE;
        b.putInt(at, relative);
        b.putInt(at + POSITION_AT, position);
        entryAppended();
    }

    /**
     * The entry with the largest offset at or below {@code targetOffset}, or {@code (baseOffset, 0)}
     * when there is none: the batch holding the target starts at or after the position returned.
     */
    public synchronized OffsetPosition lookup(long targetOffset) {
        int slot = floorSlotByKey(targetOffset);
        return slot < 0 ? new OffsetPosition(baseOffset(), 0) : read(mapped(), slot);
    }

    /** The {@code n}th entry, from 0. */
    public synchronized OffsetPosition entry(int n) {
        if (n < 0 || n >= entries()) {
            throw new IndexOutOfBoundsException("entry " + n + " of " + file() + ", which has " + entries()
                    + " entries");
        }
        return read(mapped(), n);
    }

    /** The offset of the last entry, or the base offset when the index is empty. */
    public synchronized long lastOffset() {
        int n = entries();
        return n == 0 ? baseOffset() : keyAt(mapped(), n - 1);
    }

    private OffsetPosition read(ByteBuffer b, int slot) {
        return new OffsetPosition(keyAt(b, slot), position(b, slot));
    }

    private static int relative(ByteBuffer b, int slot) {
        return b.getInt(slot * ENTRY_SIZE);
    }

    private static int position(ByteBuffer b, int slot) {
        return b.getInt(slot * ENTRY_SIZE + POSITION_AT);
    }

    @Override
    boolean isValidFirst(ByteBuffer b, int slot) {
        return relative(b, slot) >= 0 && position(b, slot) >= 0;
    }

    @Override
    boolean follows(ByteBuffer b, int previous, int slot) {
        return relative(b, slot) > relative(b, previous) && position(b, slot) > position(b, previous);
    }

    @Override
    long keyAt(ByteBuffer b, int slot) {
        return baseOffset() + relative(b, slot);
    }

    @Override
    long offsetAt(ByteBuffer b, int slot) {
        return keyAt(b, slot);
    }
}
