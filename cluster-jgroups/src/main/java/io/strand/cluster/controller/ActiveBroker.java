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
 * catch up; ties go to the lowest id, so every controller decides alike.
 */
final class ActiveBroker {
    private ActiveBroker() {
    }

    /** The active broker among those {@code live} accepts, or {@link PartitionChange#NO_LEADER} if none is live. */
    static int of(MetadataImage image, IntPredicate live) {
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
        int best = mostOf(leading);
        return leading.get(best) > 0 ? best : mostOf(inSync);
    }

    private static int mostOf(Map<Integer, Integer> counts) {
        int best = PartitionChange.NO_LEADER;
        int bestCount = -1;
        for (Map.Entry<Integer, Integer> entry : counts.entrySet()) { // ascending ids: the lowest wins a tie
            if (entry.getValue() > bestCount) {
                best = entry.getKey();
                bestCount = entry.getValue();
            }
        }
        return best;
    }
}
