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

    private static List<Shares.AckRange> accept(long first, long last) {
        return List.of(new Shares.AckRange(first, last, Shares.AckType.ACCEPT));
    }

    private static List<Shares.AckRange> release(long first, long last) {
        return List.of(new Shares.AckRange(first, last, Shares.AckType.RELEASE));
    }

    @Test
    void competingConsumersAcquireDisjointRecords() {
        SharePartition share = new SharePartition(0);
        List<SharePartition.Change> changes = new ArrayList<>();

        assertThat(share.acquire(alice, 3, 0, 10, changes)).containsExactly(new Shares.AcquiredRange(0, 2, (short) 1));
        assertThat(share.acquire(bob, 3, 0, 10, changes)).containsExactly(new Shares.AcquiredRange(3, 5, (short) 1));
        assertThat(share.acquire(bob, 100, 0, 10, changes)).containsExactly(new Shares.AcquiredRange(6, 9, (short) 1));
        assertThat(share.acquire(alice, 100, 0, 10, changes)).isEmpty();
        assertThat(share.nextOffset()).isEqualTo(10);
    }

    @Test
    void acceptedRecordsAdvanceTheStartOnlyPastAHeldOne() {
        SharePartition share = new SharePartition(0);
        share.acquire(alice, 1, 0, 10, new ArrayList<>());
        share.acquire(bob, 9, 0, 10, new ArrayList<>());

        share.acknowledge(bob, accept(1, 9), new ArrayList<>());
        assertThat(share.startOffset()).as("offset 0 is still held").isZero();
        assertThat(share.inFlightCount()).isEqualTo(1);

        share.acknowledge(alice, accept(0, 0), new ArrayList<>());
        assertThat(share.startOffset()).isEqualTo(10);
        assertThat(share.inFlightCount()).isZero();
    }

    @Test
    void releasedRecordsComeBackFirstWithAHigherDeliveryCount() {
        SharePartition share = new SharePartition(0);
        share.acquire(alice, 5, 0, 10, new ArrayList<>());
        assertThat(share.acknowledge(alice, release(1, 2), new ArrayList<>())).isTrue();

        assertThat(share.acquire(bob, 4, 0, 10, new ArrayList<>())).containsExactly(
                new Shares.AcquiredRange(1, 2, (short) 2), new Shares.AcquiredRange(5, 6, (short) 1));
    }

    @Test
    void closingAConsumerReleasesWhatItHeld() {
        SharePartition share = new SharePartition(0);
        share.acquire(alice, 3, 0, 3, new ArrayList<>());
        assertThat(share.releaseAll(alice)).isTrue();
        assertThat(share.hasAvailable()).isTrue();
        assertThat(share.acquire(bob, 10, 0, 3, new ArrayList<>())).containsExactly(
                new Shares.AcquiredRange(0, 2, (short) 2));
    }

    @Test
    void aConsumerCannotCompleteRecordsItDoesNotHold() {
        SharePartition share = new SharePartition(0);
        share.acquire(alice, 3, 0, 3, new ArrayList<>());
        assertThatThrownBy(() -> share.acknowledge(bob, accept(0, 0), new ArrayList<>()))
                .isInstanceOf(BrokerException.class).hasMessageContaining("offset 0 is not held");
        assertThatThrownBy(() -> share.acknowledge(alice, List.of(new Shares.AckRange(0, 0, Shares.AckType.REJECT)),
                new ArrayList<>())).isInstanceOf(BrokerException.class).hasMessageContaining("dead-letter");
        assertThat(share.inFlightCount()).isEqualTo(3);
    }

    @Test
    void replayingThePersistedChangesRebuildsTheStateWithHeldRecordsAvailable() {
        SharePartition live = new SharePartition(0);
        List<SharePartition.Change> log = new ArrayList<>();
        List<Long> frontiers = new ArrayList<>();
        List<SharePartition.Change> step = new ArrayList<>();
        live.acquire(alice, 5, 0, 10, step);
        log.addAll(step);
        frontiers.add(live.nextOffset());
        step.clear();
        live.acknowledge(alice, accept(0, 1), step);
        live.acknowledge(alice, release(2, 2), step);
        log.addAll(step);

        SharePartition replayed = new SharePartition(0);
        log.forEach(replayed::apply);
        replayed.moveFrontier(frontiers.get(0));

        assertThat(replayed.startOffset()).isEqualTo(2);
        assertThat(replayed.nextOffset()).isEqualTo(5);
        assertThat(replayed.acquire(bob, 10, 0, 6, new ArrayList<>())).containsExactly(
                new Shares.AcquiredRange(2, 4, (short) 2), new Shares.AcquiredRange(5, 5, (short) 1));
    }

    @Test
    void acquisitionSkipsRecordsRetentionRemoved() {
        SharePartition share = new SharePartition(0);
        assertThat(share.acquire(alice, 3, 100, 110, new ArrayList<>())).containsExactly(
                new Shares.AcquiredRange(100, 102, (short) 1));
    }
}
