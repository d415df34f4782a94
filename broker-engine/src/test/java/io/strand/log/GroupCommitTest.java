package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldShareForcesBetweenConcurrentAppendersAndAckOnlyForcedOffsets() throws Exception {
        InstrumentedFileChannel.Switches disk = new InstrumentedFileChannel.Switches();
        int appenders = 64;
        int appendsEach = 40;
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withChannelOpener(disk.opener()))) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("busy", 0));
            ExecutorService pool = Executors.newFixedThreadPool(appenders);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < appenders; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < appendsEach; i++) {
                        LogAppendInfo info = log.appendDurably(TestBatches.of(1000, "t" + thread + "-" + i), 0);
                        assertThat(log.recoveryPoint()).as("acknowledged only once forced")
                                .isGreaterThanOrEqualTo(info.nextOffset());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(log.logEndOffset()).isEqualTo(appenders * appendsEach);
            assertThat(disk.forces.get()).as("forces for %d appends", appenders * appendsEach)
                    .isLessThan(appenders * appendsEach);
        }
    }

    @Test
    void shouldCompleteAtOnceInFlushModeNone() {
        LogConfig config = LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, "none");
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(config))) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("fast", 0));
            LogAppendInfo info = log.appendAsLeader(TestBatches.of(1000, "a"), 0);
            CompletableFuture<Void> durable = log.awaitDurable(info.nextOffset());
            assertThat(durable).isDone();
            log.flushTo(log.logEndOffset());
            assertThat(log.recoveryPoint()).isEqualTo(1);
        }
    }
}
