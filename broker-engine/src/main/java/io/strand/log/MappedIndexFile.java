package io.strand.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The memory-mapped file behind one sparse index of a segment: a run of fixed-size entries kept in
 * order, followed by zeros. {@link OffsetIndex} and {@link TimeIndex} say how an entry is laid out and
 * which order entries keep; this class owns the file's life:
 * <ul>
 *   <li><b>Lazy.</b> Construction touches nothing, so an idle segment costs no mapping. The first use
 *       maps the file; an absent file reads as empty and only an append creates it.</li>
 *   <li><b>Grows.</b> The file starts at {@link #INITIAL_SIZE_BYTES} and doubles, remapped each time, up
 *       to the maximum size; then {@link #isFull()}.</li>
 *   <li><b>Trims and closes.</b> {@link #trimToValidSize()} cuts the file to its entries and unmaps it;
 *       {@link #close()} unmaps. The next use maps the file again. The entry count is remembered across
 *       a close (only this object writes the file), so a reopen does not rescan.</li>
 * </ul>
 *
 * <p><b>After a crash.</b> When the file is first mapped, its entries are the longest prefix of slots
 * that keep the entry order. Key invariant: every byte past the last entry is zero. Appends write only
 * at the end, the file grows with zeros, and truncation zeroes the entries it drops, so the prefix rule
 * finds exactly the entries written before a process crash, and a stale entry never reappears.
 * {@link #sanityCheck()} reports any other content as a {@link CorruptIndexException}. Index files have
 * no checksum: the owner rebuilds them from the {@code .log} file rather than trust them after a crash.
 *
 * <p><b>Threading.</b> Every public method synchronizes on the index, so one thread may append while
 * others look up. The mapping never leaves this object (no slice or duplicate is handed out), which
 * is what makes unmapping under the lock safe: no one can touch a buffer once it is unmapped.
 * I/O errors surface as {@link LogStorageException}; misuse as {@link IllegalArgumentException}
 * or {@link IllegalStateException}.
 */
abstract class MappedIndexFile implements Closeable {
    /** A new index file starts this small, so that thousands of one-batch segments cost little disk. */
    static final int INITIAL_SIZE_BYTES = 4096;
    /**
     * Lookups search the last 8 KiB of entries first. Tailing readers ask for recent offsets, so
     * their probes stay in the same few pages, which stay resident; an old page may be evicted
     * without costing the tail a page fault.
     */
    private static final int WARM_SECTION_BYTES = 8192;
    /** The "mapping" of an open index whose file is absent or empty: nothing to read, no file to write. */
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final long baseOffset;
    private final int entrySize;
    private final int maxSizeBytes;
    private final int initialSizeBytes;
    private volatile Path file;

    /** The mapping of the whole file, {@link #EMPTY} while the file is absent or empty, null while closed. */
    private ByteBuffer buffer;
    /** Valid entries at the start of the file; -1 until the file is first scanned. */
    private int entries = -1;

    MappedIndexFile(Path file, long baseOffset, int entrySize, int maxIndexSizeBytes) {
        if (baseOffset < 0) {
            throw new IllegalArgumentException("baseOffset=" + baseOffset + " of " + file + " is negative");
        }
        if (maxIndexSizeBytes < entrySize) {
            throw new IllegalArgumentException("maxIndexSizeBytes=" + maxIndexSizeBytes + " of " + file
                    + " cannot hold one entry of " + entrySize + " bytes");
        }
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.maxSizeBytes = maxIndexSizeBytes - maxIndexSizeBytes % entrySize;
        this.initialSizeBytes = Math.min(maxSizeBytes, INITIAL_SIZE_BYTES - INITIAL_SIZE_BYTES % entrySize);
    }

    /** Is slot 0 a possible first entry (values in range)? */
    abstract boolean isValidFirst(ByteBuffer b, int slot);

    /** May the entry in {@code slot} follow the one in {@code previous}? */
    abstract boolean follows(ByteBuffer b, int previous, int slot);

    /** The search key of the entry in {@code slot}; non-decreasing over the entries. */
    abstract long keyAt(ByteBuffer b, int slot);

    /** The absolute offset named by the entry in {@code slot}; non-decreasing over the entries. */
    abstract long offsetAt(ByteBuffer b, int slot);

    public final long baseOffset() {
        return baseOffset;
    }

    public final Path file() {
        return file;
    }

    /** The number of entries; maps the file only if it was never scanned. */
    public synchronized int entries() {
        if (entries < 0) {
            mapped();
        }
        return entries;
    }

    /** True when no further entry fits under the maximum size: the owner rolls the segment. */
    public synchronized boolean isFull() {
        return entries() >= maxSizeBytes / entrySize;
    }

    public synchronized boolean isOpen() {
        return buffer != null;
    }

    /** Drops every entry naming an offset at or above {@code offset}. */
    public synchronized void truncateTo(long offset) {
        ByteBuffer b = mapped();
        int keep = offset <= baseOffset ? 0 : floorSlot(b, offset - 1, false) + 1;
        if (keep < entries) {
            // Zero what is dropped, keeping the invariant that only zeros follow the entries.
            for (int i = keep * entrySize; i < entries * entrySize; i++) {
                b.put(i, (byte) 0);
            }
            entries = keep;
        }
    }

    /** Drops every entry and empties the file, before the owner rebuilds the index from the log. */
    public synchronized void reset() {
        unmap();
        entries = 0;
        truncateFile(0);
    }

    /** Cuts the file to exactly its entries and unmaps it; called when the segment stops taking appends. */
    public synchronized void trimToValidSize() {
        long validBytes = (long) entries() * entrySize;
        unmap();
        truncateFile(validBytes);
    }

    /**
     * Forces the entries to disk. A closed (for instance trimmed) index may still have unwritten pages
     * in the page cache, so its file is forced too, without mapping it.
     */
    public synchronized void flush() {
        try {
            if (buffer instanceof MappedByteBuffer mapping) {
                mapping.force();
            } else if (buffer == null) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                } catch (NoSuchFileException e) {
                    // never written: nothing to force
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new LogStorageException("cannot force index file " + file + " to disk: " + e, e);
        }
    }

    /** Unmaps the file; the next use maps it again. */
    public synchronized void closeHandler() {
        unmap();
    }

    @Override
    public synchronized void close() {
        unmap();
    }

    /** Unmaps and deletes the file; returns whether it existed. A later use sees an empty index. */
    public synchronized boolean deleteIfExists() {
        unmap();
        entries = -1;
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LogStorageException("cannot delete index file " + file + ": " + e, e);
        }
    }

    /** Renames the file (if it exists yet) and uses the new name from now on. */
    public synchronized void renameTo(Path target) {
        try {
            if (Files.exists(file)) {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new LogStorageException("cannot rename index file " + file + " to " + target + ": " + e, e);
        }
        file = target;
    }

    /**
     * Checks the file as it is on disk: its length must be a whole number of entries and only zeros may
     * follow the valid entries (anything else is a torn or stale entry). Leaves a closed index closed.
     *
     * @throws CorruptIndexException naming the file and the problem; the owner then rebuilds the index
     */
    public synchronized void sanityCheck() {
        boolean wasOpen = buffer != null;
        try {
            ByteBuffer b = mapped();
            if (b.capacity() % entrySize != 0) {
                throw new CorruptIndexException("index file " + file + " is " + b.capacity()
                        + " bytes long, which is not a multiple of the entry size " + entrySize);
            }
            for (int i = entries * entrySize; i < b.capacity(); i++) {
                if (b.get(i) != 0) {
                    throw new CorruptIndexException("index file " + file + " has " + entries
                            + " entries in order, then a non-zero byte at position " + i
                            + ": a torn or out-of-order entry");
                }
            }
        } finally {
            if (!wasOpen) {
                unmap();
            }
        }
    }

    /** The mapping, mapped now if closed. Callers hold the lock and never keep it past their call. */
    final ByteBuffer mapped() {
        if (buffer == null) {
            buffer = map();
        }
        return buffer;
    }

    /** The mapping with room for one more entry at slot {@link #entries}, growing the file if needed. */
    final ByteBuffer roomForOneMore() {
        ByteBuffer b = mapped();
        if (entries >= maxSizeBytes / entrySize) {
            throw new IllegalStateException("index file " + file + " is full at " + entries
                    + " entries; the segment should have rolled");
        }
        if ((entries + 1) * entrySize > b.capacity()) {
            b = grow(b.capacity());
        }
        return b;
    }

    /** Publishes the entry just written at slot {@link #entries}. */
    final void entryAppended() {
        entries++;
    }

    /** The relative form of {@code offset}; it must lie in the 32-bit range above the base offset. */
    final int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset=" + offset + " is outside the range of " + file
                    + " (baseOffset=" + baseOffset + ")");
        }
        return (int) relative;
    }

    /** The last slot whose key is at most {@code target}, or -1 when there is none. */
    final int floorSlotByKey(long target) {
        return floorSlot(mapped(), target, true);
    }

    /** The last slot whose key (or offset) is at most {@code target}, or -1; the column is non-decreasing. */
    private int floorSlot(ByteBuffer b, long target, boolean byKey) {
        int n = entries;
        if (n == 0 || column(b, 0, byKey) > target) {
            return -1;
        }
        int firstWarm = Math.max(0, n - WARM_SECTION_BYTES / entrySize);
        int low = 0;
        int high = n - 1;
        if (column(b, firstWarm, byKey) <= target) {
            low = firstWarm;
        } else {
            high = firstWarm - 1;
        }
        // Invariant: column(low) <= target, and the answer lies in [low, high].
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (column(b, mid, byKey) <= target) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private long column(ByteBuffer b, int slot, boolean byKey) {
        return byKey ? keyAt(b, slot) : offsetAt(b, slot);
    }

    private ByteBuffer map() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long length = channel.size();
            if (length > Integer.MAX_VALUE) {
                throw new CorruptIndexException("index file " + file + " is " + length + " bytes, too long for an index");
            }
            ByteBuffer b = length == 0 ? EMPTY : channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            if (entries < 0 || (long) entries * entrySize > length) {
                entries = countValidEntries(b);
            }
            return b;
        } catch (NoSuchFileException e) {
            entries = 0;
            return EMPTY;
        } catch (IOException e) {
            throw new LogStorageException("cannot map index file " + file + ": " + e, e);
        }
    }

    private int countValidEntries(ByteBuffer b) {
        int slots = b.capacity() / entrySize;
        if (slots == 0 || !isValidFirst(b, 0)) {
            return 0;
        }
        // A preallocated file that was never written also starts with an all-zero slot. Count it only
        // when the file was trimmed to that one entry or a valid entry follows; the other reading
        // ("no entry") answers every lookup the same way, so the ambiguity is harmless.
        if (slots > 1 && isZeroSlot(b, 0) && !follows(b, 0, 1)) {
            return 0;
        }
        int n = 1;
        while (n < slots && follows(b, n - 1, n)) {
            n++;
        }
        return n;
    }

    private boolean isZeroSlot(ByteBuffer b, int slot) {
        for (int i = slot * entrySize; i < (slot + 1) * entrySize; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private ByteBuffer grow(int capacity) {
        int target = (int) Math.min(maxSizeBytes, Math.max(initialSizeBytes, 2L * capacity - (2L * capacity) % entrySize));
        // Unmap before resizing: not every platform can resize a mapped file.
        unmap();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            // Mapping past the end extends the file with zeros, which keeps the zero-tail invariant.
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, target);
            return buffer;
        } catch (IOException e) {
            throw new LogStorageException("cannot grow index file " + file + " to " + target + " bytes: " + e, e);
        }
    }

    private void truncateFile(long sizeInBytes) {
        assert buffer == null : "resizing mapped index file " + file;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(sizeInBytes);
        } catch (NoSuchFileException e) {
            // Nothing to cut: the index was never written.
        } catch (IOException e) {
            throw new LogStorageException("cannot truncate index file " + file + " to " + sizeInBytes + " bytes: "
                    + e, e);
        }
    }

    private void unmap() {
        ByteBuffer b = buffer;
        buffer = null; // forget it first: nothing may reach the buffer once it is unmapped
        if (b instanceof MappedByteBuffer && b.capacity() > 0) {
            MappedBuffers.unmap(b);
        }
    }

    @Override
    public synchronized String toString() {
        return getClass().getSimpleName() + "(" + file + ", baseOffset=" + baseOffset + ", entries=" + entries
                + (buffer == null ? ", closed" : "") + ")";
    }
}
