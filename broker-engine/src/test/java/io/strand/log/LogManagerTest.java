package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    @TempDir
    Path dataDir;

    private LogManager open() {
        return LogManager.open(LogManagerConfig.defaults(dataDir));
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameDataDirectory() {
        try (LogManager first = open()) {
            assertThatThrownBy(this::open).isInstanceOf(LogStorageException.class)
                    .hasMessageContaining("locked by another Strand broker")
                    .hasMessageContaining(dataDir.toAbsolutePath().toString());
            assertThat(first.logs()).isEmpty();
        }
        try (LogManager again = open()) {
            assertThat(again.dataDir()).isEqualTo(dataDir);
        }
    }

    @Test
    void shouldReopenAfterACleanShutdownWithoutRecoveryAndWithoutOpeningFiles() {
        TopicPartition tp = new TopicPartition("orders", 0);
        try (LogManager manager = open()) {
            PartitionLog log = manager.getOrCreateLog(tp);
            log.appendDurably(TestBatches.of(1000, "a", "b"), 0);
            log.appendDurably(TestBatches.of(1000, "c"), 0);
            log.updateHighWatermark(3);
        }
        assertThat(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();

        try (LogManager manager = open()) {
            assertThat(manager.loadReports()).singleElement().satisfies(r -> {
                assertThat(r.unclean()).isFalse();
                assertThat(r.segmentsRecovered()).isZero();
            });
            assertThat(manager.fileHandleBudget().openSegments()).isZero();
            PartitionLog log = manager.getLog(tp).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(3);
            assertThat(log.highWatermark()).isEqualTo(3);
            try (FileSlice slice = log.read(0, 1 << 20, log.logEndOffset())) {
                assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("a", "b", "c");
            }
            assertThat(log.appendAsLeader(TestBatches.of(1000, "d"), 0).firstOffset()).isEqualTo(3);
        }
        assertThat(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();
    }

    @Test
    void shouldKeepOpenSegmentsWithinTheFileHandleBudget() {
        LogManagerConfig config = LogManagerConfig.defaults(dataDir).withMaxOpenSegments(10);
        try (LogManager manager = LogManager.open(config)) {
            for (int p = 0; p < 50; p++) {
                PartitionLog log = manager.getOrCreateLog(new TopicPartition("queue" + p, 0));
                log.appendDurably(TestBatches.of(1000, "m" + p), 0);
                try (FileSlice slice = log.read(0, 1000, log.logEndOffset())) {
                    assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("m" + p);
                }
                assertThat(manager.fileHandleBudget().openSegments()).isLessThanOrEqualTo(10);
            }
            for (int p = 0; p < 50; p++) {
                PartitionLog log = manager.getLog(new TopicPartition("queue" + p, 0)).orElseThrow();
                try (FileSlice slice = log.read(0, 1000, log.logEndOffset())) {
                    assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("m" + p);
                }
            }
            assertThat(manager.fileHandleBudget().openSegments()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void shouldFailOnlyThePartitionWhoseDirectoryCannotBeCreated() throws IOException {
        Files.writeString(dataDir.resolve("blocked-0"), "a file where the partition directory should go");
        try (LogManager manager = open()) {
            assertThatThrownBy(() -> manager.getOrCreateLog(new TopicPartition("blocked", 0)))
                    .isInstanceOf(LogStorageException.class)
                    .hasMessageContaining("blocked-0");
            PartitionLog other = manager.getOrCreateLog(new TopicPartition("fine", 0));
            assertThat(other.appendDurably(TestBatches.of(1000, "ok"), 0).firstOffset()).isZero();
        }
    }

    @Test
    void shouldDeleteAPartitionWithItsFiles() {
        TopicPartition tp = new TopicPartition("gone", 0);
        try (LogManager manager = open()) {
            manager.getOrCreateLog(tp).appendDurably(TestBatches.of(1000, "a"), 0);
            manager.deleteLog(tp);
            assertThat(manager.getLog(tp)).isEmpty();
        }
        assertThat(dataDir.resolve("gone-0")).doesNotExist();
    }

    @Test
    void shouldReportAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "ten"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment.bytes=ten");
        assertThatThrownBy(() -> LogConfig.DEFAULT.with(LogConfig.RETENTION_MS, "-5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention.ms=-5");
        assertThatThrownBy(() -> LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, "sometimes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flush.mode=sometimes");
        assertThatThrownBy(() -> LogConfig.DEFAULT.with("segment.size", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment.size");
        assertThatThrownBy(() -> new TopicPartition("../etc", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../etc");
    }

    static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
