package io.strand.cluster.metadata;

import java.util.Map;
import java.util.Optional;

/**
 * A topic in a {@link MetadataImage}: its settings and the state of each partition.
 *
 * @param name              the topic's name
 * @param partitionCount    its number of partitions
 * @param replicationFactor replicas per partition it was created with
 * @param config            its per-topic settings
 * @param partitions        partition index to state; once a batch is applied every index below the count
 */
public record TopicMetadata(String name, int partitionCount, int replicationFactor, Map<String, String> config,
                            Map<Integer, PartitionState> partitions) {
    /** The per-topic setting that allows electing an out-of-sync replica when no in-sync one is live. */
    public static final String UNCLEAN_LEADER_ELECTION = "unclean.leader.election.enable";

    public TopicMetadata {
        config = Map.copyOf(config);
        partitions = Map.copyOf(partitions);
    }

    /** One partition's state, empty when the index is out of range. */
    public Optional<PartitionState> partition(int partition) {
        return Optional.ofNullable(partitions.get(partition));
    }

    /** Whether this topic allows unclean leader election, off unless its config says {@code true}. */
    public boolean uncleanLeaderElection() {
        return Boolean.parseBoolean(config.getOrDefault(UNCLEAN_LEADER_ELECTION, "false"));
    }
}
