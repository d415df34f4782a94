package io.strand.cluster.metadata;

/**
 * A topic and all its partitions are gone; brokers delete their replicas of it.
 *
 * @param name the deleted topic
 */
public record DeleteTopic(String name) implements MetadataRecord {
    public DeleteTopic {
        MetadataChecks.requireTopicName(name);
    }
}
