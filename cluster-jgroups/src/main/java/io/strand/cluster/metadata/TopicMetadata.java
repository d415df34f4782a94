package io.strand.cluster.metadata;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A topic in a {@link MetadataImage}: its settings and the state of each partition.
 *
 * @param name              the topic's name
 * @param partitionCount    its number of partitions
 * @param replicationFactor replicas per partition it was created with (reassignments may change it since: see
 *                          {@link #currentReplicationFactor()})
 * @param config            its per-topic settings
 * @param partitions        partition index to state; once a batch is applied every index below the count
 */
public record TopicMetadata(String name, int partitionCount, int replicationFactor, Map<String, String> config,
                            Map<Integer, PartitionState> partitions) {
    /** The per-topic setting that allows electing an out-of-sync replica when no in-sync one is live. */
    public static final String UNCLEAN_LEADER_ELECTION = "unclean.leader.election.enable";
    /**
     * The per-topic setting of how many in-sync replicas a write needs before it is acknowledged; a topic without it
     * takes the brokers' default. The controller keeps it a whole number from 1 to the topic's replication factor.
     */
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

    public TopicMetadata {
        config = Map.copyOf(config);
        partitions = Map.copyOf(partitions);
    }

    /** One partition's state, empty when the index is out of range. */
    public Optional<PartitionState> partition(int partition) {
        return Optional.ofNullable(partitions.get(partition));
    }

    /**
     * Replicas per partition now: the fewest any partition has, counting a partition that is being moved by the
     * replicas it moves to. Moving partitions to more or fewer brokers changes it; without a move it is the
     * replication factor the topic was created with.
     */
    public int currentReplicationFactor() {
        return partitions.values().stream()
                .mapToInt(p -> p.isReassigning() ? p.targetReplicas().size() : p.replicas().size())
                .min().orElse(replicationFactor);
    }

    /** The topic's own {@value #MIN_INSYNC_REPLICAS}, empty when it takes the brokers' default. */
    public OptionalInt minInsyncReplicas() {
        String value = config.get(MIN_INSYNC_REPLICAS);
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return OptionalInt.empty(); // the controller admits whole numbers only; an older entry falls back
        }
    }

    /** Whether this topic allows unclean leader election, off unless its config says {@code true}. */
    public boolean uncleanLeaderElection() {
        return Boolean.parseBoolean(config.getOrDefault(UNCLEAN_LEADER_ELECTION, "false"));
    }
}
