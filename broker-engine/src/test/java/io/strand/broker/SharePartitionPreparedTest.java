package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Shares;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records held by prepared XA branches in a share partition: taken from their consumer all or nothing, kept from
 * every consumer, persisted so that a replay (a restart) finds them held, completed by a commit, made available by
 * a rollback, given back to the consumer when the prepare fails before it was recorded; and share-group records
 * written before XA (format 1) still replay.
 */
class SharePartitionPreparedTest {
    private final Object alice = "alice";
    private final Object bob = "bob";

    @TempDir
    Path dataDir;

    private static List<Shares.AckRange> accept(long first, long last) {
        return List.of(new Shares.AckRange(first, last, Shares.AckType.ACCEPT));
    }

    private static List<Shares.OffsetRange> offsets(long first, long last) {
        return List.of(new Shares.OffsetRange(first, last));
    }

    private static SharePartition withAcquired(Object owner, long first, long last) {
        SharePartition share = new SharePartition(0);
        for (long offset = first; offset <= last; offset++) {
            share.acquire(owner, offset, null, new ArrayList<>());
        }
        return share;
    }

    @Test
    void recordsTakenForAPrepareAreKeptFromEveryConsumerAndSurviveAReplay() {
        SharePartition share = withAcquired(alice, 0, 3);
        assertThat(share.takeForPrepare(alice, accept(1, 2))).containsExactly(new Shares.OffsetRange(1, 2));
        assertThat(share.isAvailable(1)).isFalse();
        assertThat(share.releaseAll(alice)).isTrue(); // alice's consumer closes: only 0 and 3 go back
        assertThat(share.isAvailable(0)).isTrue();
        assertThat(share.isAvailable(1)).isFalse();
        assertThatThrownBy(() -> share.acknowledge(alice, accept(1, 1), new ArrayList<>(), new ArrayList<>()))
                .isInstanceOf(BrokerException.class);

        List<SharePartition.Change> changes = new ArrayList<>();
        share.persistPrepared(offsets(1, 2), changes);
        assertThat(changes).containsExactly(new SharePartition.Change(1, 2, 1, true));
        assertThat(share.preparedCount()).isEqualTo(2);

        SharePartition replayed = new SharePartition(0);
        share.snapshot().forEach(replayed::apply);
        assertThat(replayed.preparedOffsets()).containsExactly(1L, 2L);
        assertThat(replayed.isAvailable(1)).isFalse();
        assertThat(replayed.isAvailable(0)).isTrue();
    }

    @Test
    void aRefusedTakeTakesNothing() {
        SharePartition share = withAcquired(alice, 0, 1);
        share.acquire(bob, 2, null, new ArrayList<>());
        assertThatThrownBy(() -> share.takeForPrepare(alice, accept(0, 2)))
                .isInstanceOfSatisfying(BrokerException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("offset 2");
                });
        assertThat(share.preparedCount()).isZero();
        assertThat(share.acknowledge(alice, accept(0, 1), new ArrayList<>(), new ArrayList<>())).isFalse();
    }

    @Test
    void aCommitCompletesTheRecordsAndARollbackMakesThemAvailableWithTheirCounts() {
        SharePartition committed = withAcquired(alice, 0, 1);
        committed.takeForPrepare(alice, accept(0, 1));
        List<SharePartition.Change> changes = new ArrayList<>();
        committed.completePrepared(offsets(0, 1), changes);
        assertThat(changes).containsExactly(new SharePartition.Change(0, 1, 0));
        assertThat(committed.startOffset()).isEqualTo(2);

        SharePartition rolledBack = withAcquired(alice, 0, 1);
        rolledBack.takeForPrepare(alice, accept(0, 1));
        changes.clear();
        assertThat(rolledBack.releasePrepared(offsets(0, 1), changes)).isTrue();
        assertThat(changes).containsExactly(new SharePartition.Change(0, 1, 1));
        assertThat(rolledBack.availableDeliveryCount(0)).isEqualTo(1);
        assertThat(rolledBack.acquire(bob, 0, null, new ArrayList<>())).as("the next delivery is the second").isEqualTo(2);
    }

    @Test
    void aFailedPrepareGivesTheRecordsBackToTheirConsumerOrToTheQueueWhenItClosed() {
        SharePartition share = withAcquired(alice, 0, 1);
        share.takeForPrepare(alice, accept(0, 1));
        assertThat(share.giveBackPrepared(offsets(0, 0), alice)).isFalse();
        assertThat(share.acknowledge(alice, accept(0, 0), new ArrayList<>(), new ArrayList<>())).isFalse();
        assertThat(share.giveBackPrepared(offsets(1, 1), null)).isTrue();
        assertThat(share.isAvailable(1)).isTrue();
    }

    @Test
    void aRestartHoldsAgainWhatABranchClaimsAndTheRecordsNobodyClaimsAreReleased() {
        SharePartition share = new SharePartition(0);
        List<SharePartition.Change> changes = new ArrayList<>();
        share.holdAgainForPrepared(4, changes); // never recorded as delivered: held with one delivery counted
        assertThat(changes).containsExactly(new SharePartition.Change(4, 4, 1, true));
        assertThat(share.isAvailable(4)).isFalse();
        share.holdAgainForPrepared(4, changes);
        assertThat(changes).as("held already").hasSize(1);
    }

    @Test
    void shareGroupsPersistHoldsAndReadRecordsWrittenBeforeXa() {
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            ShareGroups groups = ShareGroups.load(logs, 0);
            SharePartition share = groups.partition("orders", 0, 0);
            synchronized (share) {
                List<SharePartition.Change> changes = new ArrayList<>();
                share.acquire(alice, 0, null, changes);
                share.acquire(alice, 1, null, changes);
                groups.persist(ShareGroups.key("orders", 0), share, changes);
                share.takeForPrepare(alice, accept(1, 1));
                changes.clear();
                share.persistPrepared(offsets(1, 1), changes);
                groups.persist(ShareGroups.key("orders", 0), share, changes).join();
            }
            // A delta as a build before XA wrote it: format 1, no flags byte, offset 2 in flight once.
            InternalStateLog raw = InternalStateLog.open(logs, ShareGroups.LOG_TOPIC);
            ByteBuffer formatOne = ByteBuffer.allocate(1 + 1 + 4 + 20).put((byte) 1).put((byte) 0).putInt(1)
                    .putLong(2).putLong(2).putInt(1);
            raw.append(new InternalStateLog.Entry(ShareGroups.key("legacy", 0).getBytes(StandardCharsets.UTF_8),
                    formatOne.array())).join();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            ShareGroups groups = ShareGroups.load(logs, 0);
            SharePartition orders = groups.find("orders", 0);
            assertThat(orders.preparedOffsets()).containsExactly(1L);
            assertThat(orders.isAvailable(0)).isTrue();
            assertThat(groups.find("legacy", 0).availableDeliveryCount(2)).isEqualTo(1);
        }
    }
}
