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
        assertThat(view.allInSync(ALL, 1, 0, 500, SETTLE)).as("not settled yet").isFalse();
        assertThat(view.allInSync(ALL, 1, 0, 1_000, SETTLE)).isTrue();
        assertThat(view.allInSync(ALL, 2, 0, 1_000, SETTLE)).as("fewer partitions than expected").isFalse();
        assertThat(view.allInSync(ALL, 1, 1, 5_000, SETTLE)).as("stated before the restart").isFalse();
    }

    @Test
    void anIsrExpansionCountsUnlessRefused() {
        IsrView view = new IsrView();
        view.accept(0, "Broker 2 leads $xa-0 in epoch 1 (ISR [2, 3], log end 1)");
        assertThat(view.allInSync(ALL, 1, 0, 5_000, SETTLE)).isFalse();
        assertThat(view.laggingPartitions(ALL)).isEqualTo(1);
        view.accept(6_000, "Broker 2 asks to change the ISR of $xa-0 to [1, 2, 3]");
        assertThat(view.allInSync(ALL, 1, 0, 7_000, SETTLE)).isTrue();
        view.accept(7_100, "The ISR change of $xa-0 was refused: no controller answered within 15000 ms");
        assertThat(view.allInSync(ALL, 1, 0, 9_000, SETTLE)).isFalse();
        assertThat(view.allInSync(ALL, 1, 0, 7_100 + 5_000_000_000L, SETTLE))
                .as("not asked again: the controller made the change anyway").isTrue();
        view.accept(9_100, "Broker 2 asks to change the ISR of $xa-0 to [1, 2, 3]");
        assertThat(view.allInSync(ALL, 1, 0, 10_100, SETTLE)).isTrue();
        view.accept(10_200, "The ISR change of $xa-0 was refused: STALE_PARTITION_EPOCH: request for $xa-0 was made "
                + "against partition epoch 1, the current one is 2");
        assertThat(view.allInSync(ALL, 1, 0, 10_300, SETTLE)).as("an overtaken request takes nothing back").isTrue();
    }

    @Test
    void aRequestForManyPartitionsAndItsRefusalsAreReadPerPartition() {
        IsrView view = new IsrView();
        view.accept(0, "Broker 2 leads $xa-0 in epoch 1 (ISR [2, 3], log end 1)");
        view.accept(0, "Broker 2 leads q$a-0 in epoch 1 (ISR [2, 3], log end 7)");
        view.accept(6_000, "12:00:06.000 [strand-replication-2] INFO io.strand.broker.ReplicaManager - Broker 2 asks to"
                + " change the ISR of 2 partition(s): q$a-0 [1, 2, 3], $xa-0 [1, 2, 3]");
        assertThat(view.allInSync(Set.of(1, 2, 3), 2, 0, 6_000, 0)).isTrue();

        view.accept(7_000, "Broker 2: the controller refused the ISR change of 1 partition(s): $xa-0 INVALID_ISR: isr"
                + " [1, 2, 3] of $xa-0 adds broker 1, which is fenced");
        assertThat(view.allInSync(Set.of(1, 2, 3), 2, 0, 7_000, 0)).as("one refused").isFalse();
        assertThat(view.allInSync(name -> name.startsWith("q$"), Set.of(1, 2, 3), 1, 0, 7_000, 0)).isTrue();
        view.accept(7_100, "Broker 1 follows q$b-0 from broker 2 in epoch 0 (log end 0)");
        assertThat(view.partitions()).as("other lines are ignored").isEqualTo(2);
    }

    @Test
    void anIsrTheControllerShrankWhenItFencedABrokerIsReadFromTheLeadersLine() {
        IsrView view = new IsrView();
        view.accept(0, "Broker 2 leads $xa-0 in epoch 1 (ISR [1, 2, 3], log end 1)");
        view.accept(0, "Broker 2 leads q$a-0 in epoch 1 (ISR [1, 2, 3], log end 7)");
        view.accept(3_000, "Broker 2 leads 2 partition(s) with a new ISR: $xa-0 [2, 3], q$a-0 [2, 3]");
        assertThat(view.allInSync(Set.of(2, 3), 2, 1_000, 3_000, 0)).isTrue();
    }
}
