package io.strand.cluster.controller;

import io.strand.cluster.metadata.PartitionChange;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The steps the controller takes on one partition, each a small rule applied to a
 * {@link PartitionChangeBuilder}. Liveness is a parameter so that a decision can see brokers as they
 * will be once its own records apply (a broker being fenced in the same batch is already dead here).
 */
final class PartitionDecisions {
    private PartitionDecisions() {
    }

    /**
     * Gives the partition a live leader if it lacks one. The new leader comes from the live ISR, the
     * {@code preferred} broker when it is one of them, else the earliest in replica order (so the first
     * replica wins when it can); the dead leave the ISR with
     * it. With no live ISR member the partition goes leaderless rather than lose acknowledged records,
     * and keeps its ISR so that one of them can lead when it returns; only a topic that allows unclean
     * election then takes the first live replica, whose log becomes the truth.
     */
    static void electLeaderIfNeeded(PartitionChangeBuilder partition, IntPredicate live, boolean uncleanElection,
                                    int preferred) {
        if (partition.leader() != PartitionChange.NO_LEADER && live.test(partition.leader())) {
            return;
        }
        List<Integer> liveIsr = partition.isr().stream().filter(live::test).toList();
        if (!liveIsr.isEmpty()) {
            int leader = liveIsr.contains(preferred) ? preferred
                    : partition.replicas().stream().filter(liveIsr::contains).findFirst().orElseThrow();
            partition.leader(leader).isr(liveIsr);
            return;
        }
        if (uncleanElection) {
            for (int replica : partition.replicas()) {
                if (live.test(replica)) {
                    partition.leader(replica).isr(List.of(replica));
                    return;
                }
            }
        }
        partition.leader(PartitionChange.NO_LEADER);
    }

    /** Removes dead followers from the ISR of a partition whose leader lives. */
    static void shrinkIsrToLive(PartitionChangeBuilder partition, IntPredicate live) {
        if (partition.leader() == PartitionChange.NO_LEADER || !live.test(partition.leader())) {
            return;
        }
        partition.isr(partition.isr().stream().filter(live::test).toList());
    }

    /** Hands leadership back to the {@code preferred} broker once it is live and in sync. */
    static void restorePreferredLeader(PartitionChangeBuilder partition, IntPredicate live, int preferred) {
        if (partition.leader() != PartitionChange.NO_LEADER && partition.leader() != preferred
                && partition.isr().contains(preferred) && live.test(preferred)) {
            partition.leader(preferred);
        }
    }

    /**
     * Finishes a reassignment once every target replica is in sync: the replicas become the target, the
     * old ones leave the ISR, and if the leader was one of them the first live in-sync target leads.
     */
    static void completeReassignmentIfCaughtUp(PartitionChangeBuilder partition, IntPredicate live) {
        List<Integer> target = partition.targetReplicas();
        if (target.isEmpty() || partition.leader() == PartitionChange.NO_LEADER
                || !partition.isr().containsAll(target)) {
            return;
        }
        int leader = partition.leader();
        if (!target.contains(leader)) {
            leader = target.stream().filter(live::test).findFirst().orElse(PartitionChange.NO_LEADER);
            if (leader == PartitionChange.NO_LEADER) {
                return;
            }
        }
        List<Integer> isr = partition.isr().stream().filter(target::contains).toList();
        partition.replicas(target).targetReplicas(List.of()).isr(isr).leader(leader);
    }
}
