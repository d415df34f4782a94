package io.strand.cluster.controller;

import io.strand.cluster.metadata.Endpoint;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.MetadataRecord;
import io.strand.cluster.metadata.MetadataStateMachine;
import io.strand.cluster.metadata.PartitionState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A controller and a state machine wired as the Raft leader wires them: every decision's records are
 * applied before the next decision is taken.
 */
final class ControllerHarness {
    static final String CLUSTER = "test-cluster";

    final ClusterController controller;
    final MetadataStateMachine machine = new MetadataStateMachine();

    ControllerHarness() {
        this(LeaderPlacement.SPREAD);
    }

    ControllerHarness(LeaderPlacement placement) {
        this.controller = new ClusterController(CLUSTER, placement);
    }

    /** A harness whose controller runs on broker {@code controllerBroker}. */
    ControllerHarness(LeaderPlacement placement, int controllerBroker) {
        this.controller = new ClusterController(CLUSTER, placement, controllerBroker);
    }

    /** A harness on the same metadata whose controller runs on broker {@code controllerBroker}: Raft moved it. */
    ControllerHarness controllerMovedTo(int controllerBroker) {
        ControllerHarness moved = new ControllerHarness(LeaderPlacement.COLOCATED, controllerBroker);
        moved.machine.loadSnapshot(machine.snapshot());
        return moved;
    }

    MetadataImage image() {
        return machine.image();
    }

    List<MetadataRecord> commit(List<MetadataRecord> records) {
        machine.apply(records);
        return records;
    }

    static BrokerRegistrationRequest registration(int brokerId, long incarnation, String rack) {
        return new BrokerRegistrationRequest(CLUSTER, brokerId, incarnation,
                List.of(new Endpoint("client", "127.0.0.1", 9000 + brokerId)), Optional.ofNullable(rack));
    }

    List<MetadataRecord> register(int brokerId, long incarnation) {
        return register(brokerId, incarnation, null);
    }

    List<MetadataRecord> register(int brokerId, long incarnation, String rack) {
        return commit(controller.registerBroker(image(), registration(brokerId, incarnation, rack)));
    }

    List<MetadataRecord> members(Integer... ids) {
        return commit(controller.handleMembership(image(), Set.of(ids)));
    }

    List<MetadataRecord> createTopic(String name, int partitions, int replicationFactor, Map<String, String> config) {
        return commit(controller.createTopic(image(), new CreateTopicRequest(name, partitions, replicationFactor,
                config)));
    }

    List<MetadataRecord> alterIsr(String topic, int partition, List<Integer> newIsr) {
        PartitionState state = partition(topic, partition);
        return commit(controller.alterIsr(image(), new AlterIsrRequest(state.leader(), topic, partition,
                state.leaderEpoch(), state.partitionEpoch(), newIsr)));
    }

    PartitionState partition(String topic, int partition) {
        return image().partition(topic, partition).orElseThrow();
    }
}
