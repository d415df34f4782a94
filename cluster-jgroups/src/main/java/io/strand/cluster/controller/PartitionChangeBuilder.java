package io.strand.cluster.controller;

import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.PartitionState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Collects the changes one decision makes to a partition and turns them into at most one
 * {@link PartitionChange} with the right epochs: the leader epoch grows when the leader changes (also
 * to or from no leader), the partition epoch with any change. Several steps of one decision (elect,
 * then complete a reassignment, then restore the preferred leader) thus commit as a single change.
 */
final class PartitionChangeBuilder {
    private final PartitionState current;
    private int leader;
    private List<Integer> isr;
    private List<Integer> replicas;
    private List<Integer> targetReplicas;

    PartitionChangeBuilder(PartitionState current) {
        this.current = current;
        this.leader = current.leader();
        this.isr = current.isr();
        this.replicas = current.replicas();
        this.targetReplicas = current.targetReplicas();
    }

    PartitionState current() {
        return current;
    }

    int leader() {
        return leader;
    }

    List<Integer> isr() {
        return isr;
    }

    List<Integer> replicas() {
        return replicas;
    }

    List<Integer> targetReplicas() {
        return targetReplicas;
    }

    PartitionChangeBuilder leader(int newLeader) {
        this.leader = newLeader;
        return this;
    }

    PartitionChangeBuilder isr(List<Integer> newIsr) {
        this.isr = List.copyOf(newIsr);
        return this;
    }

    PartitionChangeBuilder replicas(List<Integer> newReplicas) {
        this.replicas = List.copyOf(newReplicas);
        return this;
    }

    PartitionChangeBuilder targetReplicas(List<Integer> newTarget) {
        this.targetReplicas = List.copyOf(newTarget);
        return this;
    }

    /** The change to commit, empty when the decision left the partition as it was. */
    Optional<PartitionChange> build() {
        // The ISR is kept in replica order, so the same set is always the same list on every broker.
        List<Integer> orderedIsr = new ArrayList<>(isr);
        orderedIsr.sort(Comparator.comparingInt(replicas::indexOf));
        boolean leaderChanged = leader != current.leader();
        boolean changed = leaderChanged || !orderedIsr.equals(current.isr()) || !replicas.equals(current.replicas())
                || !targetReplicas.equals(current.targetReplicas());
        if (!changed) {
            return Optional.empty();
        }
        int leaderEpoch = leaderChanged ? current.leaderEpoch() + 1 : current.leaderEpoch();
        return Optional.of(new PartitionChange(current.topic(), current.partition(), leader, leaderEpoch, orderedIsr,
                replicas, current.partitionEpoch() + 1, targetReplicas));
    }
}
