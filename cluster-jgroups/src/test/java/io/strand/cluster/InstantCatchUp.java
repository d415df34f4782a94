package io.strand.cluster;

import io.strand.cluster.controller.AlterIsrRequest;
import io.strand.cluster.metadata.MetadataImage;
import io.strand.cluster.metadata.PartitionState;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the data plane in control-plane tests: a partition leader that sees a live replica
 * outside its ISR asks at once to add it, as a real leader does once the follower has fetched up to its
 * log end. A refused request (stale after a concurrent change) is simply made again on the next image.
 */
final class InstantCatchUp {
    private InstantCatchUp() {
    }

    static void attach(ClusterNode node) {
        node.metadata().addListener((previous, current, records) -> expandIsrs(node, current));
    }

    private static void expandIsrs(ClusterNode node, MetadataImage image) {
        for (var topic : image.topics().values()) {
            for (PartitionState partition : topic.partitions().values()) {
                if (partition.leader() != node.nodeId()) {
                    continue;
                }
                List<Integer> isr = new ArrayList<>(partition.isr());
                partition.replicas().stream().filter(r -> !isr.contains(r) && image.isLive(r)).forEach(isr::add);
                if (isr.size() > partition.isr().size()) {
                    node.alterIsr(new AlterIsrRequest(node.nodeId(), partition.topic(), partition.partition(),
                            partition.leaderEpoch(), partition.partitionEpoch(), isr));
                }
            }
        }
    }
}
