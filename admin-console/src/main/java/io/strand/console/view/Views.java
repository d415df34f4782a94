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
     * @param lag         a queue's unconsumed messages, or the sum over a topic's durable subscriptions
     * @param oldestAgeMs age of the oldest unconsumed message, -1 when there is none
     * @param consumers   a queue's receivers, or a topic's durable subscriptions with an active consumer
     * @param outPerSecond messages a queue's receivers consumed per second; null for a topic
     */
    public record DestinationSummary(String type, String name, boolean temporary, int partitions, long messages,
                                     long sizeBytes, Double inPerSecond, Double outPerSecond, long lag,
                                     long oldestAgeMs, int consumers, String deadLetterQueue, long deadLetters) {
    }

    /** The overview page: brokers, totals, destinations and the broker's throughput over the last minutes. */
    public record Overview(String brokerUrl, int controllerId, List<Broker> brokers, Totals totals,
                           List<DestinationSummary> destinations, List<ThroughputPoint> throughput) {
    }

    /** A partition's log on the broker that leads it. */
    public record Partition(int partition, int leader, List<Integer> replicas, long logStartOffset, long logEndOffset,
                            long highWatermark, long messages, long sizeBytes, int segments) {
    }

    /** Where a queue's consumers stand in one partition. */
    public record QueuePartition(int partition, long startOffset, long highWatermark, long lag, int inFlight,
                                 int delayed, long oldestAgeMs) {
    }

    /** A queue's competing consumers (its share group) and its dead-letter queue. */
    public record QueueState(int consumers, long lag, long inFlight, long oldestAgeMs, String deadLetterQueue,
                             long deadLetters, List<QueuePartition> partitions) {
    }

    /** Where a durable subscription stands in one partition. */
    public record SubscriptionPartition(int partition, long position, long highWatermark, long lag, long oldestAgeMs) {
    }

    /** A durable subscription with its lag in messages and in time. */
    public record Subscription(String clientId, String name, String topic, String selector, boolean noLocal,
                               boolean active, long lag, long oldestAgeMs, List<SubscriptionPartition> partitions) {
    }

    /**
     * A destination's page.
     *
     * @param queue         the queue's consumers; null for a topic
     * @param subscriptions a topic's durable subscriptions; empty for a queue
     */
    public record Destination(String type, String name, boolean temporary, long retentionMs, long retentionBytes,
                              long messages, long sizeBytes, List<Partition> partitions, QueueState queue,
                              List<Subscription> subscriptions, List<ThroughputPoint> throughput) {
    }

    /** Messages per second in (appended) and out (consumed from a queue; null where unknown) at a time. */
    public record ThroughputPoint(long timeMs, double inPerSecond, Double outPerSecond) {
    }

    /**
     * A dead-letter (or expiry) queue.
     *
     * @param exists       whether the queue exists yet (it is created with its first dead letter)
     * @param messages     dead letters waiting in it
     * @param sourceQueues the queues whose dead letters go there
     */
    public record DeadLetterQueue(String name, boolean exists, long messages, List<String> sourceQueues) {
    }

    /** A consumer open on a client connection. */
    public record Consumer(int id, String kind, String type, String destination, String subscription, long credit) {
    }

    /** A client connection to the broker. */
    public record Connection(String remoteAddress, String clientId, String user, List<Consumer> consumers) {
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
