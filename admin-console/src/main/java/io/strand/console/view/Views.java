package io.strand.console.view;

import java.util.List;
import java.util.Map;

/**
 * What the console shows, one record per page or table row, in the shape its REST API answers with
 * (JSON names are the component names). Every table is per broker and per partition, so a cluster adds
 * rows, not fields. Counts are messages, sizes bytes, ages and times milliseconds, rates messages per
 * second; a rate is null until two samples exist.
 */
public final class Views {
    private Views() {
    }

    /** A broker, how to reach it, and how many partitions it leads and holds. */
    public record Broker(int id, String host, int port, boolean controller, int partitionsLed, int replicasHeld) {
    }

    /** Sums over every destination of the broker, and how many clients use it. */
    public record Totals(int destinations, int partitions, long messages, long sizeBytes, long lag, int connections,
                         int consumers, Double inPerSecond, Double outPerSecond) {
    }

    /**
     * One row of the overview.
     *
     * @param lag         a queue's unconsumed messages, or the sum over a topic's durable and shared subscriptions
     * @param oldestAgeMs age of the oldest unconsumed message, -1 when there is none
     * @param consumers   a queue's receivers, or the consumers of a topic's durable and shared subscriptions
     * @param outPerSecond messages a queue's receivers consumed per second; null for a topic
     */
    public record DestinationSummary(String type, String name, boolean temporary, int partitions, long messages,
                                     long sizeBytes, Double inPerSecond, Double outPerSecond, long lag,
                                     long oldestAgeMs, int consumers, String deadLetterQueue, long deadLetters,
                                     int underReplicatedPartitions) {
    }

    /** The overview page: brokers, totals, destinations and the broker's throughput over the last minutes. */
    public record Overview(String brokerUrl, int controllerId, List<Broker> brokers, Totals totals,
                           List<DestinationSummary> destinations, List<ThroughputPoint> throughput) {
    }

    /** A partition's log on the broker that leads it, and who holds it and is in sync. */
    public record Partition(int partition, int leader, List<Integer> replicas, List<Integer> isr,
                            boolean underReplicated, long logStartOffset, long logEndOffset, long highWatermark,
                            long messages, long sizeBytes, int segments) {
    }

    /** Where a queue's consumers stand in one partition. */
    public record QueuePartition(int partition, long startOffset, long highWatermark, long lag, int inFlight,
                                 int delayed, long oldestAgeMs) {
    }

    /** A queue's competing consumers (its share group) and its dead-letter queue. */
    public record QueueState(int consumers, long lag, long inFlight, long oldestAgeMs, String deadLetterQueue,
                             long deadLetters, List<QueuePartition> partitions) {
    }

    /**
     * Where a subscription stands in one partition.
     *
     * @param position consumed below (acknowledged up to) this offset
     * @param inFlight delivered and not yet acknowledged; null when the broker does not say
     */
    public record SubscriptionPartition(int partition, long position, long highWatermark, long lag, Long inFlight,
                                        long oldestAgeMs) {
    }

    /** A consumer reading a subscription: its connection and its id there. */
    public record Member(String remoteAddress, int consumer) {
    }

    /**
     * A durable or shared subscription with its consumers and its lag in messages and in time.
     *
     * @param kind            {@code durable}, {@code shared-durable} or {@code shared} (non-durable: it ends with its
     *                        last consumer)
     * @param clientId        null for a shared subscription opened without a client id
     * @param inFlight        delivered and not yet acknowledged; null when the broker does not say
     * @param deadLetterQueue where a shared subscription's undeliverable messages go; null for a durable one
     * @param deadLetters     messages waiting in that dead-letter queue, whatever fed them
     */
    public record Subscription(String kind, String clientId, String name, String topic, String selector,
                               boolean noLocal, boolean active, List<Member> members, long lag, Long inFlight,
                               long oldestAgeMs, String deadLetterQueue, long deadLetters,
                               List<SubscriptionPartition> partitions) {
    }

    /**
     * A destination's page.
     *
     * @param replicationFactor copies of each partition; null from a broker that does not report it
     * @param minInsyncReplicas in-sync copies a write needs; null from a broker that does not report it
     * @param queue             the queue's consumers; null for a topic
     * @param subscriptions     a topic's durable and shared subscriptions; empty for a queue
     */
    public record Destination(String type, String name, boolean temporary, long retentionMs, long retentionBytes,
                              Integer replicationFactor, Integer minInsyncReplicas,
                              long messages, long sizeBytes, List<Partition> partitions, QueueState queue,
                              List<Subscription> subscriptions, List<ThroughputPoint> throughput) {
    }

    /** Messages per second in (appended) and out (consumed from a queue; null where unknown) at a time. */
    public record ThroughputPoint(long timeMs, double inPerSecond, Double outPerSecond) {
    }

    /**
     * A dead-letter (or expiry) queue.
     *
     * @param exists              whether the queue exists yet (it is created with its first dead letter)
     * @param messages            dead letters waiting in it
     * @param sourceQueues        the queues whose dead letters go there
     * @param sourceSubscriptions the shared topic subscriptions whose dead letters go there
     */
    public record DeadLetterQueue(String name, boolean exists, long messages, List<String> sourceQueues,
                                  List<SubscriptionName> sourceSubscriptions) {
    }

    /** A shared subscription as its dead letters name it: its topic, and {@code clientId:name} or the name alone. */
    public record SubscriptionName(String topic, String subscription) {
    }

    /**
     * A consumer open on a client connection.
     *
     * @param kind         {@code queue}, {@code browser}, {@code non-durable}, {@code durable}, {@code shared} or
     *                     {@code shared-durable}
     * @param deliveryRate messages sent to it per second over the broker's last seconds; null when unknown
     * @param inFlight     messages sent to it and not yet acknowledged; null when unknown
     * @param lag          messages waiting to be sent to it (or to another consumer of its queue or shared
     *                     subscription); null for a browser, or when unknown
     * @param oldestAgeMs  age of the oldest of those, -1 when there is none
     */
    public record Consumer(int id, String kind, String type, String destination, String subscription, String selector,
                           long credit, Long delivered, Double deliveryRate, Long inFlight, Long lag,
                           long oldestAgeMs) {
    }

    /**
     * The consumers one session of a connection has open.
     *
     * @param id the session's number on its connection, or null when its client did not say (an older client)
     */
    public record Session(Integer id, Double deliveryRate, long inFlight, List<Consumer> consumers) {
    }

    /** A client connection to the broker, with its sessions that have consumers. */
    public record Connection(String remoteAddress, String clientId, String user, List<Session> sessions) {
    }

    /**
     * The connections of one JMS client id (an application's, say each MDB's pool), or of none.
     *
     * @param clientId null for the connections without one
     */
    public record ClientConnections(String clientId, int consumers, Double deliveryRate, long inFlight,
                                    List<Connection> connections) {
    }

    /** A message as the browser shows it: where it lies, its headers and properties, a preview of its body. */
    public record Message(int partition, long offset, long timestamp, String messageId, String correlationId,
                          String jmsType, String deliveryMode, int priority, long expiration,
                          Map<String, Object> properties, String bodyKind, int bodyBytes, String bodyPreview) {
    }

    /** A page of browsed messages and the bounds of the partition they came from. */
    public record MessagePage(String type, String name, int partition, long logStartOffset, long highWatermark,
                              List<Message> messages) {
    }
}
