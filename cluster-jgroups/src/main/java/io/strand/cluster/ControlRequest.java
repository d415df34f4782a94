package io.strand.cluster;

import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.controller.BrokerRegistrationRequest;
import io.strand.cluster.controller.CreateTopicRequest;
import java.util.List;
import java.util.Map;

/** A request a node sends to the controller; each kind names the controller decision it asks for. */
sealed interface ControlRequest {
    /** A broker registers or asks to be unfenced. */
    record Register(BrokerRegistrationRequest request) implements ControlRequest {
    }

    /**
     * A partition leader asks to change the ISR of one or more of its partitions; the controller decides them
     * together and commits the accepted ones as one batch.
     */
    record AlterIsr(List<AlterIsrRequest> requests) implements ControlRequest {
        public AlterIsr {
            requests = List.copyOf(requests);
        }
    }

    /** A topic is to be created. */
    record CreateTopic(CreateTopicRequest request) implements ControlRequest {
    }

    /** A topic is to grow to {@code partitions} partitions. */
    record CreatePartitions(String name, int partitions) implements ControlRequest {
    }

    /** Settings of a topic are to be set, the others kept. */
    record AlterTopicConfig(String name, Map<String, String> entries) implements ControlRequest {
        public AlterTopicConfig {
            entries = Map.copyOf(entries);
        }
    }

    /** A topic is to be deleted. */
    record DeleteTopic(String name) implements ControlRequest {
    }

    /** A partition's replicas are to move. */
    record Reassign(String topic, int partition, List<Integer> targetReplicas) implements ControlRequest {
        public Reassign {
            targetReplicas = List.copyOf(targetReplicas);
        }
    }

    /**
     * A broker whose own metadata says it is the active broker asks the controller to confirm it, so that
     * a broker that was cut off acts on nothing stale.
     */
    record ConfirmActive(int brokerId) implements ControlRequest {
    }

    /** The active role is to move to a broker that is in sync for every partition. */
    record MoveActive(int brokerId) implements ControlRequest {
    }

    /** Every partition is to go back to its preferred leader where it can. */
    record RebalanceLeaders() implements ControlRequest {
    }
}
