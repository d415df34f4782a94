package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.ErrorCode;
import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expired acquisition locks in one share partition: the records go back with their delivery counts,
 * and the consumer that lost them may still accept what nobody else took, but changes nothing else.
 */
class AcquisitionLockTest {
    private final Object alice = "alice";
    private final Object bob = "bob";

    private static boolean acknowledge(SharePartition share, Object owner, long first, long last, Shares.AckType type) {
        return share.acknowledge(owner, List.of(new Shares.AckRange(first, last, type)), new ArrayList<>(),
                new ArrayList<>());
    }

    private static SharePartition heldByAlice(Object alice, int records) {
        SharePartition share = new SharePartition(0);
        for (long offset = 0; offset < records; offset++) {
            share.acquire(alice, offset, null, new ArrayList<>());
        }
        return share;
    }

    @Test
    void expiredRecordsBecomeAvailableWithTheirDeliveryCounts() {
        SharePartition share = heldByAlice(alice, 3);
        assertThat(share.oldestAcquisitionMs(alice)).isLessThanOrEqualTo(System.currentTimeMillis());

        assertThat(share.expireLocks(alice, Long.MAX_VALUE)).isEqualTo(3);

        assertThat(share.isAvailable(0)).isTrue();
        assertThat(share.returnedOffsets(10)).containsExactly(0L, 1L, 2L);
        assertThat(share.oldestAcquisitionMs(alice)).isEqualTo(Long.MAX_VALUE);
        assertThat(share.acquire(bob, 1, null, new ArrayList<>())).as("the next delivery is the second").isEqualTo(2);
    }

    @Test
    void onlyRecordsAcquiredBeforeTheCutOffExpire() {
        SharePartition share = heldByAlice(alice, 1);
        long acquiredAt = share.oldestAcquisitionMs(alice);

        assertThat(share.expireLocks(alice, acquiredAt - 1)).isZero();
        assertThat(share.expireLocks(bob, Long.MAX_VALUE)).as("another consumer's records are not touched").isZero();
        assertThat(share.isAvailable(0)).isFalse();
    }

    @Test
    void theFormerHolderMayStillAcceptARecordNobodyTookMeanwhile() {
        SharePartition share = heldByAlice(alice, 2);
        share.expireLocks(alice, Long.MAX_VALUE);

        acknowledge(share, alice, 0, 1, Shares.AckType.ACCEPT);

        assertThat(share.startOffset()).isEqualTo(2);
        assertThat(share.inFlightCount()).isZero();
        assertThat(share.returnedOffsets(10)).isEmpty();
    }

    @Test
    void theFormerHoldersOutcomesDoNotTouchARecordAnotherConsumerNowHolds() {
        SharePartition share = heldByAlice(alice, 1);
        share.expireLocks(alice, Long.MAX_VALUE);
        share.acquire(bob, 0, null, new ArrayList<>());

        acknowledge(share, alice, 0, 0, Shares.AckType.ACCEPT);
        acknowledge(share, alice, 0, 0, Shares.AckType.REJECT);
        assertThat(share.isAvailable(0)).as("still bob's").isFalse();
        assertThat(share.deliveryCount(0)).isEqualTo(2);

        acknowledge(share, bob, 0, 0, Shares.AckType.ACCEPT);
        assertThat(share.startOffset()).isEqualTo(1);
    }

    @Test
    void aReleaseAfterTheLockExpiredChangesNothing() {
        SharePartition share = heldByAlice(alice, 1);
        share.expireLocks(alice, Long.MAX_VALUE);

        assertThat(acknowledge(share, alice, 0, 0, Shares.AckType.RELEASE)).isFalse();
        assertThat(share.isAvailable(0)).isTrue();
        assertThat(share.deliveryCount(0)).isEqualTo(1);
    }

    @Test
    void aConsumerThatNeverHeldARecordIsStillRefused() {
        SharePartition share = heldByAlice(alice, 1);
        share.expireLocks(alice, Long.MAX_VALUE);

        assertThatThrownBy(() -> acknowledge(share, bob, 0, 0, Shares.AckType.ACCEPT))
                .isInstanceOfSatisfying(BrokerException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("offset 0");
    }
}
