package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;
    // Starts at the real time: retention also reads file modification times, which the file system stamps.
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private LogManager manager;

    private PartitionLog open(LogConfig config) {
        manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(config).withClock(clock));
        return manager.getOrCreateLog(TP);
    }

    @AfterEach
    void closeManager() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void shouldAssignConsecutiveOffsetsAndStampTheLeaderEpoch() {
        PartitionLog log = open(LogConfig.DEFAULT);
        LogAppendInfo first = log.appendAsLeader(TestBatches.of(clock.millis(), "a", "b", "c"), 3);
        LogAppendInfo second = log.appendAsLeader(TestBatches.of(clock.millis(), "d"), 3);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(4);
        try (FileSlice slice = log.read(0, 1 << 20, log.logEndOffset())) {
            ByteBuffer bytes = slice.readIntoHeap();
            RecordBatch batch = new RecordBatch().wrap(bytes, 0);
            assertThat(batch.baseOffset()).isZero();
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(3);
            assertThat(TestBatches.values(bytes)).containsExactly("a", "b", "c", "d");
        }
        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(3);
    }

    @Test
    void shouldReadWholeBatchesFromTheOneHoldingTheStartOffset() {
        PartitionLog log = open(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.of(clock.millis(), "a", "b"), 0);
        log.appendAsLeader(TestBatches.of(clock.millis(), "c", "d"), 0);

        try (FileSlice slice = log.read(3, 1 << 20, log.logEndOffset())) {
            assertThat(slice.firstOffset()).isEqualTo(2);
            assertThat(slice.nextOffset()).isEqualTo(4);
            assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("c", "d");
        }
    }

    @Test
    void shouldReturnAtLeastOneBatchEvenWhenItExceedsMaxBytes() {
        PartitionLog log = open(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.of(clock.millis(), "x".repeat(500)), 0);
        log.appendAsLeader(TestBatches.of(clock.millis(), "y"), 0);

        try (FileSlice slice = log.read(0, 10, log.logEndOffset())) {
            assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("x".repeat(500));
        }
    }

    @Test
    void shouldNotReadPastTheBound() {
        PartitionLog log = open(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.of(clock.millis(), "a"), 0);
        log.appendAsLeader(TestBatches.of(clock.millis(), "b"), 0);
        log.updateHighWatermark(1);

        try (FileSlice slice = log.read(0, 1 << 20, log.highWatermark())) {
            assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("a");
        }
        try (FileSlice slice = log.read(1, 1 << 20, log.highWatermark())) {
            assertThat(slice.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldEndWithTheBatchHoldingTheLastWantedOffset() {
        PartitionLog log = open(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.of(clock.millis(), "a", "b"), 0);
        log.appendAsLeader(TestBatches.of(clock.millis(), "c", "d"), 0);
        log.appendAsLeader(TestBatches.of(clock.millis(), "e"), 0);

        try (FileSlice slice = log.read(1, 1 << 20, log.logEndOffset(), 2)) {
            assertThat(slice.nextOffset()).isEqualTo(4);
            assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("a", "b", "c", "d");
        }
        try (FileSlice slice = log.read(0, 1 << 20, log.logEndOffset(), 1)) {
            assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("a", "b");
        }
        try (FileSlice slice = log.read(0, 1 << 20, 2, 4)) {
            assertThat(TestBatches.values(slice.readIntoHeap())).as("the bound still applies").containsExactly("a", "b");
        }
    }

    @Test
    void shouldRejectReadsOutsideTheLog() {
        PartitionLog log = open(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.of(clock.millis(), "a"), 0);

        assertThatThrownBy(() -> log.read(5, 100, 10)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("offset 5").hasMessageContaining("orders-0");
        assertThatThrownBy(() -> log.read(-1, 100, 10)).isInstanceOf(OffsetOutOfRangeException.class);
        try (FileSlice atEnd = log.read(1, 100, 10)) {
            assertThat(atEnd.isEmpty()).isTrue();
        }
    }

    @Test
    void shouldRejectACorruptBatchAndAppendNothing() {
        PartitionLog log = open(LogConfig.DEFAULT);
        ByteBuffer batch = TestBatches.of(clock.millis(), "a", "b");
        batch.put(batch.limit() - 1, (byte) (batch.get(batch.limit() - 1) ^ 0x40));

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("CRC");
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void shouldRollBySizeAndReadAcrossSegments() {
        PartitionLog log = open(LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "2048"));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(TestBatches.of(clock.millis(), "v" + i + "-" + "p".repeat(200)), 0);
        }
        assertThat(log.segmentCount()).isGreaterThan(2);
        long next = 0;
        int seen = 0;
        while (next < log.logEndOffset()) {
            try (FileSlice slice = log.read(next, 100_000, log.logEndOffset())) {
                List<String> values = TestBatches.values(slice.readIntoHeap());
                for (String value : values) {
                    assertThat(value).startsWith("v" + seen + "-");
                    seen++;
                }
                next = slice.nextOffset();
            }
        }
        assertThat(seen).isEqualTo(20);
    }

    @Test
    void shouldRollByAge() {
        PartitionLog log = open(LogConfig.DEFAULT.with(LogConfig.SEGMENT_MS, "1000"));
        log.appendAsLeader(TestBatches.of(clock.millis(), "a"), 0);
        clock.advance(1500);
        log.appendAsLeader(TestBatches.of(clock.millis(), "b"), 0);

        assertThat(log.segmentCount()).isEqualTo(2);
    }

    @Test
    void shouldFindTheFirstBatchAtOrAfterATimestamp() {
        PartitionLog log = open(LogConfig.DEFAULT.with(LogConfig.INDEX_INTERVAL_BYTES, "0"));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(TestBatches.of(1000L + i * 100, "m" + i), 0);
        }
        assertThat(log.findBatchByTimestamp(1000).offset()).isZero();
        assertThat(log.findBatchByTimestamp(1350).offset()).isEqualTo(4);
        assertThat(log.findBatchByTimestamp(1400).offset()).isEqualTo(4);
        assertThat(log.findBatchByTimestamp(5000)).isNull();
    }

    @Test
    void shouldTruncateWholeBatchesAndTheEpochCache() {
        PartitionLog log = open(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.of(clock.millis(), "a", "b"), 1);
        log.appendAsLeader(TestBatches.of(clock.millis(), "c", "d"), 2);
        log.appendAsLeader(TestBatches.of(clock.millis(), "e"), 3);
        log.updateHighWatermark(5);

        log.truncateTo(3);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(log.leaderEpochCache().latestEpoch()).hasValue(1);
        log.appendAsLeader(TestBatches.of(clock.millis(), "z"), 4);
        try (FileSlice slice = log.read(0, 1 << 20, log.logEndOffset())) {
            assertThat(TestBatches.values(slice.readIntoHeap())).containsExactly("a", "b", "z");
        }
    }

    @Test
    void shouldTruncateFullyAndStartAgainAtAnOffset() {
        PartitionLog log = open(LogConfig.DEFAULT);
        log.appendAsLeader(TestBatches.of(clock.millis(), "a", "b"), 1);

        log.truncateFullyAndStartAt(100);

        assertThat(log.logStartOffset()).isEqualTo(100);
        assertThat(log.logEndOffset()).isEqualTo(100);
        assertThat(log.appendAsLeader(TestBatches.of(clock.millis(), "c"), 2).firstOffset()).isEqualTo(100);
    }

    @Test
    void shouldAppendReplicatedBatchesWithTheirOwnOffsetsAndEpochs() {
        PartitionLog leader = open(LogConfig.DEFAULT);
        leader.appendAsLeader(TestBatches.of(clock.millis(), "a", "b"), 5);
        leader.appendAsLeader(TestBatches.of(clock.millis(), "c"), 7);
        ByteBuffer copied;
        try (FileSlice slice = leader.read(0, 1 << 20, leader.logEndOffset())) {
            copied = slice.readIntoHeap();
        }
        PartitionLog follower = manager.getOrCreateLog(new TopicPartition("orders", 1));

        follower.appendAsFollower(copied);

        assertThat(follower.logEndOffset()).isEqualTo(3);
        assertThat(follower.leaderEpochCache().endOffsetFor(5, follower.logEndOffset()).endOffset()).isEqualTo(2);
        assertThat(follower.leaderEpochCache().latestEpoch()).hasValue(7);
        assertThatThrownBy(() -> follower.appendAsFollower(TestBatches.of(clock.millis(), "gap")))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("expected 3");
    }

    @Test
    void shouldDeleteSegmentsPastRetentionByTimeButNeverAboveTheHighWatermark() {
        PartitionLog log = open(LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "1024")
                .with(LogConfig.RETENTION_MS, "60000"));
        for (int i = 0; i < 12; i++) {
            log.appendAsLeader(TestBatches.of(clock.millis(), "r" + i + "p".repeat(300)), 0);
        }
        int segments = log.segmentCount();
        clock.advance(120_000);

        assertThat(log.deleteRetainedSegments()).as("nothing is below the high watermark yet").isZero();
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.deleteRetainedSegments()).isEqualTo(segments);

        assertThat(log.logStartOffset()).isEqualTo(12);
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.appendAsLeader(TestBatches.of(clock.millis(), "after"), 0).firstOffset()).isEqualTo(12);
    }

    @Test
    void shouldDeleteTheOldestSegmentsPastRetentionBySize() {
        PartitionLog log = open(LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "1024")
                .with(LogConfig.RETENTION_BYTES, "2048"));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(TestBatches.of(clock.millis(), "r" + i + "p".repeat(300)), 0);
        }
        log.updateHighWatermark(log.logEndOffset());

        assertThat(log.deleteRetainedSegments()).isPositive();

        assertThat(log.sizeInBytes()).isLessThanOrEqualTo(2048 + 1024);
        assertThat(log.logStartOffset()).isPositive();
        assertThatThrownBy(() -> log.read(0, 100, log.logEndOffset())).isInstanceOf(OffsetOutOfRangeException.class);
        try (FileSlice slice = log.read(log.logStartOffset(), 1 << 20, log.logEndOffset())) {
            assertThat(slice.firstOffset()).isEqualTo(log.logStartOffset());
        }
    }

    @Test
    void shouldDeleteWholeSegmentsBelowAnOffsetButNotTheActiveOneOrPastTheHighWatermark() {
        PartitionLog log = open(LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, "1024"));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(TestBatches.of(clock.millis(), "r" + i + "p".repeat(300)), 0);
        }
        assertThat(log.deleteSegmentsBelow(15)).as("nothing is below the high watermark").isZero();
        log.updateHighWatermark(log.logEndOffset());

        int deleted = log.deleteSegmentsBelow(15);

        assertThat(deleted).isPositive();
        assertThat(log.logStartOffset()).isLessThanOrEqualTo(15).isPositive();
        try (FileSlice slice = log.read(log.logStartOffset(), 1 << 20, log.logEndOffset())) {
            assertThat(slice.firstOffset()).isEqualTo(log.logStartOffset());
        }
        assertThat(log.deleteSegmentsBelow(Long.MAX_VALUE)).isPositive();
        assertThat(log.segmentCount()).as("the active segment stays").isEqualTo(1);
    }
}
