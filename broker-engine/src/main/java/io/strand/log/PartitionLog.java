package io.strand.log;

import io.strand.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log: an ordered run of segments, the last of which (the active segment) takes
 * appends.
 *
 * <p>Offsets: {@code logStartOffset <= highWatermark <= logEndOffset}, and {@code recoveryPoint <=
 * logEndOffset}. Every offset below the recovery point is forced to disk. The high watermark is
 * the replication boundary: consumers read below it; on a single node the broker moves it up to
 * what is durable. The leader-epoch cache records at which offset each leader epoch began.
 *
 * <p>Threading: appends, truncation, rolling and retention are serialised by one lock (a partition
 * has one writer at a time); reads take no lock and see the batches published by the last append
 * through the volatile log end offset. Durability waits are completed by the
 * {@link GroupCommitFlusher}.
 *
 * <p>Errors: an append that fails on I/O (a full disk) leaves the log as it was and throws
 * {@link LogStorageException}; a failed {@code force()} takes the partition offline, since what
 * reached the disk is then unknown, and every later operation fails with the original cause.
 */
public final class PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Clock clock;
    private final FileChannelOpener opener;
    private final FileHandleBudget budget;
    private final GroupCommitFlusher flusher;
    private final LeaderEpochCache epochCache;
    private final ConcurrentNavigableMap<Long, LogSegment> segments;
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * Held shared while a flush forces segments, which it does without {@link #writeLock} so that appends go on
     * meanwhile; held exclusively (inside the write lock) while segments are deleted or closed, so that a flush never
     * forces a segment that truncation, retention, a snapshot, a close or a delete is taking away.
     */
    private final ReentrantReadWriteLock segmentRemoval = new ReentrantReadWriteLock();
    /** Closed or deleted: nothing is left to force. Guarded by {@link #segmentRemoval}. */
    private boolean retired;
    private final DurabilityWaiters waiters = new DurabilityWaiters();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    /** Guarded by writeLock. */
    private final ProducerStates producerStates = new ProducerStates();
    private volatile LogConfig config;
    private volatile CommitPolicy commitPolicy = CommitPolicy.DURABLE;

    private volatile long logStartOffset;
    /** Written under writeLock after the bytes are in the segment: publishing it makes them readable. */
    private volatile long logEndOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile LogStorageException offlineCause;

    PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, Clock clock, FileChannelOpener opener,
                 FileHandleBudget budget, GroupCommitFlusher flusher, LeaderEpochCache epochCache,
                 LoadedSegments loaded, long highWatermark) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.opener = opener;
        this.budget = budget;
        this.flusher = flusher;
        this.epochCache = epochCache;
        this.segments = loaded.segments();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.highWatermark = clamp(highWatermark);
        epochCache.truncateFromEnd(logEndOffset);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
        segments.values().forEach(s -> s.updateConfig(newConfig));
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Every offset below this is forced to disk. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public LeaderEpochCache leaderEpochCache() {
        return epochCache;
    }

    public boolean isOffline() {
        return offlineCause != null;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** Bytes of all segments. */
    public long sizeInBytes() {
        return segments.values().stream().mapToLong(LogSegment::sizeInBytes).sum();
    }

    /**
     * Appends the batches as the partition's leader: validates them, gives them consecutive offsets
     * from the log end and stamps {@code leaderEpoch} into each (both in place, outside the CRC).
     * The bytes are in the page cache when this returns; wait on {@link #awaitDurable} for the disk.
     *
     * @param batches one or more record batches, from position to limit
     * @throws io.strand.record.CorruptRecordException when a batch is malformed; nothing is appended
     * @throws LogStorageException when the disk fails; nothing is appended
     */
    public LogAppendInfo appendAsLeader(ByteBuffer batches, int leaderEpoch) {
        BatchValidator.Summary summary = BatchValidator.validate(batches, config.maxBatchBytes());
        writeLock.lock();
        try {
            checkOnline();
            ProducerStates.BatchMetadata duplicate = checkProducers(batches);
            if (duplicate != null) {
                return new LogAppendInfo(duplicate.firstOffset(), duplicate.lastOffset(), summary.maxTimestamp(), 1,
                        summary.recordCount(), 0, true);
            }
            long firstOffset = logEndOffset;
            long next = firstOffset;
            RecordBatch batch = new RecordBatch();
            for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos);
                batch.setBaseOffset(next);
                batch.setPartitionLeaderEpoch(leaderEpoch);
                next = batch.nextOffset();
            }
            write(batches, firstOffset, next - 1);
            epochCache.assign(leaderEpoch, firstOffset);
            logEndOffset = next;
            recordProducers(batches);
            return new LogAppendInfo(firstOffset, next - 1, summary.maxTimestamp(), summary.batchCount(),
                    summary.recordCount(), batches.remaining(), false);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Checks, without appending, the first of {@code batches} against its idempotent producer's batches in this log,
     * as {@link #appendAsLeader} would: so that a commit refuses a batch out of order before it promises anything. A
     * batch the log holds already passes: appending it again appends nothing.
     *
     * @throws ProducerSequenceException when its epoch is fenced or its sequence out of order
     */
    public void checkProducerSequence(ByteBuffer batches) {
        RecordBatch first = new RecordBatch().wrap(batches, batches.position());
        ByteBuffer alone = batches.duplicate().limit(batches.position() + first.sizeInBytes());
        writeLock.lock();
        try {
            checkOnline();
            checkProducers(alone);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Whether this log holds the batch an idempotent producer started at {@code firstSequence} in {@code epoch}, or
     * one it wrote after that: what a commit that stamped its batches so left behind once it appended them here.
     */
    public boolean holdsProducerBatch(long producerId, short epoch, int firstSequence) {
        writeLock.lock();
        try {
            checkOnline();
            ensureProducerStates();
            return producerStates.wrote(producerId, epoch, firstSequence);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Appends batches copied from the leader, keeping their offsets and epochs. They must start at
     * this log's end offset and follow each other without gaps.
     */
    public LogAppendInfo appendAsFollower(ByteBuffer batches) {
        BatchValidator.Summary summary = BatchValidator.validate(batches, config.maxBatchBytes());
        writeLock.lock();
        try {
            checkOnline();
            long firstOffset = logEndOffset;
            long next = BatchValidator.checkContiguous(batches, firstOffset);
            write(batches, firstOffset, next - 1);
            RecordBatch batch = new RecordBatch();
            for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos);
                if (batch.partitionLeaderEpoch() != RecordBatch.NO_PARTITION_LEADER_EPOCH) {
                    epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            }
            logEndOffset = next;
            if (producerStates.isKnown()) {
                recordProducers(batches); // so that this replica knows the sequences when it becomes leader
            }
            return new LogAppendInfo(firstOffset, next - 1, summary.maxTimestamp(), summary.batchCount(),
                    summary.recordCount(), batches.remaining(), false);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Checks the idempotent producers' batches of an append: the first batch of each producer against what
     * the log holds, the following ones against the batch before them in the append.
     *
     * @return the earlier append of a batch sent again, which must then come alone; null for new batches
     */
    private ProducerStates.BatchMetadata checkProducers(ByteBuffer batches) {
        RecordBatch batch = new RecordBatch();
        Map<Long, Integer> lastInThisAppend = null;
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            long producerId = batch.producerId();
            if (producerId == RecordBatch.NO_PRODUCER_ID) {
                continue;
            }
            int first = batch.baseSequence();
            int last = ProducerStates.lastSequence(first, batch.recordCount());
            if (lastInThisAppend == null) {
                lastInThisAppend = new HashMap<>();
            }
            Integer previous = lastInThisAppend.put(producerId, last);
            if (previous != null) {
                if (first != ProducerStates.next(previous)) {
                    throw new ProducerSequenceException(ProducerSequenceException.Reason.OUT_OF_ORDER_SEQUENCE,
                            "producer " + producerId + " sent sequence " + first + " after " + previous
                                    + " in one append to " + topicPartition);
                }
                continue;
            }
            ensureProducerStates();
            ProducerStates.BatchMetadata duplicate = producerStates.check(producerId, batch.producerEpoch(), first, last);
            if (duplicate != null) {
                if (pos != batches.position() || pos + batch.sizeInBytes() != batches.limit()) {
                    throw new ProducerSequenceException(ProducerSequenceException.Reason.OUT_OF_ORDER_SEQUENCE,
                            "producer " + producerId + " sent again sequences " + first + ".." + last + " of "
                                    + topicPartition + " together with other batches; a batch sent again comes alone");
                }
                return duplicate;
            }
        }
        return null;
    }

    private void recordProducers(ByteBuffer batches) {
        RecordBatch batch = new RecordBatch();
        long nowMs = clock.millis();
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            recordProducer(batch, nowMs, nowMs);
        }
    }

    private void recordProducer(RecordBatch batch, long writtenMs, long nowMs) {
        if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
            int first = batch.baseSequence();
            producerStates.record(batch.producerId(), batch.producerEpoch(), first,
                    ProducerStates.lastSequence(first, batch.recordCount()), batch.baseOffset(), batch.lastOffset(),
                    writtenMs, nowMs);
        }
    }

    /** How many idempotent producers this partition remembers (they are forgotten after a day of silence). */
    int knownProducers() {
        writeLock.lock();
        try {
            return producerStates.size();
        } finally {
            writeLock.unlock();
        }
    }

    /** Reads the producers' batches from the batch headers of the whole log, when the state is not known. */
    private void ensureProducerStates() {
        if (producerStates.isKnown()) {
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        RecordBatch batch = new RecordBatch();
        long nowMs = clock.millis();
        long from = logStartOffset;
        long end = logEndOffset;
        while (from < end) {
            try (FileSlice slice = read(from, 1 << 20, end)) {
                if (slice.isEmpty()) {
                    break;
                }
                long position = slice.position();
                long sliceEnd = position + slice.sizeInBytes();
                while (position < sliceEnd) {
                    header.clear();
                    slice.readAt(header, position);
                    batch.wrap(header.flip(), 0);
                    recordProducer(batch, batch.maxTimestamp(), nowMs);
                    position += batch.sizeInBytes();
                }
                from = slice.nextOffset();
            }
        }
        producerStates.markKnown();
    }


    private void write(ByteBuffer batches, long firstOffset, long lastOffset) {
        assert writeLock.isHeldByCurrentThread();
        LogSegment active = segments.lastEntry().getValue();
        if (active.shouldRoll(batches.remaining(), lastOffset, clock.millis())) {
            active = roll(firstOffset);
        }
        active.append(batches, firstOffset);
    }

    /** Starts a new active segment at {@code newBaseOffset}; the old one is forced by the next flush. */
    private LogSegment roll(long newBaseOffset) {
        LogSegment old = segments.lastEntry().getValue();
        // First, so that a disk refusing the cut fails this append with the old segment still active and whole: an
        // inactive segment's file must end with its batches, since recovery after a crash may not read it again.
        old.trimPreallocation();
        LogSegment created = LogSegment.create(dir, newBaseOffset, config, opener, budget, clock.millis());
        segments.put(newBaseOffset, created);
        old.onBecameInactive();
        LOG.debug("{} rolled to a new segment at offset {}", topicPartition, newBaseOffset);
        return created;
    }

    /**
     * Completes once every offset below {@code offsetExclusive} is on disk: at once in flush mode
     * none (durability comes from the periodic flush, or replication), otherwise after a group
     * commit covers it.
     */
    public CompletableFuture<Void> awaitDurable(long offsetExclusive) {
        if (offlineCause != null) {
            return CompletableFuture.failedFuture(offlineCause);
        }
        if (config.flushMode() == FlushMode.NONE || recoveryPoint >= offsetExclusive) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = waiters.add(offsetExclusive);
        flusher.requestFlush(this);
        return done;
    }

    /**
     * Completes once every offset below {@code offsetExclusive} is committed under the policy the log
     * manager installed: durable here on a single broker, on the in-sync replicas in a cluster.
     */
    public CompletableFuture<Void> awaitCommitted(long offsetExclusive) {
        return commitPolicy.awaitCommitted(this, offsetExclusive);
    }

    void commitPolicy(CommitPolicy policy) {
        this.commitPolicy = policy;
    }

    /** The epoch an append as leader carries: the latest this log knows, 0 for a log that never had one. */
    public int latestLeaderEpoch() {
        return epochCache.latestEpoch().orElse(0);
    }

    /** Appends as leader and returns once the append is durable under the flush mode. */
    public LogAppendInfo appendDurably(ByteBuffer batches, int leaderEpoch) {
        LogAppendInfo info = appendAsLeader(batches, leaderEpoch);
        awaitDurable(info.nextOffset()).join();
        return info;
    }

    boolean markFlushQueued() {
        return flushQueued.compareAndSet(false, true);
    }

    void clearFlushQueued() {
        flushQueued.set(false);
    }

    /** Run by a flusher thread: force what has been appended and release the waiters it covers. */
    void flushForWaiters() {
        try {
            flushTo(logEndOffset);
        } catch (LogStorageException e) {
            waiters.failAbove(-1, e);
            throw e;
        } catch (RuntimeException e) {
            // Whatever went wrong, an appender waiting for durability must hear of it rather than wait for good.
            waiters.failAbove(-1, new LogStorageException("flushing " + topicPartition + " failed: " + e, e));
            throw e;
        }
        waiters.completeUpTo(recoveryPoint);
    }

    /** Forces every segment holding offsets in [recovery point, {@code offsetExclusive}) and moves the recovery point. */
    public void flushTo(long offsetExclusive) {
        long from = recoveryPoint;
        if (offsetExclusive <= from) {
            return;
        }
        checkOnline();
        segmentRemoval.readLock().lock();
        try {
            if (retired) {
                return;
            }
            Long firstKey = segments.floorKey(from);
            Map<Long, LogSegment> range = segments.subMap(firstKey == null ? Long.MIN_VALUE : firstKey, true,
                    offsetExclusive, false);
            LogSegment active = segments.lastEntry().getValue();
            try {
                for (LogSegment segment : range.values()) {
                    segment.flush();
                    if (segment != active) {
                        segment.flushIndexes();
                    }
                }
            } catch (LogStorageException e) {
                goOffline(e);
                throw e;
            }
            advanceRecoveryPoint(offsetExclusive);
        } finally {
            segmentRemoval.readLock().unlock();
        }
    }

    private synchronized void advanceRecoveryPoint(long offsetExclusive) {
        if (offsetExclusive > recoveryPoint) {
            recoveryPoint = Math.min(offsetExclusive, logEndOffset);
        }
    }

    private void goOffline(LogStorageException cause) {
        if (offlineCause == null) {
            offlineCause = new LogStorageException("partition " + topicPartition + " is offline after a disk error: "
                    + cause.getMessage(), cause);
            LOG.error("partition {} goes offline: {}", topicPartition, cause.getMessage());
        }
        waiters.failAbove(-1, offlineCause);
    }

    private void checkOnline() {
        LogStorageException cause = offlineCause;
        if (cause != null) {
            throw cause;
        }
    }

    /**
     * Whole batches from the one holding {@code startOffset} up to about {@code maxBytes} (at least one
     * batch), none reaching {@code maxOffsetExclusive} (pass {@link #highWatermark()} for consumers,
     * {@link #logEndOffset()} for replication). The caller must close the slice.
     *
     * @throws OffsetOutOfRangeException when {@code startOffset} is below the log start or past the log end
     */
    public FileSlice read(long startOffset, int maxBytes, long maxOffsetExclusive) {
        return read(startOffset, maxBytes, maxOffsetExclusive, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(long, int, long)}, ending with the batch that holds {@code lastWantedOffset}: a reader that
     * wants a known range (a queue consumer pushing the records it acquired) is not sent the batches after it.
     */
    public FileSlice read(long startOffset, int maxBytes, long maxOffsetExclusive, long lastWantedOffset) {
        checkOnline();
        long end = logEndOffset;
        if (startOffset < logStartOffset || startOffset > end) {
            throw new OffsetOutOfRangeException("offset " + startOffset + " of " + topicPartition
                    + " is outside the log [" + logStartOffset + ", " + end + "]");
        }
        long bound = Math.min(maxOffsetExclusive, end);
        if (startOffset >= bound) {
            return FileSlice.empty(startOffset);
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(startOffset);
        while (entry != null && entry.getKey() < bound) {
            LogSegment segment = entry.getValue();
            try {
                FileSlice slice = segment.read(startOffset, maxBytes, bound, lastWantedOffset);
                if (slice != null) {
                    return slice;
                }
            } catch (LogStorageException e) {
                if (segments.get(entry.getKey()) != segment) {
                    throw new OffsetOutOfRangeException("offset " + startOffset + " of " + topicPartition
                            + " was removed by retention or truncation while being read");
                }
                throw e;
            }
            entry = segments.higherEntry(entry.getKey());
        }
        return FileSlice.empty(startOffset);
    }

    /**
     * The first batch whose largest timestamp is at least {@code timestamp}, as (base offset, position),
     * or null when every batch is older; read it with {@link #read} to find the exact record.
     */
    public OffsetPosition findBatchByTimestamp(long timestamp) {
        checkOnline();
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestamp() >= timestamp) {
                OffsetPosition found = segment.findBatchByTimestamp(timestamp);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * Moves the high watermark to {@code offset}, clamped to [log start, log end]. Followers take the
     * leader's value as it comes, which may be lower than before after a truncation.
     */
    public void updateHighWatermark(long offset) {
        highWatermark = clamp(offset);
    }

    /** Moves the high watermark up to {@code offset} (clamped), never down; returns whether it moved. */
    public synchronized boolean maybeIncrementHighWatermark(long offset) {
        long next = clamp(offset);
        if (next > highWatermark) {
            highWatermark = next;
            return true;
        }
        return false;
    }

    private long clamp(long offset) {
        return Math.max(logStartOffset, Math.min(offset, logEndOffset));
    }

    /**
     * Removes every batch that holds an offset at or past {@code offset}, as replication requires when
     * this replica's log diverged from the leader's. A batch is never split, so the new log end may be
     * below {@code offset}. Appends waiting on removed offsets fail.
     */
    public void truncateTo(long offset) {
        writeLock.lock();
        try {
            checkOnline();
            if (offset >= logEndOffset) {
                return;
            }
            if (offset <= logStartOffset) {
                truncateFullyAndStartAt(offset < logStartOffset ? offset : logStartOffset);
                return;
            }
            segmentRemoval.writeLock().lock();
            try {
                for (LogSegment segment : new ArrayList<>(segments.tailMap(offset, false).values())) {
                    segments.remove(segment.baseOffset());
                    segment.delete();
                }
                LogSegment last = segments.lastEntry().getValue();
                last.truncateTo(offset);
                logEndOffset = last.readNextOffset();
            } finally {
                segmentRemoval.writeLock().unlock();
            }
            afterTruncation();
        } finally {
            writeLock.unlock();
        }
    }

    /** Drops the whole log and starts it again, empty, at {@code newOffset}. */
    public void truncateFullyAndStartAt(long newOffset) {
        writeLock.lock();
        try {
            checkOnline();
            segmentRemoval.writeLock().lock();
            try {
                for (LogSegment segment : new ArrayList<>(segments.values())) {
                    segments.remove(segment.baseOffset());
                    segment.delete();
                }
                segments.put(newOffset, LogSegment.create(dir, newOffset, config, opener, budget, clock.millis()));
            } finally {
                segmentRemoval.writeLock().unlock();
            }
            logStartOffset = newOffset;
            logEndOffset = newOffset;
            epochCache.truncateFromEnd(0);
            afterTruncation();
        } finally {
            writeLock.unlock();
        }
    }

    private void afterTruncation() {
        producerStates.invalidate();
        long end = logEndOffset;
        epochCache.truncateFromEnd(end);
        highWatermark = clamp(highWatermark);
        synchronized (this) {
            recoveryPoint = Math.min(recoveryPoint, end);
        }
        waiters.failAbove(end, new LogStorageException("records of " + topicPartition + " at or past offset " + end
                + " were truncated before they became durable"));
    }

    /**
     * Deletes whole segments past retention: those whose newest batch is older than
     * {@code retention.ms}, and the oldest ones while the log is larger than {@code retention.bytes}.
     * Never deletes records at or past the high watermark. An expired active segment is first
     * replaced by a new empty one. Returns the number of segments deleted.
     */
    public int deleteRetainedSegments() {
        writeLock.lock();
        try {
            if (offlineCause != null) {
                return 0;
            }
            List<LogSegment> deletable = retentionCandidates(clock.millis());
            if (deletable.isEmpty()) {
                return 0;
            }
            LogSegment active = segments.lastEntry().getValue();
            if (deletable.get(deletable.size() - 1) == active) {
                roll(logEndOffset);
            }
            removeFromStart(deletable);
            LOG.info("{}: retention deleted {} segment(s); log now starts at offset {}", topicPartition,
                    deletable.size(), logStartOffset);
            return deletable.size();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Deletes the segments that lie wholly below {@code offset} and moves the log start up to the
     * first one kept; for logs that compact themselves by writing a snapshot. Never deletes the
     * active segment or anything at or above the high watermark. Returns the number deleted.
     */
    public int deleteSegmentsBelow(long offset) {
        writeLock.lock();
        try {
            checkOnline();
            long bound = Math.min(offset, highWatermark);
            List<LogSegment> deletable = new ArrayList<>();
            for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
                Long nextBase = segments.higherKey(entry.getKey());
                if (nextBase == null || nextBase > bound) {
                    break;
                }
                deletable.add(entry.getValue());
            }
            removeFromStart(deletable);
            return deletable.size();
        } finally {
            writeLock.unlock();
        }
    }

    private void removeFromStart(List<LogSegment> deletable) {
        segmentRemoval.writeLock().lock();
        try {
            for (LogSegment segment : deletable) {
                segments.remove(segment.baseOffset());
                segment.delete();
            }
        } finally {
            segmentRemoval.writeLock().unlock();
        }
        logStartOffset = segments.firstKey();
        epochCache.truncateFromStart(logStartOffset);
        highWatermark = clamp(highWatermark);
        synchronized (this) {
            recoveryPoint = Math.max(recoveryPoint, logStartOffset);
        }
    }

    private List<LogSegment> retentionCandidates(long nowMs) {
        LogConfig c = config;
        List<LogSegment> result = new ArrayList<>();
        if (c.retentionMs() < 0 && c.retentionBytes() < 0) {
            return result;
        }
        long excessBytes = c.retentionBytes() < 0 ? 0 : sizeInBytes() - c.retentionBytes();
        for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
            LogSegment segment = entry.getValue();
            Long nextBase = segments.higherKey(entry.getKey());
            long segmentEnd = nextBase != null ? nextBase : logEndOffset;
            if (segment.sizeInBytes() == 0 || segmentEnd > highWatermark) {
                break;
            }
            // The file's modification time screens out recently written segments without opening them,
            // so that a retention pass over thousands of idle partitions opens no file.
            boolean expired = c.retentionMs() >= 0 && nowMs - segment.lastModifiedMs() > c.retentionMs()
                    && nowMs - segment.maxTimestamp() > c.retentionMs();
            boolean oversize = excessBytes >= segment.sizeInBytes();
            if (!expired && !oversize) {
                break;
            }
            excessBytes -= segment.sizeInBytes();
            result.add(segment);
        }
        return result;
    }

    /** Forces everything and closes the segments; a clean close leaves nothing to recover. */
    void close() {
        writeLock.lock();
        try {
            if (offlineCause == null) {
                flushTo(logEndOffset);
                waiters.completeUpTo(recoveryPoint);
            }
            segmentRemoval.writeLock().lock();
            try {
                retired = true;
                LogSegment active = segments.lastEntry().getValue();
                active.onBecameInactive();
                segments.values().forEach(LogSegment::close);
            } finally {
                segmentRemoval.writeLock().unlock();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Closes the log and deletes its directory with every file in it. */
    void delete() {
        writeLock.lock();
        try {
            segmentRemoval.writeLock().lock();
            try {
                retired = true;
                segments.values().forEach(LogSegment::delete);
                segments.clear();
            } finally {
                segmentRemoval.writeLock().unlock();
            }
            waiters.failAbove(-1, new LogStorageException("partition " + topicPartition + " was deleted"));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new LogStorageException("cannot delete partition directory " + dir + ": " + e, e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", hw=" + highWatermark + ", end="
                + logEndOffset + ", segments=" + segments.size() + ")";
    }
}
