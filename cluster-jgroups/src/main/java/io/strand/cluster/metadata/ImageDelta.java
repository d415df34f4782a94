package io.strand.cluster.metadata;

import java.util.HashMap;
import java.util.Map;

/**
 * The changes one batch makes to an image. Maps are copied only when first written, so a batch that
 * touches one partition copies one topic's partitions and the topic map, not the whole image.
 */
final class ImageDelta {
    private final MetadataImage base;
    private Map<Integer, BrokerRegistration> brokers;
    private Map<String, TopicMetadata> topics;
    private final Map<String, Map<Integer, PartitionState>> partitionsByTopic = new HashMap<>();

    ImageDelta(MetadataImage base) {
        this.base = base;
    }

    BrokerRegistration broker(int brokerId) {
        return (brokers == null ? base.brokers() : brokers).get(brokerId);
    }

    void putBroker(BrokerRegistration registration) {
        if (brokers == null) {
            brokers = new HashMap<>(base.brokers());
        }
        brokers.put(registration.brokerId(), registration);
    }

    TopicMetadata topic(String name) {
        return (topics == null ? base.topics() : topics).get(name);
    }

    void putTopic(TopicMetadata topic) {
        writableTopics().put(topic.name(), topic);
        partitionsByTopic.remove(topic.name());
    }

    /** Replaces a topic's settings, keeping its partitions (those this batch changed already too). */
    void putTopicConfig(String name, Map<String, String> config) {
        TopicMetadata topic = topic(name);
        writableTopics().put(name, new TopicMetadata(name, topic.partitionCount(), topic.replicationFactor(), config,
                topic.partitions()));
    }

    /** Raises a topic's partition count, keeping its partitions (those this batch changed already too). */
    void putPartitionCount(String name, int partitionCount) {
        TopicMetadata topic = topic(name);
        writableTopics().put(name, new TopicMetadata(name, partitionCount, topic.replicationFactor(), topic.config(),
                topic.partitions()));
    }

    void removeTopic(String name) {
        writableTopics().remove(name);
        partitionsByTopic.remove(name);
    }

    PartitionState partition(String topic, int partition) {
        Map<Integer, PartitionState> written = partitionsByTopic.get(topic);
        if (written != null) {
            return written.get(partition);
        }
        TopicMetadata metadata = topic(topic);
        return metadata == null ? null : metadata.partitions().get(partition);
    }

    void putPartition(PartitionState state) {
        partitionsByTopic.computeIfAbsent(state.topic(), name -> new HashMap<>(topic(name).partitions()))
                .put(state.partition(), state);
    }

    MetadataImage build() {
        Map<String, TopicMetadata> finalTopics = topics == null ? base.topics() : topics;
        if (!partitionsByTopic.isEmpty()) {
            finalTopics = new HashMap<>(finalTopics);
            for (Map.Entry<String, Map<Integer, PartitionState>> entry : partitionsByTopic.entrySet()) {
                TopicMetadata topic = finalTopics.get(entry.getKey());
                finalTopics.put(topic.name(), new TopicMetadata(topic.name(), topic.partitionCount(),
                        topic.replicationFactor(), topic.config(), entry.getValue()));
            }
        }
        return new MetadataImage(brokers == null ? base.brokers() : brokers, finalTopics);
    }

    private Map<String, TopicMetadata> writableTopics() {
        if (topics == null) {
            topics = new HashMap<>(base.topics());
        }
        return topics;
    }
}
