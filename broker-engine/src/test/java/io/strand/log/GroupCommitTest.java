package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void aLoneAppenderForcesOnItsOwnThreadAndIsDurableWhenTheCallReturns() {
        InstrumentedFileChannel.Switches disk = new InstrumentedFileChannel.Switches();
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withChannelOpener(disk.opener()))) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("sync", 0));
            for (int i = 0; i < 3; i++) {
                LogAppendInfo info = log.appendAsLeader(TestBatches.of(1000, "m" + i), 0);
                int forcesBefore = disk.forces.get();
                Thread[] completedOn = new Thread[1];
                CompletableFuture<Void> durable = log.awaitDurableForcingHere(info.nextOffset())
                        .thenRun(() -> completedOn[0] = Thread.currentThread());
                assertThat(durable).isDone();
                assertThat(completedOn[0]).as("completed on the appender's thread").isSameAs(Thread.currentThread());
                assertThat(log.recoveryPoint()).isEqualTo(info.nextOffset());
                assertThat(disk.forces.get()).isGreaterThan(forcesBefore);
            }
        }
    }

    @Test
    void anAppendWhileAForceRunsWaitsForTheNextGroupCommitInsteadOfForcingToo() throws Exception {
        InstrumentedFileChannel.Switches disk = new InstrumentedFileChannel.Switches();
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withChannelOpener(disk.opener()))) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("busy", 0));
            CountDownLatch hold = new CountDownLatch(1);
            disk.holdForces = hold;
            LogAppendInfo first = log.appendAsLeader(TestBatches.of(1000, "first"), 0);
            ExecutorService appender = Executors.newSingleThreadExecutor();
            Future<CompletableFuture<Void>> firstDurable = appender.submit(
                    () -> log.awaitDurableForcingHere(first.nextOffset()));
            await().atMost(Duration.ofSeconds(10)).until(log::forceRunning);

            LogAppendInfo second = log.appendAsLeader(TestBatches.of(1000, "second"), 0);
            CompletableFuture<Void> secondDurable = log.awaitDurableForcingHere(second.nextOffset());
            assertThat(secondDurable).as("not forced here while the first force runs").isNotDone();
            assertThat(firstDurable).isNotDone();

            hold.countDown();
            assertThat(firstDurable.get(10, TimeUnit.SECONDS)).succeedsWithin(Duration.ofSeconds(10));
            assertThat(secondDurable).succeedsWithin(Duration.ofSeconds(10));
            assertThat(log.recoveryPoint()).isEqualTo(second.nextOffset());
            appender.shutdown();
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
