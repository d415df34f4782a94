package io.strand.cluster.metadata;

import java.util.Map;
import java.util.Objects;

/**
 * Sets settings of an existing topic, such as {@code min.insync.replicas}: each entry replaces the topic's value of
 * that key or adds it; the topic's other settings stay as they are. Carried in the replicated metadata, so that every
 * broker, and whichever one leads the topic after a failover, applies the same value.
 *
 * @param name    the topic's name
 * @param entries the settings to set, at least one
 */
public record AlterTopicConfig(String name, Map<String, String> entries) implements MetadataRecord {
    public AlterTopicConfig {
        MetadataChecks.requireTopicName(name);
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("altering the config of topic " + name + " sets no setting");
        }
        entries = Map.copyOf(entries);
    }
}
