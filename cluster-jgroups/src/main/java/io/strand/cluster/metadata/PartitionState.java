package io.strand.cluster.metadata;

import java.util.List;

/**
 * The state of one partition in a {@link MetadataImage}: the fields of the last {@link PartitionChange}
 * applied to it. See that record for what each field means and the rules it obeys.
 */
public record PartitionState(String topic, int partition, int leader, int leaderEpoch, List<Integer> isr,
                             List<Integer> replicas, int partitionEpoch, List<Integer> targetReplicas) {
    public PartitionState {
        isr = List.copyOf(isr);
        replicas = List.copyOf(replicas);
        targetReplicas = List.copyOf(targetReplicas);
    }

    static PartitionState of(PartitionChange change) {
        return new PartitionState(change.topic(), change.partition(), change.leader(), change.leaderEpoch(),
                change.isr(), change.replicas(), change.partitionEpoch(), change.targetReplicas());
    }

    /** Whether a broker leads this partition. */
    public boolean hasLeader() {
        return leader != PartitionChange.NO_LEADER;
    }

    /** The preferred leader: the first assigned replica. */
    public int preferredLeader() {
        return replicas.get(0);
    }

    /** Whether a reassignment of this partition's replicas is in progress. */
    public boolean isReassigning() {
        return !targetReplicas.isEmpty();
    }

    /** The state as the record that rebuilds it. */
    public PartitionChange toRecord() {
        return new PartitionChange(topic, partition, leader, leaderEpoch, isr, replicas, partitionEpoch,
                targetReplicas);
    }
}
