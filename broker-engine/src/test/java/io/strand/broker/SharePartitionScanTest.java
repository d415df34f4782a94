package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-lookup question scans ask of every record agrees with the two questions it stands for. */
class SharePartitionScanTest {
    private final Object alice = "alice";

    @Test
    void availableDeliveryCountIsTheDeliveryCountOfAnAvailableRecordAndMinusOneOtherwise() {
        SharePartition share = new SharePartition(0);
        List<SharePartition.Change> changes = new ArrayList<>();
        for (long offset = 0; offset < 40; offset += 3) {
            share.acquire(alice, offset, null, changes); // held: 0, 3, 6, ...
        }
        share.acknowledge(alice, List.of(new Shares.AckRange(0, 0, Shares.AckType.ACCEPT),
                new Shares.AckRange(9, 9, Shares.AckType.ACCEPT)), changes, new ArrayList<>()); // done: 0, 9
        share.acknowledge(alice, List.of(new Shares.AckRange(12, 12, Shares.AckType.RELEASE)), changes,
                new ArrayList<>()); // 12 available again, delivered once
        share.delay(20, Long.MAX_VALUE); // waits for its delivery time

        for (long offset = 0; offset < 50; offset++) {
            int expected = share.isAvailable(offset) ? share.deliveryCount(offset) : -1;
            assertThat(share.availableDeliveryCount(offset)).as("offset %d", offset).isEqualTo(expected);
        }
        assertThat(share.availableDeliveryCount(12)).isEqualTo(1);
        assertThat(share.availableDeliveryCount(13)).isZero();
        assertThat(share.availableDeliveryCount(3)).isEqualTo(-1);
        assertThat(share.availableDeliveryCount(20)).isEqualTo(-1);
        assertThat(share.availableDeliveryCount(9)).isEqualTo(-1);
    }
}
