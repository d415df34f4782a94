package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush forces segments without the log's write lock, so that appends go on meanwhile, while a follower truncates
 * its log and a leader deletes the segments a snapshot made obsolete: none of them may take a segment away under a
 * flush, which would take the partition offline for good.
 */
class FlushRaceTest {
    private static final TopicPartition TP = new TopicPartition("$sharegroups", 0);

    @TempDir
    Path dataDir;
    private LogManager manager;

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void flushesRacingTruncationsAndSegmentDeletionsNeverTakeThePartitionOffline() throws Exception {
        manager = LogManager.open(LogManagerConfig.defaults(dataDir)
                .withDefaultLogConfig(LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "1024")));
        PartitionLog log = manager.getOrCreateLog(TP);
        List<Throwable> flushFailures = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread flusher = new Thread(() -> {
            while (!done.get()) {
                try {
                    log.flushTo(log.logEndOffset());
                } catch (RuntimeException e) {
                    flushFailures.add(e);
                    return;
                }
            }
        });
        flusher.start();
        try {
            for (int round = 0; round < 400; round++) {
                for (int i = 0; i < 8; i++) {
                    log.appendAsLeader(TestBatches.of(System.currentTimeMillis(), "state-" + round + "-" + i
                            + "-".repeat(200)), 0);
                }
                log.updateHighWatermark(log.logEndOffset());
                if (round % 2 == 0) {
                    log.truncateTo(log.logEndOffset() - 3); // a follower cutting a divergent tail
                    log.updateHighWatermark(log.logEndOffset());
                }
                log.deleteSegmentsBelow(log.logEndOffset() - 4); // a snapshot made the old segments obsolete
            }
        } finally {
            done.set(true);
            flusher.join();
        }
        assertThat(flushFailures).isEmpty();
        log.flushTo(log.logEndOffset());
        assertThat(log.logStartOffset()).isPositive();
    }
}
