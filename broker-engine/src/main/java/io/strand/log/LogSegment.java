package io.strand.log;

import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment of a partition: a {@code .log} file of record batches starting at {@link #baseOffset()},
 * with a sparse offset index and a time index beside it.
 *
 * <p>Files are opened lazily and may be closed again by the {@link FileHandleBudget} when idle;
 * an idle segment costs a few objects and no file handle. Every method that touches the file pins
 * it open for its duration.
 *
 * <p>In flush mode fsync the file of the segment being appended to is extended ahead of its batches, up to
 * {@value #PREALLOCATE_BYTES} bytes at a time (a sparse extension, no disk space is taken): a forced append
 * that also grew the file forces its new size too, which costs this disk more than half again the force of
 * the data alone. The extension is cut off when the segment stops being appended to (roll, clean close,
 * truncation); after a crash, recovery finds it as zeros after the last batch and cuts it without calling it
 * a torn write.
 *
 * <p>Threading: one writer at a time (the partition's append lock serialises {@link #append},
 * {@link #truncateTo} and {@link #recover}); readers run concurrently and see only bytes below the
 * size published by the last append.
 */
public final class LogSegment {
    /** How far ahead of its batches the active segment's file is extended at a time, in flush mode fsync. */
    static final int PREALLOCATE_BYTES = 4 << 20;
    private static final ByteBuffer ONE_ZERO_BYTE = ByteBuffer.allocateDirect(1);

    private final long baseOffset;
    private final Path logPath;
    private final LazyFileChannel file;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final FileHandleBudget budget;
    private volatile LogConfig config;

    /** Bytes of valid batches in the file; -1 until first needed (read from the file system then). */
    private volatile long size = -1;
    /** The file's length when appends extended it past {@link #size}, else -1 (the file ends with its batches). */
    private volatile long allocated = -1;
    /** Largest batch timestamp in the segment; {@code NO_TIMESTAMP} until known (loaded lazily). */
    private volatile long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private volatile boolean maxTimestampKnown;
    /** Last offset of the batch that holds {@link #maxTimestamp}. */
    private volatile long offsetOfMaxTimestamp = -1;
    /** When this segment counts as created, for rolling by age; set by the first append after open. */
    private volatile long rollingBaseMs = -1;
    private int bytesSinceLastIndexEntry;

    LogSegment(Path dir, long baseOffset, LogConfig config, FileChannelOpener opener, FileHandleBudget budget) {
        this.baseOffset = baseOffset;
        this.logPath = dir.resolve(LogFiles.logFileName(baseOffset));
        this.file = new LazyFileChannel(logPath, opener);
        this.offsetIndex = new OffsetIndex(dir.resolve(LogFiles.indexFileName(baseOffset)), baseOffset,
                config.maxIndexBytes());
        this.timeIndex = new TimeIndex(dir.resolve(LogFiles.timeIndexFileName(baseOffset)), baseOffset,
                config.maxIndexBytes());
        this.budget = budget;
        this.config = config;
    }

    /** A new, empty segment: creates its log file now so that the directory lists it. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, FileChannelOpener opener,
                             FileHandleBudget budget, long nowMs) {
        LogSegment segment = new LogSegment(dir, baseOffset, config, opener, budget);
        try {
            Files.deleteIfExists(segment.offsetIndex.file());
            Files.deleteIfExists(segment.timeIndex.file());
            Files.newByteChannel(segment.logPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new LogStorageException("cannot create segment file " + segment.logPath + ": " + e, e);
        }
        segment.size = 0;
        segment.maxTimestampKnown = true;
        segment.rollingBaseMs = nowMs;
        return segment;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public Path logPath() {
        return logPath;
    }

    void updateConfig(LogConfig config) {
        this.config = config;
    }

    /** Size in bytes of the valid batches; reads the file's length on first call after opening. */
    public long sizeInBytes() {
        long known = size;
        if (known < 0) {
            try {
                known = Files.size(logPath);
            } catch (IOException e) {
                throw new LogStorageException("cannot read the size of " + logPath + ": " + e, e);
            }
            size = known;
        }
        return known;
    }

    long lastUsedNanos() {
        return file.lastUsedNanos();
    }

    /** Pins the file open; pair with {@link #release()}. Reports a fresh open to the budget. */
    FileChannel acquire() {
        boolean[] openedNow = new boolean[1];
        FileChannel channel;
        try {
            channel = file.acquire(openedNow);
        } catch (IOException e) {
            throw new LogStorageException("cannot open segment file " + logPath + ": " + e, e);
        }
        if (openedNow[0]) {
            budget.opened(this);
        }
        return channel;
    }

    void release() {
        file.release();
    }

    /**
     * Should the next append of {@code batchBytes} bytes, ending at {@code lastOffset}, go to a new
     * segment: the file would pass {@code segment.bytes}, the segment is older than {@code segment.ms},
     * an index is full, or the offset no longer fits the index's 32-bit relative offsets.
     */
    boolean shouldRoll(int batchBytes, long lastOffset, long nowMs) {
        long currentSize = sizeInBytes();
        if (currentSize == 0) {
            return false;
        }
        LogConfig c = config;
        return currentSize > c.segmentBytes() - batchBytes
                || nowMs - rollingBaseMs(nowMs) > c.segmentMs()
                || offsetIndex.isFull() || timeIndex.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    private long rollingBaseMs(long nowMs) {
        if (rollingBaseMs < 0) {
            // A segment loaded from disk counts from its file's last change: a restart must not make
            // an old active segment look young and keep it open for another segment.ms.
            try {
                rollingBaseMs = Files.getLastModifiedTime(logPath).toMillis();
            } catch (IOException e) {
                rollingBaseMs = nowMs;
            }
        }
        return rollingBaseMs;
    }

    /**
     * Appends validated batches whose offsets are already assigned, and indexes them. On an I/O
     * error the file and indexes are cut back to where they were, so no partial batch stays behind.
     *
     * @param batches whole batches, from position to limit; their first base offset is {@code firstOffset}
     */
    void append(ByteBuffer batches, long firstOffset) {
        maxTimestamp(); // a segment loaded from disk learns its largest timestamp before the time index grows
        FileChannel channel = acquire();
        long startSize = sizeInBytes();
        try {
            extendAhead(channel, startSize + batches.remaining());
            writeFully(channel, batches.duplicate(), startSize);
            RecordBatch batch = new RecordBatch();
            for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos);
                indexBatch(startSize + pos - batches.position(), batch);
            }
            size = startSize + batches.remaining();
        } catch (IOException | RuntimeException e) {
            cutBack(channel, startSize, firstOffset, e);
            throw new LogStorageException("cannot append " + batches.remaining() + " bytes to " + logPath + ": " + e, e);
        } finally {
            release();
        }
    }

    /** In flush mode fsync, makes the file at least {@code end} bytes long, extending it a chunk ahead when not. */
    private void extendAhead(FileChannel channel, long end) throws IOException {
        LogConfig c = config;
        if (c.flushMode() != FlushMode.FSYNC || end <= allocated) {
            return;
        }
        long length = end + Math.min(PREALLOCATE_BYTES, c.segmentBytes());
        channel.write(ONE_ZERO_BYTE.duplicate(), length - 1); // a hole up to it: no disk space taken
        allocated = length;
    }

    /** Cuts the file back to its batches when appends extended it (see {@link #extendAhead}). */
    void trimPreallocation() {
        if (allocated < 0) {
            return;
        }
        FileChannel channel = acquire();
        try {
            channel.truncate(sizeInBytes());
            allocated = -1;
        } catch (IOException e) {
            throw new LogStorageException("cannot cut " + logPath + " back to its " + sizeInBytes() + " bytes of "
                    + "batches: " + e, e);
        } finally {
            release();
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private void cutBack(FileChannel channel, long validSize, long firstOffset, Exception cause) {
        try {
            allocated = -1;
            channel.truncate(validSize);
            offsetIndex.truncateTo(firstOffset);
            timeIndex.truncateTo(firstOffset);
        } catch (IOException | RuntimeException again) {
            cause.addSuppressed(again);
        }
        maxTimestampKnown = false;
    }

    /**
     * Indexes the batch written at {@code position}: an offset-index entry at the segment's first
     * batch and whenever {@code index.interval.bytes} have passed since the last entry, and with it a
     * time-index entry for the largest timestamp so far. The time index entry (T, O) promises that no
     * record at or before offset O has a timestamp above T.
     */
    private void indexBatch(long position, RecordBatch batch) {
        assert maxTimestampKnown : "indexing " + logPath + " before its largest timestamp was loaded";
        if (batch.maxTimestamp() > maxTimestamp) {
            maxTimestamp = batch.maxTimestamp();
            offsetOfMaxTimestamp = batch.lastOffset();
        }
        if (position == 0 || bytesSinceLastIndexEntry > config.indexIntervalBytes()) {
            offsetIndex.append(batch.baseOffset(), Math.toIntExact(position));
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * The file position of the first batch whose last offset is at least {@code offset}, or -1 when
     * every batch in the segment ends before it.
     */
    long positionOf(long offset) {
        Long found = walkHeaders(offsetIndex.lookup(offset).position(),
                (header, position) -> header.lastOffset() >= offset ? position : null);
        return found == null ? -1 : found;
    }

    /** The offset after the last batch in the segment, or the base offset when it is empty. */
    long readNextOffset() {
        long[] next = {baseOffset};
        walkHeaders(offsetIndex.lookup(Long.MAX_VALUE).position(), (header, position) -> {
            next[0] = header.nextOffset();
            return null;
        });
        return next[0];
    }

    /** Visits batch headers in file order; returning non-null stops the walk with that result. */
    @FunctionalInterface
    private interface HeaderVisitor<T> {
        T visit(RecordBatch header, long position);
    }

    /** Walks batch headers from {@code fromPosition} to the end of the valid bytes, with the file pinned. */
    private <T> T walkHeaders(long fromPosition, HeaderVisitor<T> visitor) {
        FileChannel channel = acquire();
        try {
            long fileSize = sizeInBytes();
            BatchHeaderReader reader = new BatchHeaderReader();
            for (long position = fromPosition; position < fileSize; ) {
                RecordBatch header = reader.readAt(channel, position, fileSize, Integer.MAX_VALUE);
                T result = visitor.visit(header, position);
                if (result != null) {
                    return result;
                }
                position += header.sizeInBytes();
            }
            return null;
        } catch (IOException e) {
            throw new LogStorageException("cannot read " + logPath + ": " + e, e);
        } finally {
            release();
        }
    }

    /**
     * Whole batches from the one holding {@code startOffset}, up to {@code maxBytes} (always at least
     * one batch, so that a batch larger than {@code maxBytes} never blocks a reader), stopping before
     * any batch that reaches {@code maxOffsetExclusive}, and after the batch that holds {@code lastWantedOffset}.
     * Returns null when no batch in this segment qualifies; otherwise the caller must close the slice.
     */
    FileSlice read(long startOffset, int maxBytes, long maxOffsetExclusive, long lastWantedOffset) {
        FileChannel channel = acquire();
        boolean handedOut = false;
        try {
            long fileSize = sizeInBytes();
            long start = offsetIndex.lookup(startOffset).position();
            BatchHeaderReader reader = new BatchHeaderReader();
            long position = start;
            long firstOffset = -1;
            long nextOffset = -1;
            long end = -1;
            while (position < fileSize && nextOffset <= lastWantedOffset) {
                RecordBatch header = reader.readAt(channel, position, fileSize, Integer.MAX_VALUE);
                long batchSize = header.sizeInBytes();
                if (header.lastOffset() < startOffset) {
                    position += batchSize;
                    start = position;
                    continue;
                }
                if (header.lastOffset() >= maxOffsetExclusive
                        || (end >= 0 && position + batchSize - start > maxBytes)) {
                    break;
                }
                if (firstOffset < 0) {
                    firstOffset = header.baseOffset();
                }
                nextOffset = header.nextOffset();
                position += batchSize;
                end = position;
            }
            if (end < 0) {
                return null;
            }
            handedOut = true;
            return new FileSlice(this, channel, start, Math.toIntExact(end - start), firstOffset, nextOffset);
        } catch (IOException e) {
            throw new LogStorageException("cannot read " + logPath + ": " + e, e);
        } finally {
            if (!handedOut) {
                release();
            }
        }
    }

    /**
     * The first batch (as base offset and position) whose largest timestamp is at least
     * {@code timestamp}, or null when none in this segment is.
     */
    OffsetPosition findBatchByTimestamp(long timestamp) {
        // An entry (T, O) with T below the target guarantees nothing at or before O reaches it.
        long fromOffset = timestamp == Long.MIN_VALUE ? baseOffset : timeIndex.lookup(timestamp - 1).offset();
        return walkHeaders(offsetIndex.lookup(fromOffset).position(), (header, position) ->
                header.maxTimestamp() >= timestamp
                        ? new OffsetPosition(header.baseOffset(), Math.toIntExact(position)) : null);
    }

    /** The largest batch timestamp in the segment, or {@code NO_TIMESTAMP} when it is empty. */
    public long maxTimestamp() {
        if (!maxTimestampKnown) {
            loadMaxTimestamp();
        }
        return maxTimestamp;
    }

    private void loadMaxTimestamp() {
        TimestampOffset last = timeIndex.lastEntry();
        long[] max = {last.timestamp(), last.offset()};
        walkHeaders(offsetIndex.lookup(last.offset()).position(), (header, position) -> {
            if (header.maxTimestamp() > max[0]) {
                max[0] = header.maxTimestamp();
                max[1] = header.lastOffset();
            }
            return null;
        });
        offsetOfMaxTimestamp = max[1];
        maxTimestamp = max[0];
        maxTimestampKnown = true;
    }

    /**
     * Drops every batch that holds an offset at or past {@code offset} (a batch is never split, so a
     * batch that straddles {@code offset} goes too). Returns the bytes removed.
     */
    long truncateTo(long offset) {
        long position = positionOf(offset);
        if (position < 0) {
            return 0;
        }
        FileChannel channel = acquire();
        try {
            long before = sizeInBytes();
            allocated = -1;
            channel.truncate(position);
            size = position;
            offsetIndex.truncateTo(offset);
            timeIndex.truncateTo(offset);
            maxTimestampKnown = false;
            bytesSinceLastIndexEntry = 0;
            return before - position;
        } catch (IOException e) {
            throw new LogStorageException("cannot truncate " + logPath + " to position " + position + ": " + e, e);
        } finally {
            release();
        }
    }

    /**
     * Rebuilds this segment after a crash: reads every batch from the start, checks its header, CRC
     * and offsets, re-creates both indexes, and cuts the file at the first bad or torn batch.
     *
     * @param expectedFirstOffset the lowest offset the segment may hold (its base offset, or higher)
     * @return what was found: the offset after the last good batch and what was cut
     */
    SegmentRecovery recover(long expectedFirstOffset) {
        FileChannel channel = acquire();
        try {
            offsetIndex.reset();
            timeIndex.reset();
            bytesSinceLastIndexEntry = 0;
            long fileSize = channel.size();
            SegmentScanner scanner = new SegmentScanner(channel, fileSize, config.maxBatchBytes());
            long position = 0;
            long nextOffset = Math.max(expectedFirstOffset, baseOffset);
            maxTimestamp = RecordBatch.NO_TIMESTAMP;
            offsetOfMaxTimestamp = -1;
            maxTimestampKnown = true;
            String problem = null;
            while (position < fileSize) {
                RecordBatch batch;
                try {
                    batch = scanner.readValidBatch(position, nextOffset);
                } catch (CorruptRecordException e) {
                    problem = e.getMessage();
                    break;
                }
                indexBatch(position, batch);
                nextOffset = batch.nextOffset();
                position += batch.sizeInBytes();
            }
            // Zeros at the end are what an append extended the file by and never wrote: they are cut, not reported.
            long written = endOfNonZeroBytes(channel, position, fileSize);
            if (fileSize > position) {
                channel.truncate(position);
                channel.force(true);
            }
            size = position;
            allocated = -1;
            return new SegmentRecovery(nextOffset, position, written - position, written > position ? problem : null);
        } catch (IOException e) {
            throw new LogStorageException("cannot recover " + logPath + ": " + e, e);
        } finally {
            release();
        }
    }

    /** The position after the last byte in [{@code from}, {@code to}) that is not zero, or {@code from}. */
    private static long endOfNonZeroBytes(FileChannel channel, long from, long to) throws IOException {
        if (to <= from) {
            return from;
        }
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(64 << 10, to - from));
        for (long end = to; end > from; ) {
            long start = Math.max(from, end - chunk.capacity());
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, start + chunk.position()) < 0) {
                    return end; // shorter than it said: count it all as written
                }
            }
            for (int i = chunk.limit() - 1; i >= 0; i--) {
                if (chunk.get(i) != 0) {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return from;
    }

    /**
     * Forces the segment's bytes to disk. Opens the file if the budget closed it: an fsync through
     * any descriptor forces the file's dirty pages, including those written through a closed one.
     */
    void flush() {
        FileChannel channel = acquire();
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new LogStorageException("cannot force " + logPath + " to disk: " + e, e);
        } finally {
            release();
        }
    }

    /**
     * Forces both indexes. Done for segments that are no longer active, whose indexes recovery then
     * trusts; the active segment's indexes are rebuilt by recovery, so group commits skip the msync.
     */
    void flushIndexes() {
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Called when a newer segment takes over appends: shrink the indexes to their entries. */
    void onBecameInactive() {
        trimPreallocation();
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /**
     * Closes the file and the index mappings if no reader holds the segment; used by the budget.
     * Indexes are trimmed first so that a reopened index holds exactly its entries.
     */
    boolean closeHandlesIfIdle() {
        try {
            if (!file.closeIfIdle()) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        closeIndexes();
        budget.closed(this);
        return true;
    }

    private void closeIndexes() {
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        offsetIndex.close();
        timeIndex.close();
    }

    /** Closes everything for good (clean shutdown); readers that still hold a slice finish first. */
    void close() {
        trimPreallocation();
        closeIndexes();
        file.closeWhenUnused();
        budget.closed(this);
    }

    /** Deletes the segment's files; a reader holding a slice can still finish reading it. */
    void delete() {
        offsetIndex.close();
        timeIndex.close();
        file.closeWhenUnused();
        budget.closed(this);
        try {
            Files.deleteIfExists(logPath);
            offsetIndex.deleteIfExists();
            timeIndex.deleteIfExists();
        } catch (IOException e) {
            throw new LogStorageException("cannot delete segment " + logPath + ": " + e, e);
        }
    }

    /** When the log file was last written, from the file system (no file is opened). */
    long lastModifiedMs() {
        try {
            return Files.getLastModifiedTime(logPath).toMillis();
        } catch (IOException e) {
            throw new LogStorageException("cannot read the modification time of " + logPath + ": " + e, e);
        }
    }

    /** Checks both indexes; the caller rebuilds the segment's indexes when this throws. */
    void sanityCheckIndexes() {
        offsetIndex.sanityCheck();
        timeIndex.sanityCheck();
    }

    boolean indexFilesExist() {
        return Files.exists(offsetIndex.file()) && Files.exists(timeIndex.file());
    }

    @Override
    public String toString() {
        return "LogSegment(" + logPath + ", size=" + size + ")";
    }
}
