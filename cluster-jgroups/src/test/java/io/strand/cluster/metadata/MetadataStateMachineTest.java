package io.strand.cluster.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetadataStateMachineTest {
    private final MetadataStateMachine machine = new MetadataStateMachine();

    private static RegisterBroker broker(int id, String rack) {
        return new RegisterBroker(id, 100 + id, List.of(new Endpoint("client", "127.0.0.1", 9000 + id)),
                Optional.ofNullable(rack));
    }

    private static PartitionChange change(String topic, int partition, int leader, int leaderEpoch,
                                          List<Integer> isr, List<Integer> replicas, int partitionEpoch) {
        return new PartitionChange(topic, partition, leader, leaderEpoch, isr, replicas, partitionEpoch, List.of());
    }

    private void registerThreeBrokersAndATopic() {
        machine.apply(List.of(broker(1, "a"), broker(2, "b"), broker(3, null)));
        machine.apply(List.of(new CreateTopic("orders", 2, 2, Map.of()),
                change("orders", 0, 1, 0, List.of(1, 2), List.of(1, 2), 0),
                change("orders", 1, 2, 0, List.of(2, 3), List.of(2, 3), 0)));
    }

    @Test
    void shouldAnswerQueriesAboutBrokersTopicsAndPartitions() {
        registerThreeBrokersAndATopic();
        machine.apply(List.of(new FenceBroker(3)));

        MetadataImage image = machine.image();
        assertThat(image.liveBrokerIds()).containsExactly(1, 2);
        assertThat(image.isLive(3)).isFalse();
        assertThat(image.broker(3)).get().extracting(BrokerRegistration::fenced).isEqualTo(true);
        assertThat(image.broker(1)).get().extracting(BrokerRegistration::rack).isEqualTo(Optional.of("a"));
        assertThat(image.topic("orders")).get().extracting(TopicMetadata::partitionCount).isEqualTo(2);
        assertThat(image.partition("orders", 1)).get().extracting(PartitionState::leader).isEqualTo(2);
        assertThat(image.partition("orders", 2)).isEmpty();
        assertThat(image.partition("nothing", 0)).isEmpty();
    }

    @Test
    void unfencingMakesABrokerLiveAgain() {
        registerThreeBrokersAndATopic();
        machine.apply(List.of(new FenceBroker(2)));
        machine.apply(List.of(new UnfenceBroker(2)));

        assertThat(machine.image().isLive(2)).isTrue();
    }

    @Test
    void aBatchWithOneBadRecordChangesNothing() {
        registerThreeBrokersAndATopic();
        MetadataImage before = machine.image();

        assertThatThrownBy(() -> machine.apply(List.of(new FenceBroker(1), new FenceBroker(9))))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessage("broker 9 is not registered");
        assertThat(machine.image()).isSameAs(before);
    }

    @Test
    void shouldRefuseAPartitionEpochThatDoesNotMoveForward() {
        registerThreeBrokersAndATopic();

        assertThatThrownBy(() -> machine.apply(List.of(change("orders", 0, 1, 0, List.of(1), List.of(1, 2), 0))))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessageContaining("partitionEpoch 0 does not follow 0");
    }

    @Test
    void shouldRefuseALeaderEpochThatGoesBack() {
        registerThreeBrokersAndATopic();
        machine.apply(List.of(change("orders", 0, 2, 3, List.of(2), List.of(1, 2), 1)));

        assertThatThrownBy(() -> machine.apply(List.of(change("orders", 0, 2, 2, List.of(2), List.of(1, 2), 2))))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessageContaining("leaderEpoch 2 goes back from 3");
    }

    @Test
    void shouldRefuseANewLeaderInTheSameLeaderEpoch() {
        registerThreeBrokersAndATopic();

        assertThatThrownBy(() -> machine.apply(List.of(change("orders", 0, 2, 0, List.of(1, 2), List.of(1, 2), 1))))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessageContaining("leader moves from 1 to 2 without a new leaderEpoch");
    }

    @Test
    void shouldRefuseAReplicaThatIsNotARegisteredBroker() {
        registerThreeBrokersAndATopic();

        assertThatThrownBy(() -> machine.apply(List.of(change("orders", 0, 1, 0, List.of(1), List.of(1, 7), 1))))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessageContaining("replica 7 is not a registered broker");
    }

    @Test
    void shouldRefuseATopicWhosePartitionsTheBatchDoesNotAllPlace() {
        registerThreeBrokersAndATopic();

        assertThatThrownBy(() -> machine.apply(List.of(new CreateTopic("half", 2, 1, Map.of()),
                change("half", 0, 1, 0, List.of(1), List.of(1), 0))))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessageContaining("topic half has 2 partitions but the batch that created it left 1 placed");
    }

    @Test
    void shouldRefuseAPartitionBeyondTheTopicsCountAndAnUnknownTopic() {
        registerThreeBrokersAndATopic();

        assertThatThrownBy(() -> machine.apply(List.of(change("orders", 2, 1, 0, List.of(1), List.of(1), 0))))
                .hasMessageContaining("topic has only 2 partitions");
        assertThatThrownBy(() -> machine.apply(List.of(change("other", 0, 1, 0, List.of(1), List.of(1), 0))))
                .hasMessageContaining("topic does not exist");
        assertThatThrownBy(() -> machine.apply(List.of(new CreateTopic("orders", 1, 1, Map.of()))))
                .hasMessage("topic orders already exists");
        assertThatThrownBy(() -> machine.apply(List.of(new DeleteTopic("other"))))
                .hasMessage("topic other does not exist");
    }

    @Test
    void deletingATopicRemovesItsPartitions() {
        registerThreeBrokersAndATopic();
        machine.apply(List.of(new DeleteTopic("orders")));

        assertThat(machine.image().topics()).isEmpty();
        assertThat(machine.image().partition("orders", 0)).isEmpty();
    }

    @Test
    void listenersSeeThePreviousAndTheNewImage() {
        List<String> seen = new ArrayList<>();
        machine.addListener((previous, current, records) ->
                seen.add(previous.brokers().size() + "->" + current.brokers().size() + " by " + records.size()));

        machine.apply(List.of(broker(1, null), broker(2, null)));

        assertThat(seen).containsExactly("0->2 by 2");
    }

    @Test
    void aLoadedSnapshotEqualsTheImageItWasTakenFrom() {
        registerThreeBrokersAndATopic();
        machine.apply(List.of(new FenceBroker(3)));

        MetadataStateMachine other = new MetadataStateMachine();
        other.loadSnapshot(machine.snapshot());

        assertThat(other.image()).isEqualTo(machine.image());
        assertThat(other.snapshot()).isEqualTo(machine.snapshot());
    }

    @Test
    void aMalformedSnapshotIsRefusedAndKeepsTheImage() {
        registerThreeBrokersAndATopic();
        MetadataImage before = machine.image();
        byte[] snapshot = machine.snapshot();

        assertThatThrownBy(() -> machine.loadSnapshot(java.util.Arrays.copyOf(snapshot, snapshot.length - 1)))
                .isInstanceOf(MetadataFormatException.class);
        assertThat(machine.image()).isSameAs(before);
    }

    @Test
    void aConfigChangeKeepsTheTopicsOtherSettingsAndPartitionsAndOutlivesASnapshot() {
        registerThreeBrokersAndATopic();
        machine.apply(List.of(new AlterTopicConfig("orders", Map.of(TopicMetadata.UNCLEAN_LEADER_ELECTION, "true"))));
        machine.apply(List.of(new AlterTopicConfig("orders", Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "2")),
                change("orders", 1, 2, 0, List.of(2), List.of(2, 3), 1)));

        TopicMetadata orders = machine.image().topic("orders").orElseThrow();
        assertThat(orders.config()).containsOnly(Map.entry(TopicMetadata.UNCLEAN_LEADER_ELECTION, "true"),
                Map.entry(TopicMetadata.MIN_INSYNC_REPLICAS, "2"));
        assertThat(orders.minInsyncReplicas()).hasValue(2);
        assertThat(orders.partition(1)).get().extracting(PartitionState::isr).isEqualTo(List.of(2));
        assertThat(orders.partition(0)).get().extracting(PartitionState::isr).isEqualTo(List.of(1, 2));
        MetadataStateMachine other = new MetadataStateMachine();
        other.loadSnapshot(machine.snapshot());
        assertThat(other.image()).isEqualTo(machine.image());

        assertThatThrownBy(() -> machine.apply(List.of(new AlterTopicConfig("missing",
                Map.of(TopicMetadata.MIN_INSYNC_REPLICAS, "1")))))
                .isInstanceOf(InvalidMetadataException.class).hasMessageContaining("config change for topic missing: topic does not exist");
    }

    @Test
    void aTopicGrowsByPartitionsPlacedInTheSameBatchAndOnlyGrows() {
        registerThreeBrokersAndATopic();
        machine.apply(List.of(new CreatePartitions("orders", 4),
                change("orders", 2, 3, 0, List.of(3, 1), List.of(3, 1), 0),
                change("orders", 3, 1, 0, List.of(1, 2), List.of(1, 2), 0)));

        TopicMetadata orders = machine.image().topic("orders").orElseThrow();
        assertThat(orders.partitionCount()).isEqualTo(4);
        assertThat(orders.partitions()).containsOnlyKeys(0, 1, 2, 3);
        assertThat(orders.partition(0)).get().extracting(PartitionState::isr).isEqualTo(List.of(1, 2));
        assertThat(orders.partition(2)).get().extracting(PartitionState::leader).isEqualTo(3);
        MetadataStateMachine other = new MetadataStateMachine();
        other.loadSnapshot(machine.snapshot());
        assertThat(other.image()).isEqualTo(machine.image());

        assertThatThrownBy(() -> machine.apply(List.of(new CreatePartitions("orders", 6),
                change("orders", 4, 1, 0, List.of(1), List.of(1), 0))))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessageContaining("topic orders has 6 partitions but the batch that grew it left 5 placed");
        assertThatThrownBy(() -> machine.apply(List.of(new CreatePartitions("orders", 4))))
                .hasMessageContaining("partitions are only added, so 4 is not a new count");
        assertThatThrownBy(() -> machine.apply(List.of(new CreatePartitions("missing", 2))))
                .hasMessageContaining("new partitions for topic missing: topic does not exist");
        assertThat(machine.image().topic("orders").orElseThrow().partitionCount()).isEqualTo(4);
    }
}
