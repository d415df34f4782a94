package io.strand.cluster.controller;

import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.PartitionChange;
import io.strand.cluster.metadata.PartitionState;
import io.strand.cluster.metadata.TopicMetadata;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Which broker leads under {@link LeaderPlacement#COLOCATED}: the live broker that leads the most
 * partitions now, so that leadership does not move while its holder lives; when no live broker leads any,
 * the live broker that is in the most in-sync replica sets, so that the fewest partitions wait for it to
 * catch up. Among brokers in as many sets, one other than the controller's broker is taken: a broker that
 * is both the controller and the active broker turns its death into a Raft election and a JMS failover at
 * once, each waiting on the other. Remaining ties go to the lowest id, so every controller decides alike.
 */
final class ActiveBroker {
    private ActiveBroker() {
    }

    /**
     * The active broker among those {@code live} accepts, choosing a new one other than {@code controller} when
     * another is as much in sync; a live broker that holds the role keeps it, even the controller's.
     * {@link PartitionChange#NO_LEADER} if none is live.
     */
    static int of(MetadataImage image, IntPredicate live, int controller) {
        Map<Integer, Integer> leading = new TreeMap<>();
        Map<Integer, Integer> inSync = new TreeMap<>();
        for (int broker : image.liveBrokerIds()) {
            if (live.test(broker)) {
                leading.put(broker, 0);
                inSync.put(broker, 0);
            }
        }
        if (leading.isEmpty()) {
            return PartitionChange.NO_LEADER;
        }
        for (TopicMetadata topic : image.topics().values()) {
            for (PartitionState partition : topic.partitions().values()) {
                leading.computeIfPresent(partition.leader(), (id, n) -> n + 1);
                partition.isr().forEach(member -> inSync.computeIfPresent(member, (id, n) -> n + 1));
            }
        }
        // Moving the role away from a live holder would be a failover for every client, so the controller's
        // broker keeps it once it has it (the controller moved onto it); it is only not given the role anew.
        int holder = mostOf(leading, PartitionChange.NO_LEADER);
        return leading.get(holder) > 0 ? holder : mostOf(inSync, controller);
    }

    /**
     * The live broker that holds the active role in {@code image}: the one that leads the most partitions, or
     * {@link PartitionChange#NO_LEADER} when no live broker leads any.
     */
    static int holder(MetadataImage image) {
        Map<Integer, Integer> leading = new TreeMap<>();
        image.liveBrokerIds().forEach(broker -> leading.put(broker, 0));
        for (TopicMetadata topic : image.topics().values()) {
            for (PartitionState partition : topic.partitions().values()) {
                leading.computeIfPresent(partition.leader(), (id, n) -> n + 1);
            }
        }
        int holder = mostOf(leading, PartitionChange.NO_LEADER);
        return holder != PartitionChange.NO_LEADER && leading.get(holder) > 0 ? holder : PartitionChange.NO_LEADER;
    }

    /** The broker with the highest count; on a tie one other than {@code avoided}, then the lowest id. */
    private static int mostOf(Map<Integer, Integer> counts, int avoided) {
        int best = PartitionChange.NO_LEADER;
        int bestCount = -1;
        for (Map.Entry<Integer, Integer> entry : counts.entrySet()) { // ascending ids: the lowest wins a tie
            int count = entry.getValue();
            if (count > bestCount || (count == bestCount && best == avoided)) {
                best = entry.getKey();
                bestCount = count;
            }
        }
        return best;
    }
}
