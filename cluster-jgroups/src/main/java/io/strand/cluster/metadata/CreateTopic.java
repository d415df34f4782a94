package io.strand.cluster.metadata;

import java.util.Map;
import java.util.Objects;

/**
 * A topic (a destination's log: a JMS queue or topic) with its partition count, replication factor and
 * configuration. The placement of each partition follows as one {@link PartitionChange} per partition,
 * in the same batch.
 *
 * @param name              the topic's name
 * @param partitions        its partition count, 1 or more
 * @param replicationFactor replicas per partition, 1 or more
 * @param config            per-topic settings such as {@code unclean.leader.election.enable}
 */
public record CreateTopic(String name, int partitions, int replicationFactor, Map<String, String> config)
        implements MetadataRecord {
    public CreateTopic {
        MetadataChecks.requireTopicName(name);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions=" + partitions + " of topic " + name + " is below 1");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "replicationFactor=" + replicationFactor + " of topic " + name + " is below 1");
        }
        Objects.requireNonNull(config, "config");
        config = Map.copyOf(config);
    }
}
