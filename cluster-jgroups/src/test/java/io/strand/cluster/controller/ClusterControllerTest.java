package io.strand.cluster.controller;

import static io.strand.cluster.controller.ControllerHarness.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.cluster.metadata.FenceBroker;
import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.PartitionState;
import io.strand.cluster.metadata.RegisterBroker;
import io.strand.cluster.metadata.TopicMetadata;
import io.strand.cluster.metadata.UnfenceBroker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterControllerTest {
    private final ControllerHarness cluster = new ControllerHarness();

    @BeforeEach
    void threeBrokers() {
        cluster.register(1, 11);
        cluster.register(2, 12);
        cluster.register(3, 13);
    }

    private PartitionState orders0() {
        return cluster.partition("orders", 0);
    }

    /** A topic whose partition 0 is led by 1 with replicas [1, 2, 3], placed explicitly for clarity. */
    private void ordersLedByOne(Map<String, String> config) {
        cluster.createTopic("orders", 1, 3, config);
        cluster.commit(cluster.controller.reassignPartition(cluster.image(), "orders", 0, List.of(1, 2, 3)));
        if (orders0().leader() != 1) {
            cluster.alterIsr("orders", 0, orders0().isr()); // completes the move: nothing to catch up
        }
        assertThat(orders0().replicas()).containsExactly(1, 2, 3);
        assertThat(orders0().leader()).isEqualTo(1);
    }

    @Test
    void shouldRegisterANewBrokerAsLive() {
        assertThat(cluster.image().liveBrokerIds()).containsExactly(1, 2, 3);
        assertThat(cluster.register(4, 14)).containsExactly(new RegisterBroker(4, 14,
                registration(4, 14, null).endpoints(), registration(4, 14, null).rack()));
    }

    @Test
    void shouldRefuseABrokerOfAnotherCluster() {
        BrokerRegistrationRequest foreign = new BrokerRegistrationRequest("other", 4, 1,
                registration(4, 1, null).endpoints(), registration(4, 1, null).rack());

        assertThatThrownBy(() -> cluster.controller.registerBroker(cluster.image(), foreign))
                .isInstanceOf(ControllerException.class)
                .hasMessageContaining("broker 4 belongs to cluster 'other', this is cluster 'test-cluster'")
                .extracting(e -> ((ControllerException) e).error()).isEqualTo(ControllerError.INVALID_CLUSTER_ID);
    }

    @Test
    void shouldRefuseASecondLiveProcessWithTheSameId() {
        assertThatThrownBy(() -> cluster.register(2, 99))
                .isInstanceOf(ControllerException.class)
                .hasMessageContaining("broker id 2 is held by a live process (incarnation 12), refusing incarnation 99")
                .extracting(e -> ((ControllerException) e).error()).isEqualTo(ControllerError.DUPLICATE_BROKER_ID);
    }

    @Test
    void registeringTheSameLiveProcessAgainChangesNothing() {
        assertThat(cluster.register(2, 12)).isEmpty();
    }

    @Test
    void aRestartedBrokerReplacesItsFencedRegistration() {
        cluster.members(1, 3);
        assertThat(cluster.image().isLive(2)).isFalse();

        assertThat(cluster.register(2, 22)).first().isInstanceOf(RegisterBroker.class);
        assertThat(cluster.image().broker(2).orElseThrow().incarnation()).isEqualTo(22);
        assertThat(cluster.image().isLive(2)).isTrue();
    }

    @Test
    void theSameProcessIsUnfencedWhenItsMembershipHeals() {
        cluster.members(1, 3);

        assertThat(cluster.register(2, 12)).first().isEqualTo(new UnfenceBroker(2));
        assertThat(cluster.image().isLive(2)).isTrue();
    }

    @Test
    void shouldPlaceReplicasRoundRobinOnDistinctBrokers() {
        cluster.createTopic("orders", 6, 2, Map.of());

        TopicMetadata topic = cluster.image().topic("orders").orElseThrow();
        int[] leaders = new int[4];
        for (PartitionState partition : topic.partitions().values()) {
            assertThat(partition.replicas()).hasSize(2).doesNotHaveDuplicates();
            assertThat(partition.isr()).isEqualTo(partition.replicas());
            assertThat(partition.leader()).isEqualTo(partition.replicas().get(0));
            assertThat(partition.leaderEpoch()).isZero();
            leaders[partition.leader()]++;
        }
        assertThat(leaders).containsExactly(0, 2, 2, 2);
    }

    @Test
    void shouldPutTheReplicasOfAPartitionOnDistinctRacks() {
        ControllerHarness racked = new ControllerHarness();
        racked.register(1, 1, "a");
        racked.register(2, 2, "a");
        racked.register(3, 3, "b");
        racked.register(4, 4, "b");
        racked.register(5, 5, "c");
        racked.register(6, 6, "c");
        racked.createTopic("orders", 12, 3, Map.of());

        for (PartitionState partition : racked.image().topic("orders").orElseThrow().partitions().values()) {
            assertThat(partition.replicas().stream()
                    .map(id -> racked.image().broker(id).orElseThrow().rack().orElseThrow()).distinct())
                    .as("racks of %s", partition.replicas()).hasSize(3);
        }
    }

    @Test
    void racksRepeatOnlyWhenThereAreFewerRacksThanReplicas() {
        ControllerHarness racked = new ControllerHarness();
        racked.register(1, 1, "a");
        racked.register(2, 2, "a");
        racked.register(3, 3, "b");
        racked.createTopic("orders", 3, 3, Map.of());

        for (PartitionState partition : racked.image().topic("orders").orElseThrow().partitions().values()) {
            assertThat(partition.replicas()).containsExactlyInAnyOrder(1, 2, 3);
            List<String> racks = partition.replicas().stream()
                    .map(id -> racked.image().broker(id).orElseThrow().rack().orElseThrow()).toList();
            assertThat(racks.subList(0, 2)).doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldRefuseTopicsItCannotPlace() {
        cluster.createTopic("orders", 1, 1, Map.of());

        assertThatThrownBy(() -> cluster.createTopic("orders", 1, 1, Map.of()))
                .hasMessageContaining("TOPIC_ALREADY_EXISTS: topic orders already exists");
        assertThatThrownBy(() -> cluster.createTopic("big", 1, 4, Map.of()))
                .hasMessageContaining("replicationFactor=4 for topic big must be 1 to the 3 live brokers");
        assertThatThrownBy(() -> cluster.createTopic("none", 0, 1, Map.of()))
                .hasMessageContaining("INVALID_PARTITIONS");
        assertThatThrownBy(() -> cluster.createTopic("", 1, 1, Map.of()))
                .hasMessageContaining("INVALID_REQUEST");
    }

    @Test
    void aLeaderThatLeavesIsReplacedFromTheIsrWithNewEpochs() {
        ordersLedByOne(Map.of());
        PartitionState before = orders0();

        List<?> records = cluster.members(2, 3);

        assertThat(records).first().isEqualTo(new FenceBroker(1));
        PartitionState after = orders0();
        assertThat(after.leader()).isEqualTo(2);
        assertThat(after.isr()).containsExactly(2, 3);
        assertThat(after.leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
        assertThat(after.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);
    }

    @Test
    void aFollowerThatLeavesLeavesTheIsrButTheLeaderStays() {
        ordersLedByOne(Map.of());
        PartitionState before = orders0();

        cluster.members(1, 2);

        assertThat(orders0().leader()).isEqualTo(1);
        assertThat(orders0().isr()).containsExactly(1, 2);
        assertThat(orders0().leaderEpoch()).isEqualTo(before.leaderEpoch());
        assertThat(orders0().partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);
    }

    @Test
    void withNoLiveInSyncReplicaThePartitionHasNoLeaderAndAnOutOfSyncReplicaIsNotElected() {
        ordersLedByOne(Map.of());
        cluster.alterIsr("orders", 0, List.of(1));

        cluster.members(2, 3);

        assertThat(orders0().leader()).isEqualTo(PartitionChange.NO_LEADER);
        assertThat(orders0().isr()).containsExactly(1);
    }

    @Test
    void theLastInSyncReplicaLeadsAgainWhenItReturns() {
        ordersLedByOne(Map.of());
        cluster.alterIsr("orders", 0, List.of(1));
        cluster.members(2, 3);
        int epoch = orders0().leaderEpoch();

        cluster.register(1, 21);

        assertThat(orders0().leader()).isEqualTo(1);
        assertThat(orders0().leaderEpoch()).isEqualTo(epoch + 1);
    }

    @Test
    void uncleanElectionPicksALiveOutOfSyncReplicaOnlyWhenTheTopicAllowsIt() {
        ordersLedByOne(Map.of(TopicMetadata.UNCLEAN_LEADER_ELECTION, "true"));
        cluster.alterIsr("orders", 0, List.of(1));

        cluster.members(2, 3);

        assertThat(orders0().leader()).isEqualTo(2);
        assertThat(orders0().isr()).containsExactly(2);
    }

    @Test
    void shouldCommitAShrinkAndAnExpandAgainstThePartitionEpoch() {
        ordersLedByOne(Map.of());
        int epoch = orders0().partitionEpoch();

        cluster.alterIsr("orders", 0, List.of(1, 3));
        assertThat(orders0().isr()).containsExactly(1, 3);
        assertThat(orders0().partitionEpoch()).isEqualTo(epoch + 1);

        cluster.alterIsr("orders", 0, List.of(3, 1, 2));
        assertThat(orders0().isr()).containsExactly(1, 2, 3);
        assertThat(orders0().partitionEpoch()).isEqualTo(epoch + 2);
    }

    @Test
    void isrChangesAskedTogetherAreDecidedOneByOneAndCommittedAsOneBatch() {
        cluster.createTopic("wide", 3, 3, Map.of());
        PartitionState p0 = cluster.partition("wide", 0);
        PartitionState p1 = cluster.partition("wide", 1);
        PartitionState p2 = cluster.partition("wide", 2);
        List<AlterIsrRequest> requests = List.of(withoutOneFollower(p0),
                new AlterIsrRequest(p1.leader(), "wide", 1, p1.leaderEpoch(), p1.partitionEpoch() + 1,
                        withoutOneFollower(p1).newIsr()),
                withoutOneFollower(p2),
                withoutOneFollower(p0));

        AlterIsrDecision decision = cluster.controller.alterIsr(cluster.image(), requests);

        assertThat(decision.refusals()).containsOnlyKeys(1, 3);
        assertThat(decision.refusals().values()).extracting(ControllerException::error)
                .containsOnly(ControllerError.STALE_PARTITION_EPOCH);
        assertThat(decision.refusals().get(3)).hasMessageContaining("same batch");
        assertThat(decision.records()).hasSize(2);
        cluster.commit(decision.records());
        assertThat(cluster.partition("wide", 0).isr()).hasSize(2);
        assertThat(cluster.partition("wide", 1)).isEqualTo(p1);
        assertThat(cluster.partition("wide", 2).isr()).hasSize(2);
    }

    private static AlterIsrRequest withoutOneFollower(PartitionState state) {
        int follower = state.isr().stream().filter(id -> id != state.leader()).findFirst().orElseThrow();
        return new AlterIsrRequest(state.leader(), state.topic(), state.partition(), state.leaderEpoch(),
                state.partitionEpoch(), state.isr().stream().filter(id -> id != follower).toList());
    }

    @Test
    void shouldRefuseAnIsrChangeMadeAgainstAnOlderPartitionEpoch() {
        ordersLedByOne(Map.of());
        PartitionState old = orders0();
        cluster.alterIsr("orders", 0, List.of(1, 2));

        AlterIsrRequest stale = new AlterIsrRequest(1, "orders", 0, old.leaderEpoch(), old.partitionEpoch(),
                List.of(1));

        assertThatThrownBy(() -> cluster.controller.alterIsr(cluster.image(), stale))
                .isInstanceOf(ControllerException.class)
                .hasMessageContaining("STALE_PARTITION_EPOCH: request for orders-0 was made against partition epoch");
    }

    @Test
    void shouldRefuseAnIsrChangeFromADeposedLeader() {
        ordersLedByOne(Map.of());
        PartitionState old = orders0();
        cluster.members(2, 3);
        cluster.register(1, 31);

        AlterIsrRequest deposed = new AlterIsrRequest(1, "orders", 0, old.leaderEpoch(), orders0().partitionEpoch(),
                List.of(1, 2));

        assertThatThrownBy(() -> cluster.controller.alterIsr(cluster.image(), deposed))
                .hasMessageContaining("NOT_LEADER_OR_FENCED: broker 1 does not lead orders-0");
    }

    @Test
    void shouldRefuseAnIsrThatBreaksTheRules() {
        ordersLedByOne(Map.of());
        cluster.alterIsr("orders", 0, List.of(1, 2));
        cluster.members(1, 2);

        assertThatThrownBy(() -> cluster.alterIsr("orders", 0, List.of(2)))
                .hasMessageContaining("leaves out its leader 1");
        assertThatThrownBy(() -> cluster.alterIsr("orders", 0, List.of(1, 4)))
                .hasMessageContaining("names broker 4, which is not one of its replicas");
        assertThatThrownBy(() -> cluster.alterIsr("orders", 0, List.of(1, 3)))
                .hasMessageContaining("adds broker 3, which is fenced");
        assertThatThrownBy(() -> cluster.alterIsr("orders", 0, List.of(1, 1)))
                .hasMessageContaining("repeats a broker");
    }

    @Test
    void thePreferredLeaderTakesOverOnceItIsBackInSync() {
        ordersLedByOne(Map.of());
        cluster.members(2, 3);
        assertThat(orders0().leader()).isEqualTo(2);

        cluster.register(1, 41);
        assertThat(orders0().leader()).as("not in sync yet").isEqualTo(2);

        int epoch = orders0().leaderEpoch();
        cluster.alterIsr("orders", 0, List.of(2, 3, 1));

        assertThat(orders0().leader()).isEqualTo(1);
        assertThat(orders0().isr()).containsExactly(1, 2, 3);
        assertThat(orders0().leaderEpoch()).isEqualTo(epoch + 1);
    }

    @Test
    void rebalancingMovesOnlyPartitionsWhosePreferredLeaderIsLiveAndInSync() {
        ordersLedByOne(Map.of());
        cluster.commit(List.of(new PartitionChange("orders", 0, 2, orders0().leaderEpoch() + 1, List.of(1, 2, 3),
                List.of(1, 2, 3), orders0().partitionEpoch() + 1, List.of())));

        cluster.commit(cluster.controller.rebalancePreferredLeaders(cluster.image()));

        assertThat(orders0().leader()).isEqualTo(1);
        assertThat(cluster.controller.rebalancePreferredLeaders(cluster.image())).isEmpty();
    }

    @Test
    void aReassignmentAddsTheNewReplicasAndDropsTheOldOnesOnceTheyCaughtUp() {
        ordersLedByOne(Map.of());
        cluster.register(4, 14);

        cluster.commit(cluster.controller.reassignPartition(cluster.image(), "orders", 0, List.of(4, 2, 3)));
        assertThat(orders0().replicas()).containsExactly(4, 2, 3, 1);
        assertThat(orders0().targetReplicas()).containsExactly(4, 2, 3);
        assertThat(orders0().leader()).isEqualTo(1);

        cluster.alterIsr("orders", 0, List.of(1, 2, 3, 4));

        assertThat(orders0().replicas()).containsExactly(4, 2, 3);
        assertThat(orders0().targetReplicas()).isEmpty();
        assertThat(orders0().isr()).containsExactly(4, 2, 3);
        assertThat(orders0().leader()).isEqualTo(4);
    }

    @Test
    void shouldRefuseABadReassignment() {
        ordersLedByOne(Map.of());

        assertThatThrownBy(() -> cluster.controller.reassignPartition(cluster.image(), "orders", 0, List.of(1, 9)))
                .hasMessageContaining("target replica 9 of orders-0 is not a registered broker");
        assertThatThrownBy(() -> cluster.controller.reassignPartition(cluster.image(), "orders", 0, List.of()))
                .hasMessageContaining("INVALID_REPLICA_ASSIGNMENT");
        assertThatThrownBy(() -> cluster.controller.reassignPartition(cluster.image(), "orders", 5, List.of(1)))
                .hasMessageContaining("UNKNOWN_TOPIC_OR_PARTITION: partition orders-5 does not exist");
        cluster.register(4, 14);
        cluster.commit(cluster.controller.reassignPartition(cluster.image(), "orders", 0, List.of(4)));
        assertThatThrownBy(() -> cluster.controller.reassignPartition(cluster.image(), "orders", 0, List.of(2)))
                .hasMessageContaining("REASSIGNMENT_IN_PROGRESS");
    }

    @Test
    void partitionsAreAddedWhereATopicsNextPartitionsWouldGoAndOnlyAdded() {
        cluster.createTopic("orders", 2, 2, Map.of());
        cluster.commit(cluster.controller.createPartitions(cluster.image(), "orders", 5));

        TopicMetadata orders = cluster.image().topic("orders").orElseThrow();
        assertThat(orders.partitionCount()).isEqualTo(5);
        assertThat(orders.partitions().values()).hasSize(5).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(2).doesNotHaveDuplicates();
            assertThat(p.leader()).isEqualTo(p.replicas().get(0));
        });
        ControllerHarness created = new ControllerHarness();
        created.register(1, 11);
        created.register(2, 12);
        created.register(3, 13);
        created.createTopic("orders", 5, 2, Map.of());
        assertThat(orders.partitions()).as("placed as a topic created with five partitions would be")
                .isEqualTo(created.image().topic("orders").orElseThrow().partitions());

        assertThatThrownBy(() -> cluster.controller.createPartitions(cluster.image(), "orders", 5))
                .isInstanceOf(ControllerException.class)
                .hasMessageContaining("topic orders has 5 partitions; partitions are only added, so 5 is not a new count")
                .extracting(e -> ((ControllerException) e).error()).isEqualTo(ControllerError.INVALID_PARTITIONS);
        assertThatThrownBy(() -> cluster.controller.createPartitions(cluster.image(), "missing", 3))
                .extracting(e -> ((ControllerException) e).error())
                .isEqualTo(ControllerError.UNKNOWN_TOPIC_OR_PARTITION);
        cluster.members(1);
        assertThatThrownBy(() -> cluster.controller.createPartitions(cluster.image(), "orders", 6))
                .hasMessageContaining("have 2 replicas but only 1 brokers are live")
                .extracting(e -> ((ControllerException) e).error())
                .isEqualTo(ControllerError.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void shouldDeleteATopicThatExistsOnly() {
        cluster.createTopic("orders", 2, 2, Map.of());
        cluster.commit(cluster.controller.deleteTopic(cluster.image(), "orders"));

        assertThat(cluster.image().topics()).isEmpty();
        assertThatThrownBy(() -> cluster.controller.deleteTopic(cluster.image(), "orders"))
                .hasMessageContaining("UNKNOWN_TOPIC_OR_PARTITION: topic orders does not exist");
    }

    @Test
    void aTopicsMinInsyncReplicasIsAWholeNumberFromOneToItsReplicationFactor() {
        cluster.createTopic("orders", 2, 2, Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "2"));
        assertThat(cluster.image().topic("orders").orElseThrow().minInsyncReplicas()).hasValue(2);

        assertThatThrownBy(() -> cluster.createTopic("strict", 1, 2, Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "3")))
                .hasMessageContaining("INVALID_CONFIG: min.insync.replicas=3 of topic strict must be 1 to its "
                        + "replication factor 2");
        assertThatThrownBy(() -> cluster.createTopic("none", 1, 2, Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "0")))
                .hasMessageContaining("min.insync.replicas=0 of topic none must be 1 to");
        assertThatThrownBy(() -> cluster.createTopic("word", 1, 2, Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "two")))
                .hasMessageContaining("min.insync.replicas='two' of topic word is not a whole number");
        assertThat(cluster.image().topic("strict")).isEmpty();
    }

    @Test
    void alteringATopicsConfigSetsTheGivenSettingsAndKeepsTheOthersAndThePartitions() {
        cluster.createTopic("orders", 2, 3, Map.of(TopicMetadata.UNCLEAN_LEADER_ELECTION, "true"));
        Map<Integer, PartitionState> partitions = cluster.image().topic("orders").orElseThrow().partitions();

        cluster.commit(cluster.controller.alterTopicConfig(cluster.image(), "orders",
                Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "3")));

        TopicMetadata altered = cluster.image().topic("orders").orElseThrow();
        assertThat(altered.config()).containsEntry(TopicMetadata.MIN_INSYNC_REPLICAS, "3")
                .containsEntry(TopicMetadata.UNCLEAN_LEADER_ELECTION, "true");
        assertThat(altered.partitions()).isEqualTo(partitions);
        assertThat(cluster.controller.alterTopicConfig(cluster.image(), "orders",
                Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "3"))).as("already so").isEmpty();
        assertThatThrownBy(() -> cluster.controller.alterTopicConfig(cluster.image(), "orders",
                Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "4")))
                .hasMessageContaining("INVALID_CONFIG: min.insync.replicas=4 of topic orders must be 1 to its "
                        + "replication factor 3");
        assertThatThrownBy(() -> cluster.controller.alterTopicConfig(cluster.image(), "missing",
                Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "1")))
                .hasMessageContaining("UNKNOWN_TOPIC_OR_PARTITION: topic missing does not exist");
    }

    @Test
    void aTopicsReplicationFactorFollowsItsPartitionsToTheBrokersTheyMoveTo() {
        ordersLedByOne(Map.of());
        assertThat(cluster.image().topic("orders").orElseThrow().currentReplicationFactor()).isEqualTo(3);

        cluster.commit(cluster.controller.reassignPartition(cluster.image(), "orders", 0, List.of(1, 2)));

        TopicMetadata moved = cluster.image().topic("orders").orElseThrow();
        assertThat(moved.currentReplicationFactor()).isEqualTo(2);
        assertThat(moved.replicationFactor()).as("as created").isEqualTo(3);
        assertThatThrownBy(() -> cluster.controller.alterTopicConfig(cluster.image(), "orders",
                Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "3")))
                .hasMessageContaining("must be 1 to its replication factor 2");
    }
}
