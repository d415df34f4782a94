package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Shares;
import io.strand.protocol.XaTransactions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code $xa} log: prepared branches and remembered outcomes survive a restart, the resource manager id stays
 * the same for the same data, a branch whose chunks are not all there counts as rolled back, outcomes decided by an
 * operator are kept until forgotten, and snapshots keep the live state while the log stops growing.
 */
class XaTransactionLogTest {
    @TempDir
    Path dataDir;

    private static XaTransactions.BranchId xid(int n) {
        return new XaTransactions.BranchId(1, ("g" + n).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) n});
    }

    private static PreparedBranch branch(int n, int batchBytes) {
        ByteBuffer batches = ByteBuffer.wrap(ByteBufUtil.getBytes(BrokerProtocolTest.batchOf("x".repeat(batchBytes))));
        return new PreparedBranch(xid(n), List.of(new PreparedBranch.Target(DestinationType.QUEUE, "q", 0, batches)),
                List.of(new PreparedBranch.Hold(DestinationType.QUEUE, "in", "in", 0,
                        List.of(new Shares.OffsetRange(n, n + 2)))),
                List.of(new PreparedBranch.Position("client", "sub", "topic", 0, 10 + n)));
    }

    @Test
    void preparedBranchesOutcomesAndTheIdentitySurviveARestart() {
        String identity;
        PreparedBranch big = branch(2, 3 << 20); // larger than one batch: stored in chunks
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            XaTransactionLog log = XaTransactionLog.open(logs);
            assertThat(log.replay().prepared()).isEmpty();
            identity = log.resourceManagerId();
            log.prepared(branch(1, 10));
            log.prepared(big);
            log.prepared(branch(3, 10));
            log.decided(xid(3), XaTransactionLog.Outcome.COMMITTED);
            log.prepared(branch(4, 10));
            log.decided(xid(4), XaTransactionLog.Outcome.HEURISTIC_ROLLBACK).join();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            XaTransactionLog log = XaTransactionLog.open(logs);
            List<PreparedBranch> prepared = log.replay().prepared();
            assertThat(log.resourceManagerId()).isEqualTo(identity);
            assertThat(prepared).extracting(PreparedBranch::xid).containsExactly(xid(1), xid(2));
            PreparedBranch back = prepared.get(1);
            assertThat(back.targets().get(0).batches()).isEqualTo(big.targets().get(0).batches());
            assertThat(back.holds()).isEqualTo(big.holds());
            assertThat(back.positions()).isEqualTo(big.positions());
            assertThat(log.outcome(xid(3))).isEqualTo(XaTransactionLog.Outcome.COMMITTED);
            assertThat(log.outcome(xid(4))).isEqualTo(XaTransactionLog.Outcome.HEURISTIC_ROLLBACK);
            assertThat(log.heuristicallyCompleted()).containsExactly(xid(4));
            log.forget(xid(4)).join();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            XaTransactionLog log = XaTransactionLog.open(logs);
            log.replay();
            assertThat(log.outcome(xid(4))).isNull();
            assertThat(log.heuristicallyCompleted()).isEmpty();
        }
    }

    @Test
    void aBranchWithChunksMissingWasNeverPreparedAndCountsAsRolledBack() {
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            XaTransactionLog.open(logs).replay();
            // The first chunk of a branch said to have two, as a crash between them leaves it.
            InternalStateLog raw = InternalStateLog.open(logs, XaTransactionLog.LOG_TOPIC);
            byte[] xid = XidBytes.of(xid(9));
            byte[] key = ByteBuffer.allocate(1 + xid.length + 4).put((byte) 1).put(xid).putInt(0).array();
            byte[] value = ByteBuffer.allocate(1 + 4 + 3).put((byte) 0).putInt(2).put(new byte[3]).array();
            raw.append(new InternalStateLog.Entry(key, value)).join();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            XaTransactionLog log = XaTransactionLog.open(logs);
            assertThat(log.replay().prepared()).isEmpty();
            assertThat(log.outcome(xid(9))).isEqualTo(XaTransactionLog.Outcome.ROLLED_BACK);
        }
    }

    @Test
    void snapshotsKeepTheLogFromGrowingWhileKeepingWhatIsLive() {
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            XaTransactionLog log = XaTransactionLog.open(logs);
            log.replay();
            log.prepared(branch(100_000, 10));
            for (int i = 0; i < 12_000; i++) {
                log.prepared(branch(i, 2_000)); // 24 MB in all: the log rolls past its first segment
                log.decided(xid(i), i % 2 == 0 ? XaTransactionLog.Outcome.COMMITTED
                        : XaTransactionLog.Outcome.ROLLED_BACK);
            }
            log.decided(xid(-1), XaTransactionLog.Outcome.HEURISTIC_COMMIT).join();
        }
        String[] segments = dataDir.resolve(XaTransactionLog.LOG_TOPIC + "-0").toFile()
                .list((d, name) -> name.endsWith(".log"));
        assertThat(segments).as("the segments of the first records were deleted by snapshots")
                .allSatisfy(name -> assertThat(Long.parseLong(name.substring(0, 20))).isPositive());
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            XaTransactionLog log = XaTransactionLog.open(logs);
            assertThat(log.replay().prepared()).extracting(PreparedBranch::xid).containsExactly(xid(100_000));
            assertThat(log.outcome(xid(11_999))).isEqualTo(XaTransactionLog.Outcome.ROLLED_BACK);
            assertThat(log.outcome(xid(0))).as("only the most recent outcomes are remembered").isNull();
            assertThat(log.outcome(xid(-1))).isEqualTo(XaTransactionLog.Outcome.HEURISTIC_COMMIT);
        }
    }
}
