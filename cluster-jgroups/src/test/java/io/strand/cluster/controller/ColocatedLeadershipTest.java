package io.strand.cluster.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.cluster.metadata.PartitionState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Under colocated leadership one broker leads every partition it can, and leadership moves as a whole. */
class ColocatedLeadershipTest {
    private final ControllerHarness harness = new ControllerHarness(LeaderPlacement.COLOCATED);

    @BeforeEach
    void threeBrokersWithTopics() {
        harness.register(1, 11);
        harness.register(2, 12);
        harness.register(3, 13);
        harness.createTopic("$sharegroups", 1, 3, Map.of());
        harness.createTopic("orders", 4, 3, Map.of());
        harness.createTopic("audit", 2, 2, Map.of());
    }

    private List<PartitionState> partitions() {
        return harness.image().topics().values().stream().flatMap(t -> t.partitions().values().stream()).toList();
    }

    @Test
    void everyNewPartitionIsLedByTheSameBroker() {
        assertThat(partitions()).hasSize(7).allSatisfy(p -> assertThat(p.leader()).isEqualTo(1));
        assertThat(harness.partition("orders", 3).replicas()).containsExactly(1, 2, 3);
        assertThat(harness.partition("audit", 1).replicas()).hasSize(2).startsWith(1);
    }

    @Test
    void partitionsAddedToATopicAreLedByTheActiveBrokerToo() {
        harness.members(2, 3); // broker 2 is the active broker now
        harness.commit(harness.controller.createPartitions(harness.image(), "audit", 4));

        assertThat(harness.image().topic("audit").orElseThrow().partitionCount()).isEqualTo(4);
        for (int p = 2; p < 4; p++) {
            PartitionState added = harness.partition("audit", p);
            assertThat(added.leader()).isEqualTo(2);
            assertThat(added.replicas()).hasSize(2).containsExactlyInAnyOrder(2, 3);
            assertThat(added.isr()).isEqualTo(added.replicas());
            assertThat(added.leaderEpoch()).isZero();
        }
    }

    @Test
    void whenTheActiveBrokerLeavesOneBrokerTakesOverEveryPartition() {
        harness.members(2, 3);

        assertThat(partitions()).allSatisfy(p -> {
            assertThat(p.leader()).isEqualTo(2);
            assertThat(p.leaderEpoch()).isEqualTo(1);
            assertThat(p.isr()).doesNotContain(1);
        });
    }

    @Test
    void theNewActiveBrokerIsTheOneInTheMostInSyncReplicaSets() {
        harness.alterIsr("orders", 0, List.of(1, 3));
        harness.alterIsr("orders", 1, List.of(1, 3));
        harness.alterIsr("orders", 2, List.of(1, 3)); // broker 3 is now in five ISRs, broker 2 in four

        harness.members(2, 3);

        assertThat(partitions()).filteredOn(p -> p.replicas().contains(3))
                .allSatisfy(p -> assertThat(p.leader()).isEqualTo(3));
        // audit is not replicated to broker 3: it goes to its only other replica rather than wait
        assertThat(harness.partition("audit", 0).leader()).isEqualTo(2);
    }

    @Test
    void aPartitionOutOfSyncOnTheActiveBrokerMovesToItOnceItCatchesUp() {
        harness.alterIsr("orders", 2, List.of(1, 3)); // broker 2 falls behind on orders-2 only
        harness.members(2, 3);
        assertThat(harness.partition("orders", 2).leader()).isEqualTo(3);
        assertThat(harness.partition("orders", 0).leader()).isEqualTo(2);

        harness.alterIsr("orders", 2, List.of(3, 2)); // broker 2 caught up: leadership rejoins the active broker

        assertThat(harness.partition("orders", 2).leader()).isEqualTo(2);
        assertThat(partitions()).allSatisfy(p -> assertThat(p.leader()).isEqualTo(2));
    }

