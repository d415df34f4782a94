package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share groups' persistence: what a queue's consumers settled reloads as it was, however many ranges it
 * holds. A consumer whose selector matches every tenth record of millions leaves hundreds of thousands of
 * ranges, more than one record of the state log may carry.
 */
class ShareGroupsTest {
    private static final String QUEUE = "orders";
    /** More ranges than one record of the log's largest batch (1 MiB) holds, at 21 bytes a range. */
    private static final int SPARSE_RANGES = 60_007;

    @TempDir
    Path dir;

    /** Every tenth offset done, the others untouched: the state a selector matching one in ten leaves. */
    private static List<SharePartition.Change> everyTenthDone(int ranges) {
        List<SharePartition.Change> changes = new ArrayList<>(ranges);
        for (int i = 0; i < ranges; i++) {
            changes.add(new SharePartition.Change(10L * i + 5, 10L * i + 5, 0));
        }
        return changes;
    }

    /** Applies and persists changes as consumers' settlements do; completes once durable. */
    private static CompletableFuture<Void> settle(ShareGroups groups, List<SharePartition.Change> changes) {
        SharePartition share = groups.partition(QUEUE, 0, 0);
        synchronized (share) {
            changes.forEach(share::apply);
            return groups.persist(ShareGroups.key(QUEUE, 0), share, changes);
        }
    }

    /**
     * Settles every tenth offset in small records, as acknowledgements write them, until a snapshot falls due, and
     * writes it.
     */
    private static ShareGroups snapshottedSparseState(LogManager logs) {
        ShareGroups groups = ShareGroups.load(logs, 0);
        List<SharePartition.Change> sparse = everyTenthDone(SPARSE_RANGES);
        for (int from = 0; from < sparse.size(); from += 10) {
            settle(groups, sparse.subList(from, Math.min(sparse.size(), from + 10)));
        }
        groups.snapshotIfDue();
        return groups;
    }

    @Test
    void oneDeltaOfMoreChangesThanARecordHoldsIsPersistedAndReloads() {
        List<SharePartition.Change> expected;
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dir))) {
            ShareGroups groups = ShareGroups.load(logs, 0);
            settle(groups, everyTenthDone(SPARSE_RANGES)).join();
            expected = groups.find(QUEUE, 0).snapshot();
        }
        assertThat(expected).hasSize(SPARSE_RANGES);
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dir))) {
            SharePartition reloaded = ShareGroups.load(logs, 0).find(QUEUE, 0);
            assertThat(reloaded.snapshot()).isEqualTo(expected);
            assertThat(reloaded.startOffset()).isZero();
        }
    }

    @Test
    void aSnapshotOfMoreRangesThanARecordHoldsIsWrittenAndReloads() {
        List<SharePartition.Change> expected;
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dir))) {
            ShareGroups groups = snapshottedSparseState(logs);
            expected = groups.find(QUEUE, 0).snapshot();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dir))) {
            PartitionLog stateLog = logs.getOrCreateLog(new TopicPartition(ShareGroups.LOG_TOPIC, 0));
            assertThat(stateLog.logEndOffset() - stateLog.logStartOffset())
                    .as("records left after the snapshot deleted the old segments")
                    .isLessThan(SPARSE_RANGES / 10);
            SharePartition reloaded = ShareGroups.load(logs, 0).find(QUEUE, 0);
            assertThat(reloaded.snapshot()).hasSize(SPARSE_RANGES).isEqualTo(expected);
        }
    }

    /** Writing a large state again every few thousand acknowledgements would make each cost a share of it. */
    @Test
    void aLargeStateIsNotWrittenAgainBeforeTheLogHasGrownByAsMuch() {
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dir))) {
            ShareGroups groups = snapshottedSparseState(logs);
            PartitionLog stateLog = logs.getOrCreateLog(new TopicPartition(ShareGroups.LOG_TOPIC, 0));
            long afterSnapshot = stateLog.logEndOffset();
            int acknowledgements = 5_000;
            for (int i = 0; i < acknowledgements; i++) {
                long offset = 10L * (SPARSE_RANGES + i) + 5;
                settle(groups, List.of(new SharePartition.Change(offset, offset, 0)));
                groups.snapshotIfDue();
            }
            assertThat(stateLog.logEndOffset() - afterSnapshot).as("records written by the acknowledgements")
                    .isEqualTo(acknowledgements);
        }
    }

    /** Few but large records (a selector consumer's acquisitions) make a snapshot due by their bytes. */
    @Test
    void aLogOfFewLargeRecordsIsSnapshottedByItsSize() {
        int records = 300;
        int changesPerRecord = 500;
        List<SharePartition.Change> expected;
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dir))) {
            ShareGroups groups = ShareGroups.load(logs, 0);
            List<SharePartition.Change> sparse = everyTenthDone(records * changesPerRecord);
            for (int from = 0; from < sparse.size(); from += changesPerRecord) {
                settle(groups, sparse.subList(from, from + changesPerRecord));
                groups.snapshotIfDue();
            }
            expected = groups.find(QUEUE, 0).snapshot();
            PartitionLog stateLog = logs.getOrCreateLog(new TopicPartition(ShareGroups.LOG_TOPIC, 0));
            assertThat(stateLog.logStartOffset()).as("the segments before a snapshot were deleted").isPositive();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dir))) {
            assertThat(ShareGroups.load(logs, 0).find(QUEUE, 0).snapshot()).isEqualTo(expected);
        }
    }
}
