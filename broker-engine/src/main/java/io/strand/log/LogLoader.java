package io.strand.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * Opens one partition directory: finds its segments and, after a crash, recovers them.
 *
 * <p>After a clean shutdown nothing is read but the directory listing: the log end offset is the
 * recovery point the shutdown checkpointed, and files stay closed until used. After a crash every
 * segment from the one holding the checkpointed recovery point onwards is scanned batch by batch
 * (header, CRC, offsets); the first bad or torn batch is cut off with everything after it, the
 * indexes of scanned segments are rebuilt, and what was dropped is reported. Nothing is forced
 * unless something was cut. Segments wholly below
 * the recovery point were forced before the checkpoint and are trusted, but an index file missing
 * beside one of them is rebuilt.
 *
 * <p>Stateless; one call per partition, safe to run for many partitions in parallel.
 */
final class LogLoader {
    private LogLoader() {
    }

    /**
     * What the log manager knows of a partition from its checkpoints; -1 where a checkpoint has no entry.
     */
    record Checkpointed(long recoveryPoint, long logStartOffset, long highWatermark) {
    }

    static PartitionLog load(TopicPartition tp, Path dir, LogConfig config, Clock clock, FileChannelOpener opener,
                             FileHandleBudget budget, GroupCommitFlusher flusher, boolean cleanShutdown,
                             Checkpointed checkpointed, List<PartitionLoadReport> reports) {
        TreeSet<Long> logFiles = new TreeSet<>();
        TreeSet<Long> indexFiles = new TreeSet<>();
        listAndClean(dir, logFiles, indexFiles);
        long startOffset = Math.max(0, checkpointed.logStartOffset());
        ConcurrentNavigableMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        for (long base : logFiles) {
            segments.put(base, new LogSegment(dir, base, config, opener, budget));
        }
        PartitionLoadReport.Builder report = new PartitionLoadReport.Builder(tp);
        LoadedSegments loaded;
        if (segments.isEmpty()) {
            segments.put(startOffset, LogSegment.create(dir, startOffset, config, opener, budget, clock.millis()));
            loaded = new LoadedSegments(segments, startOffset, startOffset, startOffset);
        } else if (cleanShutdown && checkpointed.recoveryPoint() >= segments.lastKey()) {
            rebuildMissingIndexes(segments, indexFiles, report);
            long end = checkpointed.recoveryPoint();
            loaded = new LoadedSegments(segments, Math.max(segments.firstKey(), startOffset), end, end);
        } else {
            loaded = recover(segments, indexFiles, Math.max(checkpointed.recoveryPoint(), 0), startOffset, report);
        }
        LeaderEpochCache epochCache = LeaderEpochCache.load(dir);
        PartitionLog log = new PartitionLog(tp, dir, config, clock, opener, budget, flusher, epochCache, loaded,
                checkpointed.highWatermark() < 0 ? loaded.logStartOffset() : checkpointed.highWatermark());
        reports.add(report.build(!cleanShutdown));
        return log;
    }

    private static void listAndClean(Path dir, TreeSet<Long> logFiles, TreeSet<Long> indexFiles) {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> {
                String name = file.getFileName().toString();
                long base;
                if (name.endsWith(LogFiles.TMP_SUFFIX)) {
                    leftovers.add(file);
                } else if ((base = LogFiles.baseOffsetOf(name, LogFiles.LOG_SUFFIX)) >= 0) {
                    logFiles.add(base);
                } else if ((base = LogFiles.baseOffsetOf(name, LogFiles.INDEX_SUFFIX)) >= 0) {
                    indexFiles.add(base);
                }
            });
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException e) {
            throw new LogStorageException("cannot list partition directory " + dir + ": " + e, e);
        }
    }

    private static void rebuildMissingIndexes(Map<Long, LogSegment> segments, TreeSet<Long> indexFiles,
                                              PartitionLoadReport.Builder report) {
        for (LogSegment segment : segments.values()) {
            if (isEmptyWithoutIndexes(segment)) {
                continue;
            }
            if (!indexFiles.contains(segment.baseOffset()) || !segment.indexFilesExist()) {
                segment.recover(segment.baseOffset());
                report.indexRebuilt(segment.logPath());
            }
        }
    }

    /** Index files are created with a segment's first entry: an empty segment without them lacks nothing. */
    private static boolean isEmptyWithoutIndexes(LogSegment segment) {
        return segment.sizeInBytes() == 0 && !segment.indexFilesExist();
    }

    /** A crash can leave an index half written even for a forced segment; check it and rebuild when bad. */
    private static void rebuildIndexesIfDamaged(LogSegment segment, TreeSet<Long> indexFiles,
                                                PartitionLoadReport.Builder report) {
        if (isEmptyWithoutIndexes(segment)) {
            return;
        }
        boolean damaged = !indexFiles.contains(segment.baseOffset()) || !segment.indexFilesExist();
        if (!damaged) {
            try {
                segment.sanityCheckIndexes();
            } catch (CorruptIndexException e) {
                damaged = true;
            }
        }
        if (damaged) {
            segment.recover(segment.baseOffset());
            report.indexRebuilt(segment.logPath());
        }
    }

    private static LoadedSegments recover(ConcurrentNavigableMap<Long, LogSegment> segments, TreeSet<Long> indexFiles,
                                          long recoveryPoint, long startOffset, PartitionLoadReport.Builder report) {
        Long firstToRecover = segments.floorKey(recoveryPoint);
        if (firstToRecover == null) {
            firstToRecover = segments.firstKey();
        }
        for (LogSegment trusted : segments.headMap(firstToRecover, false).values()) {
            rebuildIndexesIfDamaged(trusted, indexFiles, report);
        }
        long expected = firstToRecover;
        boolean cut = false;
        for (LogSegment segment : new ArrayList<>(segments.tailMap(firstToRecover, true).values())) {
            if (cut) {
                segments.remove(segment.baseOffset());
                report.segmentDeleted(segment.logPath(), segment.sizeInBytes());
                segment.delete();
                continue;
            }
            SegmentRecovery result = segment.recover(expected);
            report.segmentRecovered(segment.logPath(), result);
            if (result.truncatedBytes() > 0) {
                cut = true;
            }
            expected = result.nextOffset();
        }
        long end = expected;
        // The recovered bytes may still be only in the page cache (a process crash keeps it), so the
        // recovery point stays where the checkpoint put it: the next flush forces the rest, and a second
        // crash before that checks it again. This spares one fsync per partition at start.
        return new LoadedSegments(segments, Math.max(segments.firstKey(), startOffset), end,
                Math.min(recoveryPoint, end));
    }
}
