package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.admin.Rewind;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.PartitionLog;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rewinds and purges on the broker's state classes, with a log whose start retention has moved:
 * what lies before the log start cannot be rewound to, and a share group restarted at an offset
 * keeps that start across a reload.
 */
class RepositioningTest {
    @TempDir
    Path dir;
    private LogManager logs;
    private DestinationRegistry destinations;
    private ShareGroups shareGroups;
    private Repositioning repositioning;

    @BeforeEach
    void open() {
        logs = LogManager.open(LogManagerConfig.defaults(dir)
                .withDefaultLogConfig(LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "1024")));
        destinations = new DestinationRegistry(logs, true, 1);
        DurableSubscriptions subscriptions = DurableSubscriptions.load(logs);
        shareGroups = ShareGroups.load(logs, 0);
        PartitionWatchers watchers = new PartitionWatchers();
        AdminViews views = new AdminViews(BrokerConfig.defaults(), destinations, subscriptions,
                SharedSubscriptions.load(logs, shareGroups, 0), shareGroups, watchers, null);
        repositioning = new Repositioning(destinations, subscriptions, shareGroups, views, watchers);
    }

    @AfterEach
    void close() {
        logs.close();
    }

    /** Appends records of about 300 bytes one batch each, so that every few roll a segment; returns the log. */
    private PartitionLog queueWith(String name, int records) {
        PartitionLog log = destinations.create(DestinationType.QUEUE, name, 1).partition(0);
        for (int i = 0; i < records; i++) {
            log.appendAsLeader(BrokerProtocolTest.batchOf("r" + i + "-" + "x".repeat(300)).nioBuffer(), 0);
        }
        log.flushTo(log.logEndOffset());
        log.maybeIncrementHighWatermark(log.logEndOffset());
        return log;
    }

    @Test
    void refusesToRewindBeforeTheLogStartAndRewindsToItByTime() {
        PartitionLog log = queueWith("archive", 20);
        log.deleteSegmentsBelow(10);
        long start = log.logStartOffset();
        assertThat(start).isPositive();

        assertThatThrownBy(() -> repositioning.rewind(new Rewind.Request(Rewind.Target.QUEUE, null, "archive", 0, 0, -1)))
                .isInstanceOf(BrokerException.class)
                .satisfies(e -> assertThat(((BrokerException) e).error()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE))
                .hasMessageContaining("before the log start " + start);
        Repositioning.Moved moved = repositioning.rewind(new Rewind.Request(Rewind.Target.QUEUE, null, "archive", -1,
                -1, 0));
        assertThat(moved.positions()).containsExactly(new Rewind.Position(0, start));
        moved.durable().join();
        assertThat(shareGroups.state("archive", 0).startOffset()).isEqualTo(start);
    }

    @Test
    void aRestartedShareGroupKeepsItsNewStartAfterAReload() {
        queueWith("work", 6);
        repositioning.rewind(new Rewind.Request(Rewind.Target.QUEUE, null, "work", 0, 4, -1)).durable().join();
        Repositioning.Purged purged = repositioning.purge("work");
        purged.durable().join();
        assertThat(purged.records()).isEqualTo(2);
        repositioning.rewind(new Rewind.Request(Rewind.Target.QUEUE, null, "work", 0, 3, -1)).durable().join();

        ShareGroups reloaded = ShareGroups.load(logs, 0);
        assertThat(reloaded.state("work", 0)).isEqualTo(new QueueState(3, 0, 0, 0));
    }

    @Test
    void findsTheFirstRecordWrittenAtOrAfterATime() {
        PartitionLog log = destinations.create(DestinationType.TOPIC, "times", 1).partition(0);
        for (long t : new long[] {1_000, 2_000, 3_000}) {
            RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0);
            builder.append(t, null, ByteBuffer.wrap(("at " + t).getBytes(StandardCharsets.UTF_8)), null);
            log.appendAsLeader(builder.build(), 0);
        }
        log.maybeIncrementHighWatermark(log.logEndOffset());
        assertThat(RecordTimes.offsetForTime(log, 0)).isZero();
        assertThat(RecordTimes.offsetForTime(log, 1_500)).isEqualTo(1);
        assertThat(RecordTimes.offsetForTime(log, 2_000)).isEqualTo(1);
        assertThat(RecordTimes.offsetForTime(log, 9_000)).isEqualTo(3);
        assertThat(RecordTimes.timestampAt(log, 2)).isEqualTo(3_000);
        assertThat(RecordTimes.timestampAt(log, 3)).isEqualTo(-1);
    }
}
