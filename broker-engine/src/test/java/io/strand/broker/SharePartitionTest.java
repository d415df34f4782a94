package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharePartitionTest {
    private final Object alice = "alice";
    private final Object bob = "bob";

    private static List<Shares.AckRange> ack(long first, long last, Shares.AckType type) {
        return List.of(new Shares.AckRange(first, last, type));
    }

    private static void acquire(SharePartition share, Object owner, long first, long last, List<SharePartition.Change> changes) {
        for (long offset = first; offset <= last; offset++) {
            share.acquire(owner, offset, null, changes);
        }
    }

    private static boolean acknowledge(SharePartition share, Object owner, long first, long last, Shares.AckType type) {
        return share.acknowledge(owner, ack(first, last, type), new ArrayList<>(), new ArrayList<>());
    }

    @Test
    void aRecordHeldByOneConsumerIsNotAvailableToAnother() {
        SharePartition share = new SharePartition(0);
        List<SharePartition.Change> changes = new ArrayList<>();
        assertThat(share.acquire(alice, 0, null, changes)).isEqualTo(1);

        assertThat(share.isAvailable(0)).isFalse();
        assertThat(share.isAvailable(1)).isTrue();
        assertThatThrownBy(() -> share.acquire(bob, 0, null, new ArrayList<>())).isInstanceOf(IllegalStateException.class);
        assertThat(changes).containsExactly(new SharePartition.Change(0, 0, 1));
    }

    @Test
    void acceptingTheRecordsASelectorLeftBehindMovesTheStartOverWhatTheSelectorTookAndLeavesNoRangeBehindIt() {
        SharePartition share = new SharePartition(0);
        for (long offset = 0; offset < 100; offset += 10) { // a selector consumer takes every tenth record
            acquire(share, alice, offset, offset, new ArrayList<>());
        }
        for (long offset = 0; offset < 100; offset += 10) {
            acknowledge(share, alice, offset, offset, Shares.AckType.ACCEPT);
        }
        assertThat(share.startOffset()).isEqualTo(1);
        assertThat(share.doneRangeCount()).isEqualTo(9);

        List<Shares.AckRange> ranges = new ArrayList<>();
        for (long first = 1; first < 55; first += 10) { // what the selector left, up to 54
            long last = Math.min(first + 8, 54);
            acquire(share, bob, first, last, new ArrayList<>());
            ranges.add(new Shares.AckRange(first, last, Shares.AckType.ACCEPT));
        }
        share.acknowledge(bob, ranges, new ArrayList<>(), new ArrayList<>());

        assertThat(share.startOffset()).isEqualTo(55);
        assertThat(share.doneRangeCount()).as("60, 70, 80, 90 lie ahead of the start").isEqualTo(4);
        assertThat(share.isAvailable(55)).isTrue();
        assertThat(share.isAvailable(60)).isFalse();
        assertThat(share.firstNotDone(50)).isEqualTo(55);
        assertThat(share.firstNotDone(60)).isEqualTo(61);
    }

    @Test
    void aHeldFirstRecordKeepsTheStartButTheRestCostsOneDoneRange() {
        SharePartition share = new SharePartition(0);
        acquire(share, alice, 0, 0, new ArrayList<>());
        List<SharePartition.Change> changes = new ArrayList<>();
        acquire(share, bob, 1, 10_000, changes);
        assertThat(changes).as("consecutive deliveries persist as one range").containsExactly(
                new SharePartition.Change(1, 10_000, 1));

        acknowledge(share, bob, 1, 10_000, Shares.AckType.ACCEPT);
        assertThat(share.startOffset()).as("offset 0 is still held").isZero();
        assertThat(share.inFlightCount()).isEqualTo(1);
        assertThat(share.doneRangeCount()).isEqualTo(1);
        assertThat(share.firstNotDone(1)).isEqualTo(10_001);

        acknowledge(share, alice, 0, 0, Shares.AckType.ACCEPT);
        assertThat(share.startOffset()).isEqualTo(10_001);
        assertThat(share.inFlightCount()).isZero();
        assertThat(share.doneRangeCount()).isZero();
    }

    @Test
    void releasedRecordsAreReturnedAndCountTheirDeliveries() {
        SharePartition share = new SharePartition(0);
        acquire(share, alice, 0, 4, new ArrayList<>());
        assertThat(acknowledge(share, alice, 1, 2, Shares.AckType.RELEASE)).isTrue();

        assertThat(share.returnedOffsets(10)).containsExactly(1L, 2L);
        assertThat(share.deliveryCount(1)).isEqualTo(1);
        assertThat(share.acquire(bob, 1, null, new ArrayList<>())).isEqualTo(2);
        assertThat(share.returnedOffsets(10)).containsExactly(2L);
    }

    @Test
    void closingAConsumerReleasesWhatItHeldAndItsGroups() {
        SharePartition share = new SharePartition(0);
        share.acquire(alice, 0, "g1", new ArrayList<>());
        share.acquire(alice, 1, null, new ArrayList<>());
        assertThat(share.mayTakeGroup("g1", bob)).isFalse();
        assertThat(share.mayTakeGroup("g1", alice)).isTrue();
        long rewinds = share.rewinds();

        assertThat(share.releaseAll(alice)).isTrue();
        assertThat(share.returnedOffsets(10)).containsExactly(0L, 1L);
        assertThat(share.mayTakeGroup("g1", bob)).isTrue();
        assertThat(share.rewinds()).as("records of the group others skipped must be looked at again")
                .isGreaterThan(rewinds);
    }

    @Test
    void aConsumerCannotCompleteRecordsItDoesNotHold() {
        SharePartition share = new SharePartition(0);
        acquire(share, alice, 0, 2, new ArrayList<>());
        assertThatThrownBy(() -> acknowledge(share, bob, 0, 0, Shares.AckType.ACCEPT))
                .isInstanceOf(BrokerException.class).hasMessageContaining("offset 0 is not held");
        assertThatThrownBy(() -> acknowledge(share, alice, 3, 3, Shares.AckType.ACCEPT))
                .isInstanceOf(BrokerException.class).hasMessageContaining("offset 3 is not held");
        assertThat(share.inFlightCount()).isEqualTo(3);
    }

    @Test
    void aRangeIsCheckedPastItsDoneRecordsAndRefusedWholeAtTheFirstRecordTheConsumerDoesNotHold() {
        SharePartition share = new SharePartition(0);
        acquire(share, alice, 0, 9, new ArrayList<>());
        acquire(share, bob, 10, 10, new ArrayList<>());
        acquire(share, alice, 11, 12, new ArrayList<>());
        acknowledge(share, alice, 3, 5, Shares.AckType.ACCEPT);

        assertThatThrownBy(() -> acknowledge(share, alice, 0, 12, Shares.AckType.ACCEPT))
                .isInstanceOf(BrokerException.class).hasMessageContaining("offset 10 is not held");
        assertThat(share.inFlightCount()).as("nothing of the refused range applied").isEqualTo(10);
        assertThatThrownBy(() -> acknowledge(share, alice, 11, 20, Shares.AckType.ACCEPT))
                .isInstanceOf(BrokerException.class).hasMessageContaining("offset 13 is not held");

        acknowledge(share, alice, 0, 9, Shares.AckType.ACCEPT); // passes over the done 3..5
        acknowledge(share, alice, 11, 12, Shares.AckType.ACCEPT);
        assertThat(share.startOffset()).isEqualTo(10);
        assertThat(share.inFlightCount()).isEqualTo(1);
    }

    @Test
    void acknowledgingRecordsThatAreDoneAlreadyIsHarmless() {
        SharePartition share = new SharePartition(0);
        acquire(share, alice, 0, 2, new ArrayList<>());
        acknowledge(share, alice, 0, 2, Shares.AckType.ACCEPT);
        acknowledge(share, alice, 0, 2, Shares.AckType.ACCEPT);
        assertThat(share.startOffset()).isEqualTo(3);
    }

    @Test
    void aRejectedRecordPassesToTheMoverAndStaysMarkedAcrossARestart() {
        SharePartition share = new SharePartition(0);
        List<SharePartition.Change> persisted = new ArrayList<>();
        acquire(share, alice, 0, 1, persisted);
        List<Long> rejected = new ArrayList<>();
        share.acknowledge(alice, ack(1, 1, Shares.AckType.REJECT), persisted, rejected);

        assertThat(rejected).containsExactly(1L);
        assertThat(share.isAvailable(1)).isFalse();
        SharePartition replayed = new SharePartition(0);
        persisted.forEach(replayed::apply);
        assertThat(replayed.deliveryCount(1)).isEqualTo(SharePartition.DEAD_LETTER_COUNT);

        List<SharePartition.Change> moved = new ArrayList<>();
        share.complete(1, moved);
        assertThat(moved).containsExactly(new SharePartition.Change(1, 1, 0));
    }

    @Test
    void aDelayedRecordComesBackWhenDue() {
        SharePartition share = new SharePartition(0);
        share.delay(0, 1_000);
        assertThat(share.isAvailable(0)).isFalse();
        assertThat(share.promoteDue(999)).isEqualTo(1_000);
        assertThat(share.returnedOffsets(10)).isEmpty();

        assertThat(share.promoteDue(1_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(share.isAvailable(0)).isTrue();
        assertThat(share.returnedOffsets(10)).containsExactly(0L);
    }

    @Test
    void oneWakeUpServesEveryConsumerForADueTime() {
        SharePartition share = new SharePartition(0);
        assertThat(share.claimWakeUp(1_000, 0)).isTrue();
        assertThat(share.claimWakeUp(1_000, 10)).isFalse();
        assertThat(share.claimWakeUp(500, 10)).as("an earlier due time needs its own timer").isTrue();
        assertThat(share.claimWakeUp(2_000, 600)).as("the timer at 500 has fired").isTrue();
    }

    @Test
    void replayingThePersistedChangesRebuildsTheStateWithHeldRecordsAvailable() {
        SharePartition live = new SharePartition(0);
        List<SharePartition.Change> log = new ArrayList<>();
        acquire(live, alice, 0, 4, log);
        live.acknowledge(alice, ack(0, 1, Shares.AckType.ACCEPT), log, new ArrayList<>());
        live.acknowledge(alice, ack(3, 3, Shares.AckType.ACCEPT), log, new ArrayList<>());
        live.acknowledge(alice, ack(2, 2, Shares.AckType.RELEASE), log, new ArrayList<>());

        SharePartition replayed = new SharePartition(0);
        log.forEach(replayed::apply);

        assertThat(replayed.startOffset()).isEqualTo(2);
        assertThat(replayed.isAvailable(2)).isTrue();
        assertThat(replayed.isAvailable(3)).isFalse();
        assertThat(replayed.isAvailable(4)).as("held at the crash: available again").isTrue();
        assertThat(replayed.returnedOffsets(10)).containsExactly(2L, 4L);
        assertThat(replayed.acquire(bob, 4, null, new ArrayList<>())).isEqualTo(2);
    }

    @Test
    void aSnapshotHoldsDoneRangesAndInFlightRecords() {
        SharePartition live = new SharePartition(0);
        acquire(live, alice, 0, 9, new ArrayList<>());
        live.acknowledge(alice, ack(5, 9, Shares.AckType.ACCEPT), new ArrayList<>(), new ArrayList<>());
        live.acknowledge(alice, ack(1, 4, Shares.AckType.RELEASE), new ArrayList<>(), new ArrayList<>());

        SharePartition restored = new SharePartition(0);
        restored.reset(live.startOffset());
        live.snapshot().forEach(restored::apply);

        assertThat(restored.startOffset()).isZero();
        assertThat(restored.firstNotDone(5)).isEqualTo(10);
        assertThat(restored.deliveryCount(3)).isEqualTo(1);
        assertThat(restored.inFlightCount()).isEqualTo(5);
    }

    @Test
    void recordsThatRetentionRemovedAreForgotten() {
        SharePartition share = new SharePartition(0);
        acquire(share, alice, 0, 2, new ArrayList<>());
        share.trimTo(100);
        assertThat(share.startOffset()).isEqualTo(100);
        assertThat(share.inFlightCount()).isZero();
        assertThat(share.firstNotDone(0)).isEqualTo(100);
    }
}
