package io.strand.cluster.metadata;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An immutable view of the cluster metadata after some prefix of the records: the registered brokers
 * with their fenced state, the topics and the state of every partition.
 *
 * <p>Images are values: two brokers that applied the same records hold equal images, which is what the
 * snapshot tests compare. A new image shares nothing mutable with the one it was derived from, so
 * readers on any thread may keep one as long as they like.
 *
 * @param brokers broker id to registration
 * @param topics  topic name to topic
 */
public record MetadataImage(Map<Integer, BrokerRegistration> brokers, Map<String, TopicMetadata> topics) {
    /** The image before any record: no broker, no topic. */
    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of());

    public MetadataImage {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
    }

    /** A broker's registration, empty when it never registered. */
    public Optional<BrokerRegistration> broker(int brokerId) {
        return Optional.ofNullable(brokers.get(brokerId));
    }

    /** Whether a broker is registered and not fenced, so it may lead and count in an ISR. */
    public boolean isLive(int brokerId) {
        BrokerRegistration registration = brokers.get(brokerId);
        return registration != null && !registration.fenced();
    }

    /** The ids of the live brokers, in ascending order. */
    public Set<Integer> liveBrokerIds() {
        return brokers.values().stream().filter(b -> !b.fenced()).map(BrokerRegistration::brokerId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A topic, empty when there is none of that name. */
    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    /** One partition's state, empty when the topic or the index does not exist. */
    public Optional<PartitionState> partition(String topic, int partition) {
        return topic(topic).flatMap(t -> t.partition(partition));
    }
}
