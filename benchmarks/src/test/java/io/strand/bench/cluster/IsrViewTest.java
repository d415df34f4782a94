package io.strand.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class IsrViewTest {
    private static final long SETTLE = 1_000;
    private static final Set<Integer> ALL = Set.of(1, 2, 3);

    @Test
    void aPartitionLedWithEveryBrokerInSyncIsInSyncOnceSettled() {
        IsrView view = new IsrView();
        view.accept(0, "12:00:00.000 [strand-replication-2] INFO io.strand.broker.ReplicaManager - Broker 2 leads "
                + "q$orders-0 in epoch 0 (ISR [1, 2, 3], log end 0)");
        assertThat(view.partitions()).isEqualTo(1);
        assertThat(view.allInSync(ALL, 1, 500, SETTLE)).as("not settled yet").isFalse();
        assertThat(view.allInSync(ALL, 1, 1_000, SETTLE)).isTrue();
        assertThat(view.allInSync(ALL, 2, 1_000, SETTLE)).as("fewer partitions than expected").isFalse();
    }

    @Test
    void anIsrExpansionCountsUnlessRefused() {
        IsrView view = new IsrView();
        view.accept(0, "Broker 2 leads $xa-0 in epoch 1 (ISR [2, 3], log end 1)");
        assertThat(view.allInSync(ALL, 1, 5_000, SETTLE)).isFalse();
        assertThat(view.laggingPartitions(ALL)).isEqualTo(1);
        view.accept(6_000, "Broker 2 asks to change the ISR of $xa-0 to [1, 2, 3]");
        assertThat(view.allInSync(ALL, 1, 7_000, SETTLE)).isTrue();
        view.accept(7_100, "The ISR change of $xa-0 was refused: stale partition epoch");
        assertThat(view.allInSync(ALL, 1, 9_000, SETTLE)).isFalse();
        view.accept(9_100, "Broker 2 asks to change the ISR of $xa-0 to [1, 2, 3]");
        assertThat(view.allInSync(ALL, 1, 10_100, SETTLE)).isTrue();
    }

    @Test
    void aShrunkIsrIsNotInSync() {
        IsrView view = new IsrView();
        view.accept(0, "Broker 1 leads q$a-0 in epoch 0 (ISR [1, 2, 3], log end 0)");
        view.accept(10, "Broker 1 asks to change the ISR of q$a-0 to [1, 3]");
        assertThat(view.allInSync(ALL, 1, 10_000, SETTLE)).isFalse();
        assertThat(view.allInSync(Set.of(1, 3), 1, 10_000, SETTLE)).isTrue();
        view.accept(20, "Broker 1 follows q$b-0 from broker 2 in epoch 0 (log end 0)");
        assertThat(view.partitions()).as("other lines are ignored").isEqualTo(1);
    }
}
