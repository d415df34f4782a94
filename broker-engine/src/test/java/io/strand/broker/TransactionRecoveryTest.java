package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.log.FileSlice;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.protocol.DestinationType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of recorded commits, in process, with the crash placed exactly: some batches of a commit
 * appended before it, some not, other producers' records in between. Every batch ends up in its
 * partition once; a commit whose record was not wholly written is dropped. The broker's batch limit
 * is small here, so commit records span several chunks of the transaction log.
 */
class TransactionRecoveryTest {
    @TempDir
    Path dataDir;

    private LogManager open() {
        return LogManager.open(LogManagerConfig.defaults(dataDir)
                .withDefaultLogConfig(LogConfig.DEFAULT.with(Map.of(LogConfig.MAX_MESSAGE_BYTES, "4096"))));
    }

    private static ByteBuffer batches(String... valuesPerBatch) {
        List<ByteBuf> parts = new ArrayList<>();
        for (String values : valuesPerBatch) {
            parts.add(BrokerProtocolTest.batchOf(values.split(",")));
        }
        ByteBuf all = Unpooled.wrappedBuffer(parts.toArray(new ByteBuf[0]));
        ByteBuffer copy = ByteBuffer.allocate(all.readableBytes());
        all.readBytes(copy);
        return copy.flip();
    }

    private static CommitRecord.Target target(PartitionLog log, DestinationType type, String name, int index, long id,
                                              ByteBuffer batches) {
        CommitRecord.stamp(batches, id, index);
        return new CommitRecord.Target(type, name, 0, log.logEndOffset(), batches);
    }