    @Test
    void aReturningBrokerDoesNotTakeLeadershipBack() {
        harness.members(2, 3);
        harness.register(1, 21);
        harness.members(1, 2, 3);
        harness.alterIsr("orders", 0, List.of(2, 3, 1));

        assertThat(partitions()).allSatisfy(p -> assertThat(p.leader()).isEqualTo(2));
        assertThat(harness.commit(harness.controller.rebalancePreferredLeaders(harness.image()))).isEmpty();
    }

    @Test
    void onlyTheBrokerThatLeadsEveryLedPartitionIsConfirmedActive() {
        harness.controller.confirmActive(harness.image(), 1);
        assertThatThrownBy(() -> harness.controller.confirmActive(harness.image(), 2))
                .isInstanceOf(ControllerException.class).hasMessageContaining("broker 1, not 2, leads");

        harness.members(2, 3);

        assertThatThrownBy(() -> harness.controller.confirmActive(harness.image(), 1))
                .hasMessageContaining("broker 1 is not live");
        harness.controller.confirmActive(harness.image(), 2);
    }

    @Test
    void aFollowerIsNotTakenBackIntoTheIsrForARunThatARestartReplaced() {
        harness.members(1, 2); // broker 3 dies and leaves every ISR
        harness.register(3, 23); // and comes back as another run, maybe with an empty disk
        PartitionState orders = harness.partition("orders", 0);
        AlterIsrRequest forTheOldRun = new AlterIsrRequest(1, "orders", 0, orders.leaderEpoch(),
                orders.partitionEpoch(), List.of(1, 2, 3), Map.of(3, 13L));

        assertThatThrownBy(() -> harness.controller.alterIsr(harness.image(), forTheOldRun))
                .isInstanceOf(ControllerException.class).hasMessageContaining("replaced by a restart");

        harness.commit(harness.controller.alterIsr(harness.image(), new AlterIsrRequest(1, "orders", 0,
                orders.leaderEpoch(), orders.partitionEpoch(), List.of(1, 2, 3), Map.of(3, 23L))));
        assertThat(harness.partition("orders", 0).isr()).containsExactlyInAnyOrder(1, 2, 3);
    }

    /** The controller runs on broker 1, which the first logs would otherwise be placed on. */
    @Test
    void theFirstActiveBrokerIsNotTheController() {
        ControllerHarness onBroker1 = new ControllerHarness(LeaderPlacement.COLOCATED, 1);
        onBroker1.register(1, 11);
        onBroker1.register(2, 12);
        onBroker1.register(3, 13);

        onBroker1.createTopic("$sharegroups", 1, 3, Map.of());
        onBroker1.createTopic("orders", 2, 3, Map.of());

        assertThat(onBroker1.image().topics().values()).flatExtracting(t -> t.partitions().values())
                .allSatisfy(p -> assertThat(((PartitionState) p).leader()).isEqualTo(2));
    }

    /** Three brokers with every log on all of them, led by broker 1, and the controller on broker 3. */
    private static ControllerHarness fullyReplicatedWithTheControllerOn3() {
        ControllerHarness onBroker3 = new ControllerHarness(LeaderPlacement.COLOCATED, 3);
        onBroker3.register(1, 11);
        onBroker3.register(2, 12);
        onBroker3.register(3, 13);
        onBroker3.createTopic("$sharegroups", 1, 3, Map.of());
        onBroker3.createTopic("orders", 2, 3, Map.of());
        return onBroker3;
    }

    @Test
    void whenTheActiveBrokerLeavesTheBrokerThatIsNotTheControllerTakesOver() {
        ControllerHarness onBroker2 = fullyReplicatedWithTheControllerOn3().controllerMovedTo(2);

        onBroker2.members(2, 3); // brokers 2 and 3 are in every ISR: broker 2 would win the tie

        assertThat(onBroker2.image().topics().values()).flatExtracting(t -> t.partitions().values())
                .allSatisfy(p -> assertThat(((PartitionState) p).leader()).isEqualTo(3));
        onBroker2.controller.confirmActive(onBroker2.image(), 3);
    }

