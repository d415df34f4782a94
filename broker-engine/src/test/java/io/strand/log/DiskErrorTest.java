package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fills up or fails under one partition: a clear error, no corrupt bytes, the others go on. */
class DiskErrorTest {
    @TempDir
    Path dataDir;

    private final InstrumentedFileChannel.Switches disk = new InstrumentedFileChannel.Switches();

    private LogManager open() {
        return LogManager.open(LogManagerConfig.defaults(dataDir).withChannelOpener(disk.opener()));
    }

    @Test
    void shouldFailAnAppendOnAFullDiskAndLeaveNoPartialBatch() throws Exception {
        TopicPartition tp = new TopicPartition("full", 0);
        Path segment;
        long sizeBefore;
        try (LogManager manager = open()) {
            PartitionLog log = manager.getOrCreateLog(tp);
            log.appendDurably(TestBatches.of(1000, "before"), 0);
            segment = dataDir.resolve(tp.dirName()).resolve("00000000000000000000.log");
            sizeBefore = TestBatches.of(1000, "before").remaining(); // the file is extended ahead of its batches

            disk.bytesBeforeFailure = 17;
            disk.failWrites = true;
            assertThatThrownBy(() -> log.appendAsLeader(TestBatches.of(1000, "lost"), 0))
                    .isInstanceOf(LogStorageException.class)
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining(segment.getFileName().toString());
            assertThat(Files.size(segment)).as("the torn write was cut back").isEqualTo(sizeBefore);
            assertThat(log.logEndOffset()).isEqualTo(1);

            disk.failWrites = false;
            assertThat(log.appendDurably(TestBatches.of(1000, "after"), 0).firstOffset()).isEqualTo(1);
            try (FileSlice slice = log.read(0, 1 << 20, log.logEndOffset())) {
                assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("before", "after");
            }
        }
        try (LogManager manager = open()) {
            assertThat(manager.loadReports()).allSatisfy(r -> assertThat(r.lostBytes()).isFalse());
        }
    }

    @Test
    void shouldTakeOnlyThePartitionWhoseForceFailedOffline() {
        try (LogManager manager = open()) {
            PartitionLog broken = manager.getOrCreateLog(new TopicPartition("broken", 0));
            broken.appendDurably(TestBatches.of(1000, "durable"), 0);

            disk.failForces = true;
            LogAppendInfo info = broken.appendAsLeader(TestBatches.of(1000, "unsure"), 0);
            assertThatThrownBy(() -> broken.awaitDurable(info.nextOffset()).join())
                    .isInstanceOf(CompletionException.class)
                    .hasRootCauseMessage("Input/output error");
            disk.failForces = false;

            assertThat(broken.isOffline()).isTrue();
            assertThatThrownBy(() -> broken.appendAsLeader(TestBatches.of(1000, "more"), 0))
                    .isInstanceOf(LogStorageException.class).hasMessageContaining("broken-0 is offline");

            PartitionLog healthy = manager.getOrCreateLog(new TopicPartition("healthy", 0));
            assertThat(healthy.appendDurably(TestBatches.of(1000, "fine"), 0).firstOffset()).isZero();
        }
    }
}
