package io.strand.cluster.controller;

import java.util.Map;
import java.util.Objects;

/**
 * An operator or an auto-creating broker asks for a new topic.
 *
 * @param name              the topic's name
 * @param partitions        how many partitions
 * @param replicationFactor replicas per partition, at most the number of live brokers
 * @param config            per-topic settings
 */
public record CreateTopicRequest(String name, int partitions, int replicationFactor, Map<String, String> config) {
    public CreateTopicRequest {
        Objects.requireNonNull(name, "name");
        config = Map.copyOf(config);
    }
}