    @Test
    void theControllerTakesOverWhenTheOtherBrokerIsInFewerInSyncReplicaSets() {
        ControllerHarness onBroker3 = fullyReplicatedWithTheControllerOn3();
        onBroker3.alterIsr("orders", 1, List.of(1, 3)); // broker 2 falls behind on orders-1

        onBroker3.members(2, 3);

        assertThat(onBroker3.image().topics().values()).flatExtracting(t -> t.partitions().values())
                .allSatisfy(p -> assertThat(((PartitionState) p).leader()).isEqualTo(3));
        onBroker3.controller.confirmActive(onBroker3.image(), 3);
    }

    /** Moving the active role would be a failover for every client; the controller landing on it is none. */
    @Test
    void theActiveBrokerKeepsItsRoleWhenTheControllerMovesOntoIt() {
        ControllerHarness onBroker1 = harness.controllerMovedTo(1); // broker 1 is the active broker

        onBroker1.members(1, 2); // broker 3 dies
        onBroker1.register(3, 23);
        onBroker1.members(1, 2, 3);
        onBroker1.alterIsr("orders", 0, List.of(1, 2, 3));
        onBroker1.createTopic("payments", 1, 3, Map.of());

        assertThat(onBroker1.image().topics().values()).flatExtracting(t -> t.partitions().values())
                .allSatisfy(p -> assertThat(((PartitionState) p).leader()).isEqualTo(1));
        assertThat(onBroker1.commit(onBroker1.controller.rebalancePreferredLeaders(onBroker1.image()))).isEmpty();
    }

    @Test
    void theActiveRoleMovesToABrokerInSyncForEveryPartitionItHolds() {
        PartitionState before = harness.partition("orders", 0);

        harness.commit(harness.controller.moveActive(harness.image(), 2));

        assertThat(partitions()).filteredOn(p -> p.replicas().contains(2)).allSatisfy(p -> {
            assertThat(p.leader()).isEqualTo(2);
            assertThat(p.leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
            assertThat(p.isr()).contains(1, 2); // the broker that had the role follows, still in sync
        });
        assertThat(partitions()).filteredOn(p -> !p.replicas().contains(2))
                .allSatisfy(p -> assertThat(p.leader()).isEqualTo(1));
        assertThat(ClusterController.activeBrokerOf(harness.image())).isEqualTo(2);
        assertThat(harness.controller.moveActive(harness.image(), 2)).as("already active: nothing to change").isEmpty();
    }

    @Test
    void theActiveRoleDoesNotMoveToABrokerOutOfSyncOrGone() {
        harness.alterIsr("orders", 3, List.of(1, 3));

        assertThatThrownBy(() -> harness.controller.moveActive(harness.image(), 2))
                .isInstanceOf(ControllerException.class).hasMessageContaining("broker 2 is not in sync for 1 partition")
                .hasMessageContaining("orders-3");
        assertThatThrownBy(() -> harness.controller.moveActive(harness.image(), 7))
                .isInstanceOf(ControllerException.class).hasMessageContaining("broker 7 is not a registered broker");
        harness.members(1, 2);
        assertThatThrownBy(() -> harness.controller.moveActive(harness.image(), 3))
                .isInstanceOf(ControllerException.class).hasMessageContaining("broker 3 is not live");
        assertThat(partitions()).allSatisfy(p -> assertThat(p.leader()).isEqualTo(1));
    }

    @Test
    void spreadLeadersHaveNoActiveBrokerToMove() {
        ControllerHarness spread = new ControllerHarness(LeaderPlacement.SPREAD);
        spread.register(1, 11);
        spread.register(2, 12);

        assertThatThrownBy(() -> spread.controller.moveActive(spread.image(), 2))
                .isInstanceOf(ControllerException.class).hasMessageContaining("no active broker to move");
    }
}