    private static List<String> values(PartitionLog log) {
        List<String> values = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            try (FileSlice slice = log.read(next, 1 << 20, log.logEndOffset())) {
                values.addAll(BrokerProtocolTest.valuesOf(Unpooled.wrappedBuffer(slice.readIntoHeap()), next));
                next = slice.nextOffset();
            }
        }
        return values;
    }

    private static String padded(String prefix, int count) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < count; i++) {
            values.append(i == 0 ? "" : ",").append(prefix).append(i).append("-").append("x".repeat(40));
        }
        return values.toString();
    }

    @Test
    void recoveryAppendsExactlyTheBatchesACrashLeftOut() {
        long id = 4242;
        String q2First = padded("q2a", 40);
        String q2Second = padded("q2b", 40);
        try (LogManager logs = open()) {
            DestinationRegistry destinations = new DestinationRegistry(logs, true, 1);
            PartitionLog q1 = destinations.lookup(DestinationType.QUEUE, "q1", true).partition(0);
            PartitionLog q2 = destinations.lookup(DestinationType.QUEUE, "q2", true).partition(0);
            PartitionLog t = destinations.lookup(DestinationType.TOPIC, "t", true).partition(0);
            q1.appendAsLeader(batches("old"), 0);
            TransactionLog transactions = TransactionLog.open(logs);
            assertThat(transactions.replay()).isEmpty();
            CommitRecord record = new CommitRecord(id, List.of(
                    target(q1, DestinationType.QUEUE, "q1", 0, id, batches("q1-a,q1-b")),
                    target(q2, DestinationType.QUEUE, "q2", 1, id, batches(q2First, q2Second)),
                    target(t, DestinationType.TOPIC, "t", 2, id, batches("t-a"))));
            transactions.record(record).join();
            assertThat(logs.getOrCreateLog(new TopicPartition(TransactionLog.LOG_TOPIC, 0)).logEndOffset())
                    .as("chunks of the commit record").isGreaterThan(1);
            // The crash: q1's batch and q2's first batch went in, with another producer's record between them.
            q1.appendAsLeader(record.targets().get(0).batches().duplicate(), 0);
            q1.appendAsLeader(batches("other"), 0);
            ByteBuffer q2Batches = record.targets().get(1).batches();
            q2.appendAsLeader(q2Batches.duplicate().limit(record.targets().get(1).batchesAfter(1).position()), 0);
            q2.flushTo(q2.logEndOffset());
            q1.flushTo(q1.logEndOffset());
        }
        for (int start = 0; start < 2; start++) {
            try (LogManager logs = open()) {
                DestinationRegistry destinations = new DestinationRegistry(logs, true, 1);
                int finished = new TransactionRecovery(TransactionLog.open(logs), destinations).finishRecordedCommits();
                assertThat(finished).as("commits finished at start %d", start).isEqualTo(start == 0 ? 1 : 0);
                assertThat(values(destinations.lookup(DestinationType.QUEUE, "q1", false).partition(0)))
                        .containsExactly("old", "q1-a", "q1-b", "other");
                List<String> q2Expected = new ArrayList<>(List.of(q2First.split(",")));
                q2Expected.addAll(List.of(q2Second.split(",")));
                assertThat(values(destinations.lookup(DestinationType.QUEUE, "q2", false).partition(0)))
                        .isEqualTo(q2Expected);
                assertThat(values(destinations.lookup(DestinationType.TOPIC, "t", false).partition(0)))
                        .containsExactly("t-a");
            }
        }
    }

    @Test
    void aCommitWhoseRecordWasNotWhollyWrittenNeverStarted() {
        try (LogManager logs = open()) {
            DestinationRegistry destinations = new DestinationRegistry(logs, true, 1);
            PartitionLog q1 = destinations.lookup(DestinationType.QUEUE, "q1", true).partition(0);
            PartitionLog q2 = destinations.lookup(DestinationType.QUEUE, "q2", true).partition(0);
            TransactionLog transactions = TransactionLog.open(logs);
            transactions.replay();
            CommitRecord record = new CommitRecord(7, List.of(
                    target(q1, DestinationType.QUEUE, "q1", 0, 7, batches(padded("a", 40))),
                    target(q2, DestinationType.QUEUE, "q2", 1, 7, batches(padded("b", 40)))));
            transactions.record(record).join();
            PartitionLog log = logs.getOrCreateLog(new TopicPartition(TransactionLog.LOG_TOPIC, 0));
            assertThat(log.logEndOffset()).isGreaterThan(1);
            log.truncateTo(log.logEndOffset() - 1); // the last chunk never reached the disk
        }
        try (LogManager logs = open()) {
            DestinationRegistry destinations = new DestinationRegistry(logs, true, 1);
            TransactionLog transactions = TransactionLog.open(logs);
            assertThat(new TransactionRecovery(transactions, destinations).finishRecordedCommits()).isZero();
            assertThat(transactions.openCommits()).isZero();
            assertThat(values(destinations.lookup(DestinationType.QUEUE, "q1", false).partition(0))).isEmpty();
            assertThat(values(destinations.lookup(DestinationType.QUEUE, "q2", false).partition(0))).isEmpty();
        }
    }

    @Test
    void openCommitsSurviveCompactionOfTheTransactionLog() {
        try (LogManager logs = open()) {
            DestinationRegistry destinations = new DestinationRegistry(logs, true, 1);
            PartitionLog q1 = destinations.lookup(DestinationType.QUEUE, "q1", true).partition(0);
            PartitionLog q2 = destinations.lookup(DestinationType.QUEUE, "q2", true).partition(0);
            TransactionLog transactions = TransactionLog.open(logs);
            transactions.replay();
            transactions.record(new CommitRecord(1, List.of(
                    target(q1, DestinationType.QUEUE, "q1", 0, 1, batches("kept-1")),
                    target(q2, DestinationType.QUEUE, "q2", 1, 1, batches("kept-2")))));
            for (long id = 2; id < 6_000; id++) { // far more records than the one open commit: a snapshot is due
                transactions.record(new CommitRecord(id, List.of(
                        target(q1, DestinationType.QUEUE, "q1", 0, id, batches("done")))));
                transactions.complete(id);
            }
            assertThat(transactions.openCommits()).isOne();
        }
        try (LogManager logs = open()) {
            DestinationRegistry destinations = new DestinationRegistry(logs, true, 1);
            TransactionLog transactions = TransactionLog.open(logs);
            assertThat(new TransactionRecovery(transactions, destinations).finishRecordedCommits()).isOne();
            assertThat(values(destinations.lookup(DestinationType.QUEUE, "q1", false).partition(0)))
                    .containsExactly("kept-1");
            assertThat(values(destinations.lookup(DestinationType.QUEUE, "q2", false).partition(0)))
                    .containsExactly("kept-2");
        }
    }
}
