package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading after a crash. The crash is taken as a copy of the data directory made while the log
 * manager still runs: exactly the files a {@code kill -9} leaves behind (the page cache survives a
 * process crash). The child-JVM test {@link CrashRecoveryTest} covers real kills.
 */
class RecoveryTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path root;

    private Path crashCopyOf(Path dataDir) throws IOException {
        Path copy = root.resolve("crashed-" + System.nanoTime());
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(dataDir.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return copy;
    }

    private Path writeLogAndCrash(LogConfig config, int batches) throws IOException {
        Path dataDir = root.resolve("live");
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(config))) {
            PartitionLog log = manager.getOrCreateLog(TP);
            for (int i = 0; i < batches; i++) {
                log.appendDurably(TestBatches.of(1000 + i, "m" + i), 0);
            }
            return crashCopyOf(dataDir);
        }
    }

    private static List<String> readAll(PartitionLog log) {
        List<String> values = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            try (FileSlice slice = log.read(next, 1 << 20, log.logEndOffset())) {
                values.addAll(TestBatches.values(slice.readIntoHeap()));
                next = slice.nextOffset();
            }
        }
        return values;
    }

    private static Path segmentFile(Path dataDir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve(TP.dirName()))) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    /** The bytes of the first {@code batches} batches {@link #writeLogAndCrash} appends. */
    private static long batchBytes(int batches) {
        return batchBytes(batches, i -> "m" + i);
    }

    /** The bytes of {@code batches} batches stamped 1000, 1001, ... holding the values {@code value} gives. */
    private static long batchBytes(int batches, java.util.function.IntFunction<String> value) {
        long bytes = 0;
        for (int i = 0; i < batches; i++) {
            bytes += TestBatches.of(1000 + i, value.apply(i)).remaining();
        }
        return bytes;
    }

    @Test
    void theZerosAFileWasExtendedByAreCutAfterACrashWithoutCountingAsLost() throws IOException {
        Path crashed = writeLogAndCrash(LogConfig.DEFAULT, 5);
        Path segment = segmentFile(crashed, ".log");
        assertThat(Files.size(segment)).as("extended ahead of its batches").isGreaterThan(batchBytes(5));

        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(crashed))) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            assertThat(readAll(log)).containsExactly("m0", "m1", "m2", "m3", "m4");
            PartitionLoadReport report = manager.loadReports().get(0);
            assertThat(report.unclean()).isTrue();
            assertThat(report.truncatedBytes()).isZero();
            assertThat(report.lostBytes()).isFalse();
            assertThat(Files.size(segment)).isEqualTo(batchBytes(5));
            assertThat(log.appendAsLeader(TestBatches.of(2000, "next"), 0).firstOffset()).isEqualTo(5);
        }
    }

    @Test
    void aCleanCloseLeavesEachSegmentFileExactlyItsBatches() throws IOException {
        Path dataDir = root.resolve("clean");
        LogConfig small = LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "4096");
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(small))) {
            PartitionLog log = manager.getOrCreateLog(TP);
            for (int i = 0; i < 12; i++) {
                log.appendDurably(TestBatches.of(1000 + i, "m" + i + "-" + "x".repeat(900)), 0);
            }
        }
        long total = 0;
        try (Stream<Path> files = Files.list(dataDir.resolve(TP.dirName()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                total += Files.size(file);
            }
        }
        assertThat(total).isEqualTo(batchBytes(12, i -> "m" + i + "-" + "x".repeat(900)));
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(small))) {
            assertThat(manager.loadReports()).allSatisfy(r -> assertThat(r.unclean()).isFalse());
            PartitionLog log = manager.getLog(TP).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(12);
            assertThat(log.appendAsLeader(TestBatches.of(5000, "next"), 0).firstOffset()).isEqualTo(12);
        }
    }

    @Test
    void shouldCutGarbageAfterTheLastBatchAndReportIt() throws IOException {
        Path crashed = writeLogAndCrash(LogConfig.DEFAULT, 5);
        Path segment = segmentFile(crashed, ".log");
        long goodSize = batchBytes(5);
        byte[] garbage = "this is not a record batch at all, just noise".getBytes();
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(garbage), goodSize); // where the next append would have begun
        }

        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(crashed))) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            assertThat(readAll(log)).containsExactly("m0", "m1", "m2", "m3", "m4");
            assertThat(log.logEndOffset()).isEqualTo(5);
            PartitionLoadReport report = manager.loadReports().get(0);
            assertThat(report.unclean()).isTrue();
            assertThat(report.truncatedBytes()).isEqualTo(garbage.length);
            assertThat(Files.size(segment)).isEqualTo(goodSize);
            assertThat(report.events()).anySatisfy(e -> assertThat(e).contains(segment.getFileName().toString())
                    .contains("position " + goodSize));
            assertThat(log.appendAsLeader(TestBatches.of(2000, "next"), 0).firstOffset()).isEqualTo(5);
        }
    }

    @Test
    void shouldCutAtACorruptBatchAndDropTheSegmentsAfterIt() throws IOException {
        Path crashed = writeLogAndCrash(LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "1024"), 40);
        List<Path> segments;
        try (Stream<Path> files = Files.list(crashed.resolve(TP.dirName()))) {
            segments = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
        assertThat(segments).hasSizeGreaterThan(2);
        Path damaged = segments.get(segments.size() - 2);
        flipByteAt(damaged, Files.size(damaged) - 3);

        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(crashed))) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            List<String> values = readAll(log);
            assertThat(values).isNotEmpty().hasSizeLessThan(40);
            for (int i = 0; i < values.size(); i++) {
                assertThat(values.get(i)).isEqualTo("m" + i);
            }
            PartitionLoadReport report = manager.loadReports().get(0);
            assertThat(report.deletedBytes()).isPositive();
            assertThat(report.events()).anySatisfy(e -> assertThat(e).contains("CRC"));
            assertThat(segments.get(segments.size() - 1)).doesNotExist();
        }
    }

    @Test
    void anEmptyLogRestartsWithoutRebuildingAnything() {
        Path dataDir = root.resolve("empty");
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            manager.getOrCreateLog(TP);
        }
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            assertThat(manager.getLog(TP)).isPresent();
            assertThat(manager.loadReports()).allSatisfy(report -> {
                assertThat(report.indexesRebuilt()).isZero();
                assertThat(report.events()).isEmpty();
            });
        }
    }

    @Test
    void shouldRebuildADeletedIndexAfterACleanShutdown() throws IOException {
        Path dataDir = root.resolve("clean");
        LogConfig config = LogConfig.DEFAULT.with(LogConfig.INDEX_INTERVAL_BYTES, "0");
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(config))) {
            PartitionLog log = manager.getOrCreateLog(TP);
            for (int i = 0; i < 30; i++) {
                log.appendDurably(TestBatches.of(1000 + i, "m" + i), 0);
            }
        }
        Files.delete(segmentFile(dataDir, ".index"));

        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(config))) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            assertThat(manager.loadReports().get(0).indexesRebuilt()).isEqualTo(1);
            assertThat(segmentFile(dataDir, ".index")).exists();
            try (FileSlice slice = log.read(17, 1 << 20, log.logEndOffset())) {
                assertThat(slice.firstOffset()).isEqualTo(17);
            }
            assertThat(readAll(log)).hasSize(30);
        }
    }

    @Test
    void shouldRebuildADeletedIndexAfterACrash() throws IOException {
        Path crashed = writeLogAndCrash(LogConfig.DEFAULT.with(LogConfig.INDEX_INTERVAL_BYTES, "0"), 20);
        Files.delete(segmentFile(crashed, ".index"));

        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(crashed))) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            assertThat(readAll(log)).hasSize(20);
            assertThat(manager.loadReports().get(0).lostBytes()).isFalse();
            try (FileSlice slice = log.read(13, 1 << 20, log.logEndOffset())) {
                assertThat(slice.firstOffset()).isEqualTo(13);
            }
        }
    }

    @Test
    void shouldRemoveLeftoverTemporaryFiles() throws IOException {
        Path crashed = writeLogAndCrash(LogConfig.DEFAULT, 2);
        Path leftover = crashed.resolve(TP.dirName()).resolve("leader-epoch-checkpoint.tmp");
        Files.writeString(leftover, "half written");

        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(crashed))) {
            assertThat(readAll(manager.getLog(TP).orElseThrow())).containsExactly("m0", "m1");
        }
        assertThat(leftover).doesNotExist();
    }

    static void flipByteAt(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
            channel.write(one, position);
        }
    }
}
