package io.strand.broker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A shared topic subscription (JMS 3.1 §8.3.2, §8.3.4): named by a subscription name and the client id
 * when one is set, bound to a topic and a selector, read by any number of consumers on any
 * connections through a share group of its own (DESIGN.md §3). A durable one lives until it is
 * unsubscribed; a non-durable one ends with its last consumer.
 *
 * <p>Thread-safe: every method locks the {@link SharedSubscriptions} registry, one lock for all.
 */
final class SharedSubscription {
    private final String clientId;
    private final String name;
    private final boolean durable;
    private final String topic;
    private final String selector;
    private final RecordMatcher filter;
    private final SharedSubscriptions registry;
    private final Set<QueueConsumer> consumers = new HashSet<>();

    /**
     * @param clientId null when the consumers' connections have no client id: the name is then global
     * @param selector the subscription's selector (already checked), or null
     */
    SharedSubscription(String clientId, String name, boolean durable, String topic, String selector,
                       SharedSubscriptions registry) {
        this.clientId = clientId;
        this.name = name;
        this.durable = durable;
        this.topic = topic;
        this.selector = selector;
        this.filter = SelectorMatcher.of(selector);
        this.registry = registry;
    }

    /**
     * The name of the subscription's share-group state: a prefix no destination name can start with
     * tells durable from non-durable groups, so that a restart finds the non-durable ones to drop.
     */
    static String groupName(String clientId, String name, boolean durable) {
        return (durable ? SharedSubscriptions.DURABLE_GROUP_PREFIX : SharedSubscriptions.NON_DURABLE_GROUP_PREFIX)
                + id(clientId, name);
    }

    /** The registry key: client id (if any) and name, in one namespace for durable and non-durable ones. */
    static String id(String clientId, String name) {
        return (clientId == null ? "-" : "+" + clientId) + '\0' + name;
    }

    String clientId() {
        return clientId;
    }

    String name() {
        return name;
    }

    boolean isDurable() {
        return durable;
    }

    String topic() {
        return topic;
    }

    String selector() {
        return selector;
    }

    String group() {
        return groupName(clientId, name, durable);
    }

    /**
     * How dead letters name this subscription ({@link DeadLetters#ORIGINAL_SUBSCRIPTION_PROPERTY}): {@code clientId:name},
     * or the name alone when it has no client id.
     */
    String label() {
        return clientId == null ? name : clientId + ":" + name;
    }

    /** What a consumer of this subscription reads. */
    ShareGroupSource source(Destination topicDestination) {
        return new ShareGroupSource(topicDestination, group(), filter, new DeadLetters.Origin(topic, label()), this);
    }

    /** Whether a consumer asking for this topic and selector finds this subscription unchanged. */
    boolean matches(String otherTopic, String otherSelector) {
        return topic.equals(otherTopic) && Objects.equals(selector, otherSelector);
    }

    /** Called with the registry's lock held. */
    Set<QueueConsumer> consumers() {
        return consumers;
    }

    boolean isActive() {
        synchronized (registry) {
            return !consumers.isEmpty();
        }
    }

    /** The consumers reading this subscription now, by connection and id. */
    List<QueueConsumer> members() {
        synchronized (registry) {
            List<QueueConsumer> members = new ArrayList<>(consumers);
            members.sort(Comparator.comparing((QueueConsumer c) -> String.valueOf(c.channel.remoteAddress()))
                    .thenComparingInt(QueueConsumer::id));
            return members;
        }
    }

    /** A consumer of this subscription closed: a non-durable subscription ends with its last one. */
    void detach(QueueConsumer consumer) {
        registry.detach(this, consumer);
    }

    @Override
    public String toString() {
        return (durable ? "shared durable" : "shared") + " subscription '" + name + "'"
                + (clientId == null ? "" : " of client " + clientId) + " on topic " + topic;
    }
}
