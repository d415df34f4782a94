package io.strand.cluster.metadata;

/**
 * A topic grows to more partitions; the placement of each new one follows as one {@link PartitionChange} per
 * partition, in the same batch. Partitions are only ever added: a smaller count is refused.
 *
 * @param name       the topic's name
 * @param partitions its partition count from now on, more than it had
 */
public record CreatePartitions(String name, int partitions) implements MetadataRecord {
    public CreatePartitions {
        MetadataChecks.requireTopicName(name);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions=" + partitions + " of topic " + name + " is below 1");
        }
    }
}
