package io.strand.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One leader and its followers, step by step, on real logs: the cases the simulation meets by chance. */
class ReplicationTest {
    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final LogConfig CONFIG = LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, "none");
    private static final IntPredicate NO_ONE_FENCED = broker -> false;

    @TempDir
    Path dir;
    private LogManager[] logs;

    @BeforeEach
    void open() {
        logs = new LogManager[3];
        for (int i = 0; i < 3; i++) {
            logs[i] = LogManager.open(LogManagerConfig.defaults(dir.resolve("b" + i)).withDefaultLogConfig(CONFIG));
        }
    }

    @AfterEach
    void close() {
        for (LogManager manager : logs) {
            manager.close();
        }
    }

    private PartitionLog log(int broker) {
        return logs[broker].getOrCreateLog(TP);
    }

    private static ByteBuffer batch(String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0);
        for (String value : values) {
            builder.append(0, null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)), null);
        }
        return builder.build();
    }

    private static void replicate(LeaderPartition leader, FollowerPartition follower, long nowMs) {
        follower.log().flushTo(follower.log().logEndOffset());
        ReplicaFetch fetch = follower.nextFetch(1 << 20);
        follower.onFetched(fetch, leader.fetch(fetch, nowMs));
    }

    @Test
    void theHighWatermarkWaitsForEveryInSyncReplicaToHaveTheRecordsOnDisk() {
        LeaderPartition leader = new LeaderPartition(log(0), 0, 1, List.of(0, 1, 2), Set.of(0, 1, 2), 1, 0);
        FollowerPartition one = new FollowerPartition(log(1), 1, 1, 0, 1);
        FollowerPartition two = new FollowerPartition(log(2), 2, 1, 0, 1);
        log(0).appendAsLeader(batch("a", "b"), 1);
        log(0).flushTo(2);
        leader.localDurable();
        assertThat(leader.highWatermark()).as("no follower has fetched in this epoch").isZero();

        replicate(leader, one, 1);
        replicate(leader, two, 1);
        assertThat(log(1).logEndOffset()).isEqualTo(2);
        assertThat(leader.highWatermark()).as("the records are not yet durable on the followers").isZero();

        replicate(leader, one, 2);
        assertThat(leader.highWatermark()).as("follower 2 has not reported them durable").isZero();
        replicate(leader, two, 2);
        assertThat(leader.highWatermark()).isEqualTo(2);
        replicate(leader, one, 3);
        assertThat(log(1).highWatermark()).as("the follower learns it in the next answer").isEqualTo(2);
    }

    @Test
    void aFollowerTruncatesWhatAFormerLeaderWroteAfterTheNewLeadersEpochStarted() {
        // Broker 0 led epoch 1 and wrote a, b; b reached only its own log before it lost the lead.
        log(0).appendAsLeader(batch("a"), 1);
        log(1).appendAsFollower(copyOf(log(0), 0));
        log(0).appendAsLeader(batch("b"), 1);
        // Broker 1 leads epoch 2 from offset 1 and writes c there.
        LeaderPartition leader = new LeaderPartition(log(1), 1, 2, List.of(0, 1), Set.of(1), 1, 0);
        log(1).appendAsLeader(batch("c"), 2);
        FollowerPartition former = new FollowerPartition(log(0), 0, 7, 1, 2);

        ReplicaFetch fetch = former.nextFetch(1 << 20);
        assertThat(fetch.lastFetchedEpoch()).isEqualTo(1);
        FetchOutcome outcome = leader.fetch(fetch, 0);
        assertThat(outcome).isEqualTo(new FetchOutcome.Diverging(1, 1));
        former.onFetched(fetch, outcome);
        assertThat(log(0).logEndOffset()).as("b is gone").isEqualTo(1);

        ReplicaFetch again = former.nextFetch(1 << 20);
        former.onFetched(again, leader.fetch(again, 0));
        assertThat(log(0).logEndOffset()).isEqualTo(2);
        assertThat(log(0).leaderEpochCache().latestEpoch()).hasValue(2);
    }

    @Test
    void aFetchFromAnotherEpochOrBrokerIsRefused() {
        LeaderPartition leader = new LeaderPartition(log(0), 0, 5, List.of(0, 1), Set.of(0, 1), 3, 0);
        FetchOutcome stale = leader.fetch(new ReplicaFetch(1, 1, 4, 0, -1, 0, 100), 0);
        FetchOutcome ahead = leader.fetch(new ReplicaFetch(1, 1, 6, 0, -1, 0, 100), 0);
        FetchOutcome stranger = leader.fetch(new ReplicaFetch(2, 1, 5, 0, -1, 0, 100), 0);
        assertThat(((FetchOutcome.Refused) stale).error()).isEqualTo(FetchError.FENCED_LEADER_EPOCH);
        assertThat(((FetchOutcome.Refused) ahead).error()).isEqualTo(FetchError.UNKNOWN_LEADER_EPOCH);
        assertThat(((FetchOutcome.Refused) stranger).error()).isEqualTo(FetchError.NOT_A_REPLICA);
    }

    @Test
    void aLaggingFollowerLeavesTheIsrAndComesBackOnceCaughtUp() {
        LeaderPartition leader = new LeaderPartition(log(0), 0, 1, List.of(0, 1), Set.of(0, 1), 1, 0);
        FollowerPartition follower = new FollowerPartition(log(1), 1, 9, 0, 1);
        log(0).appendAsLeader(batch("a"), 1);
        log(0).flushTo(1);

        assertThat(leader.proposeIsrChange(100, 500, NO_ONE_FENCED)).isEmpty();
        IsrChange shrink = leader.proposeIsrChange(600, 500, NO_ONE_FENCED).orElseThrow();
        assertThat(shrink.proposedIsr()).containsExactly(0);
        assertThat(leader.proposeIsrChange(700, 500, NO_ONE_FENCED)).as("one change at a time").isEmpty();
        leader.isrCommitted(Set.of(0), 2);
        assertThat(leader.highWatermark()).as("alone in the ISR, the leader's disk decides").isEqualTo(1);

        replicate(leader, follower, 800);
        replicate(leader, follower, 900);
        IsrChange expand = leader.proposeIsrChange(900, 500, NO_ONE_FENCED).orElseThrow();
        assertThat(expand.proposedIsr()).containsExactlyInAnyOrder(0, 1);
        assertThat(expand.followerEpochs()).containsEntry(1, 9L);
        assertThat(expand.partitionEpoch()).isEqualTo(2);
    }

    @Test
    void aFollowerThatStoppedFetchingIsNotTakenBackIntoTheIsrOfAnIdlePartition() {
        LeaderPartition leader = new LeaderPartition(log(0), 0, 1, List.of(0, 1), Set.of(0, 1), 1, 0);
        FollowerPartition follower = new FollowerPartition(log(1), 1, 9, 0, 1);
        log(0).appendAsLeader(batch("a"), 1);
        log(0).flushTo(1);
        replicate(leader, follower, 100);
        replicate(leader, follower, 200);
        // The follower dies here, level with the log end, and nothing is written any more.
        IsrChange shrink = leader.proposeIsrChange(800, 500, NO_ONE_FENCED).orElseThrow();
        assertThat(shrink.proposedIsr()).containsExactly(0);
        leader.isrCommitted(Set.of(0), 2);

        assertThat(leader.proposeIsrChange(900, 500, NO_ONE_FENCED))
                .as("its log matches the leader's, but it has not fetched for 700 ms").isEmpty();
        assertThat(leader.proposeIsrChange(60_000, 500, NO_ONE_FENCED)).isEmpty();

        replicate(leader, follower, 60_100);
        assertThat(leader.proposeIsrChange(60_100, 500, NO_ONE_FENCED).orElseThrow().proposedIsr())
                .as("back once it fetches again").containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aFollowerTheControllerFencedIsNotProposedForTheIsrEvenRightAfterItsLastFetch() {
        LeaderPartition leader = new LeaderPartition(log(0), 0, 1, List.of(0, 1), Set.of(0, 1), 1, 0);
        FollowerPartition follower = new FollowerPartition(log(1), 1, 9, 0, 1);
        log(0).appendAsLeader(batch("a"), 1);
        log(0).flushTo(1);
        replicate(leader, follower, 100);
        replicate(leader, follower, 200);
        leader.isrCommitted(Set.of(0), 2); // the controller fenced broker 1 when it left the cluster

        assertThat(leader.proposeIsrChange(300, 500, broker -> broker == 1)).isEmpty();
        assertThat(leader.proposeIsrChange(300, 500, NO_ONE_FENCED)).as("once registered again, it may join")
                .isPresent();
    }

    @Test
    void aFollowerOutsideTheIsrJoinsOnlyOnceItFetchedUpToTheLogEnd() {
        LeaderPartition leader = new LeaderPartition(log(0), 0, 1, List.of(0, 1), Set.of(0), 1, 0);
        FollowerPartition follower = new FollowerPartition(log(1), 1, 9, 0, 1);
        log(0).appendAsLeader(batch("a"), 1);
        log(0).appendAsLeader(batch("b"), 1);
        log(0).flushTo(1);
        leader.localDurable();
        assertThat(leader.highWatermark()).isEqualTo(1);

        fetchOneBatch(leader, follower, 100);
        fetchOneBatch(leader, follower, 200);
        assertThat(log(1).logEndOffset()).isEqualTo(2);
        assertThat(leader.proposeIsrChange(200, 500, NO_ONE_FENCED))
                .as("durable past the high watermark, but no fetch of it reached the log end yet").isEmpty();
        replicate(leader, follower, 300);
        assertThat(leader.proposeIsrChange(300, 500, NO_ONE_FENCED).orElseThrow().proposedIsr())
                .containsExactlyInAnyOrder(0, 1);
    }

    private static void fetchOneBatch(LeaderPartition leader, FollowerPartition follower, long nowMs) {
        follower.log().flushTo(follower.log().logEndOffset());
        ReplicaFetch fetch = follower.nextFetch(1);
        follower.onFetched(fetch, leader.fetch(fetch, nowMs));
    }

    @Test
    void aFollowerWhoseLastEpochTheLeaderDeletedWithOldSegmentsStartsAgainAtTheLeadersLogStart() {
        // Each batch of a kilobyte fills a segment, so a snapshot can delete the segments below the new epoch.
        for (int broker = 0; broker < 2; broker++) {
            log(broker).updateConfig(log(broker).config().with(LogConfig.SEGMENT_BYTES, "1024"));
        }
        log(0).appendAsLeader(batch("x".repeat(1000)), 1);
        log(1).appendAsFollower(copyOf(log(0), 0));
        // Broker 0 leads again in epoch 2 from offset 1, writes a snapshot there and deletes what is below it.
        LeaderPartition leader = new LeaderPartition(log(0), 0, 2, List.of(0, 1), Set.of(0), 1, 0);
        log(0).appendAsLeader(batch("y".repeat(1000)), 2);
        log(0).flushTo(2);
        leader.localDurable();
        assertThat(log(0).deleteSegmentsBelow(1)).isEqualTo(1);
        assertThat(log(0).leaderEpochCache().entries()).as("epoch 1 is gone with its segment").hasSize(1);

        // Broker 1 ends where the leader's log now starts, with records of epoch 1.
        FollowerPartition follower = new FollowerPartition(log(1), 1, 7, 0, 2);
        for (long now = 100; now <= 500; now += 100) {
            replicate(leader, follower, now);
        }
        assertThat(log(1).logEndOffset()).as("it fetched epoch 2's records").isEqualTo(2);
        assertThat(log(1).logStartOffset()).isEqualTo(1);
        assertThat(leader.proposeIsrChange(500, 500, NO_ONE_FENCED).orElseThrow().proposedIsr())
                .as("and is in sync").containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aFollowerStartedAgainAtTheLogStartOfAnIdleLeaderIsInSyncWithoutAnAppend() {
        log(0).truncateFullyAndStartAt(5); // everything the leader had is compacted away
        LeaderPartition leader = new LeaderPartition(log(0), 0, 1, List.of(0, 1), Set.of(0), 1, 0);
        FollowerPartition follower = new FollowerPartition(log(1), 1, 7, 0, 1);

        // As the broker's fetcher does, nothing is forced when a fetch brings no records.
        for (long now = 100; now <= 200; now += 100) {
            ReplicaFetch fetch = follower.nextFetch(1 << 20);
            follower.onFetched(fetch, leader.fetch(fetch, now));
        }
        assertThat(log(1).logStartOffset()).isEqualTo(5);
        assertThat(leader.proposeIsrChange(200, 500, NO_ONE_FENCED).orElseThrow().proposedIsr())
                .as("nothing to make durable below the log start").containsExactlyInAnyOrder(0, 1);
    }

    private static ByteBuffer copyOf(PartitionLog log, long from) {
        try (var slice = log.read(from, 1 << 20, log.logEndOffset())) {
            return slice.readIntoHeap();
        }
    }
}
