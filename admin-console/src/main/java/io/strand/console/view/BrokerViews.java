package io.strand.console.view;

import io.strand.admin.Browse;
import io.strand.admin.BrowsedMessage;
import io.strand.admin.DescribeCluster;
import io.strand.admin.DescribeConnections;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.DescribeShareGroups;
import io.strand.admin.DescribeSubscriptions;
import io.strand.admin.StrandAdmin;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.admin.AdminException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Builds the console's pages from the admin api's answers: each page is a few describe calls on one
 * admin connection, joined by destination and partition. Every describe of destinations is also a
 * throughput sample ({@link ThroughputHistory}). Holds no state of its own besides that history.
 */
public final class BrokerViews {
    /** Characters of a body preview in the message browser. */
    public static final int PREVIEW_CHARS = 2_000;

    private final StrandAdmin admin;
    private final ThroughputHistory history;
    private final LongSupplier clockMs;

    public BrokerViews(StrandAdmin admin, ThroughputHistory history, LongSupplier clockMs) {
        this.admin = admin;
        this.history = history;
        this.clockMs = clockMs;
    }

    /** The key of a destination's throughput series. */
    public static String key(DestinationType type, String name) {
        return type.name().toLowerCase() + ":" + name;
    }

    public Views.Overview overview(String brokerUrl) {
        DescribeCluster.Response cluster = admin.describeCluster();
        List<DescribeDestinations.Destination> destinations = admin.describeDestinations(null, null);
        Map<String, DescribeShareGroups.ShareGroup> groups = admin.describeShareGroups(null).stream()
                .collect(Collectors.toMap(DescribeShareGroups.ShareGroup::queue, Function.identity(), (a, b) -> a));
        Map<String, List<DescribeSubscriptions.Subscription>> subscriptions = admin.describeSubscriptions(null)
                .stream().collect(Collectors.groupingBy(DescribeSubscriptions.Subscription::topic));
        List<DescribeConnections.Connection> connections = admin.describeConnections();
        long now = clockMs.getAsLong();

        List<Views.DestinationSummary> rows = new ArrayList<>();
        long appended = 0;
        long consumed = 0;
        for (DescribeDestinations.Destination d : destinations) {
            DescribeShareGroups.ShareGroup group = d.type() == DestinationType.QUEUE ? groups.get(d.name()) : null;
            Long destinationConsumed = consumed(group);
            sample(d, destinationConsumed, now);
            appended += appended(d);
            consumed += destinationConsumed == null ? 0 : destinationConsumed;
            rows.add(summary(d, group, subscriptions.getOrDefault(d.name(), List.of())));
        }
        history.recordBroker(now, appended, consumed);
        rows.sort(Comparator.comparing(Views.DestinationSummary::type).thenComparing(Views.DestinationSummary::name));

        Views.ThroughputPoint rate = history.brokerPoints().isEmpty() ? null
                : history.brokerPoints().get(history.brokerPoints().size() - 1);
        Views.Totals totals = new Views.Totals(rows.size(),
                rows.stream().mapToInt(Views.DestinationSummary::partitions).sum(),
                rows.stream().mapToLong(Views.DestinationSummary::messages).sum(),
                rows.stream().mapToLong(Views.DestinationSummary::sizeBytes).sum(),
                rows.stream().mapToLong(Views.DestinationSummary::lag).sum(), connections.size(),
                connections.stream().mapToInt(c -> c.consumers().size()).sum(),
                rate == null ? null : rate.inPerSecond(), rate == null ? null : rate.outPerSecond());
        return new Views.Overview(brokerUrl, cluster.controllerId(), brokers(cluster, destinations), totals, rows,
                history.brokerPoints());
    }

    /** @throws AdminException UNKNOWN_DESTINATION when there is no such destination */
    public Views.Destination destination(DestinationType type, String name) {
        List<DescribeDestinations.Destination> found = admin.describeDestinations(type, name);
        if (found.isEmpty()) {
            throw new AdminException(ErrorCode.UNKNOWN_DESTINATION, "there is no " + type.name().toLowerCase() + " "
                    + name);
        }
        DescribeDestinations.Destination d = found.get(0);
        Views.QueueState queue = null;
        List<Views.Subscription> subscriptions = List.of();
        Long consumed = null;
        if (type == DestinationType.QUEUE) {
            DescribeShareGroups.ShareGroup group = admin.describeShareGroups(name).stream().findFirst().orElse(null);
            queue = group == null ? null : queueState(group);
            consumed = consumed(group);
        } else {
            subscriptions = subscriptions(name);
        }
        sample(d, consumed, clockMs.getAsLong());
        return new Views.Destination(typeName(d.type()), d.name(), d.temporary(), d.retentionMs(), d.retentionBytes(),
                reported(d.replicationFactor()), reported(d.minInsyncReplicas()), d.messages(), d.sizeBytes(), d.partitions().stream().map(BrokerViews::partition).toList(), queue,
                subscriptions, history.points(key(d.type(), d.name())));
    }

    private static Integer reported(int value) {
        return value == DescribeDestinations.Destination.NOT_REPORTED ? null : value;
    }

    /** @param topic null for every topic */
    public List<Views.Subscription> subscriptions(String topic) {
        return admin.describeSubscriptions(topic).stream().map(BrokerViews::subscription)
                .sorted(Comparator.comparing(Views.Subscription::topic)
                        .thenComparing(Views.Subscription::clientId, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Views.Subscription::name)).toList();
    }

    /**
     * Every dead-letter queue a queue or a topic's shared subscription names that exists or has messages waiting,
     * with the queues and subscriptions feeding it.
     */
    public List<Views.DeadLetterQueue> deadLetterQueues() {
        Map<String, DescribeDestinations.Destination> queues = admin.describeDestinations(DestinationType.QUEUE, null)
                .stream().collect(Collectors.toMap(DescribeDestinations.Destination::name, Function.identity()));
        Map<String, List<DescribeShareGroups.ShareGroup>> queueSources = new TreeMap<>();
        Map<String, Long> waiting = new TreeMap<>();
        for (DescribeShareGroups.ShareGroup group : admin.describeShareGroups(null)) {
            queueSources.computeIfAbsent(group.deadLetterQueue(), k -> new ArrayList<>()).add(group);
            waiting.merge(group.deadLetterQueue(), group.deadLetters(), Math::max);
        }
        Map<String, List<DescribeSubscriptions.Subscription>> subscriptionSources = new TreeMap<>();
        for (DescribeSubscriptions.Subscription s : admin.describeSubscriptions(null)) {
            if (s.deadLetterQueue() != null) {
                subscriptionSources.computeIfAbsent(s.deadLetterQueue(), k -> new ArrayList<>()).add(s);
                waiting.merge(s.deadLetterQueue(), s.deadLetters(), Math::max);
            }
        }
        List<Views.DeadLetterQueue> rows = new ArrayList<>();
        waiting.forEach((name, messages) -> {
            boolean exists = queues.containsKey(name);
            if (exists || messages > 0) {
                rows.add(new Views.DeadLetterQueue(name, exists, messages,
                        queueSources.getOrDefault(name, List.of()).stream().map(DescribeShareGroups.ShareGroup::queue)
                                .filter(q -> !q.equals(name)).sorted().toList(),
                        subscriptionSources.getOrDefault(name, List.of()).stream()
                                .map(s -> new Views.SubscriptionName(s.topic(), label(s))).toList()));
            }
        });
        return rows;
    }

    /** How dead letters name a shared subscription: {@code clientId:name}, or the name alone. */
    private static String label(DescribeSubscriptions.Subscription s) {
        return s.clientId() == null ? s.name() : s.clientId() + ":" + s.name();
    }

    /** The client connections by client id, those without one last; each with its sessions and their consumers. */
    public List<Views.ClientConnections> connections() {
        return DescribeConnections.byClientId(admin.describeConnections()).stream().map(g -> {
            List<Views.Connection> connections = g.connections().stream().map(c -> new Views.Connection(
                    c.remoteAddress(), c.clientId(), c.user(),
                    c.sessions().stream().map(BrokerViews::session).toList())).toList();
            List<DescribeConnections.Consumer> consumers = g.consumers();
            boolean ratesKnown = consumers.stream().allMatch(k -> k.deliveryRate() >= 0);
            return new Views.ClientConnections(g.clientId(), consumers.size(), ratesKnown
                    ? consumers.stream().mapToDouble(DescribeConnections.Consumer::deliveryRate).sum() : null,
                    consumers.stream().mapToLong(k -> Math.max(0, k.inFlight())).sum(), connections);
        }).toList();
    }

    private static Views.Session session(DescribeConnections.Session s) {
        return new Views.Session(s.id() == DescribeConnections.Session.UNKNOWN ? null : s.id(), rate(s.deliveryRate()),
                s.inFlight(), s.consumers().stream().map(k -> new Views.Consumer(k.id(),
                        k.kind().name().toLowerCase().replace('_', '-'), typeName(k.type()), k.destination(),
                        k.subscription(), k.selector(), k.credit(), known(k.delivered()), rate(k.deliveryRate()),
                        known(k.inFlight()), known(k.lag()), k.oldestAgeMs())).toList());
    }

    /** A rate the broker measured, or null when it did not (a negative figure from an older broker). */
    private static Double rate(double perSecond) {
        return perSecond < 0 ? null : perSecond;
    }

    private static Long known(long count) {
        return count < 0 ? null : count;
    }

    /**
     * Messages of one partition, consumed or not.
     *
     * @param fromOffset the first offset, or null
     * @param fromTimeMs the first message written at or after this time, or null
     * @param newest     with neither: the newest {@code max} messages; else the oldest kept
     */
    public Views.MessagePage browse(DestinationType type, String name, int partition, Long fromOffset, Long fromTimeMs,
                                    boolean newest, int max) {
        DescribeDestinations.Destination d = admin.describeDestinations(type, name).stream().findFirst()
                .orElseThrow(() -> new AdminException(ErrorCode.UNKNOWN_DESTINATION, "there is no "
                        + type.name().toLowerCase() + " " + name));
        DescribeDestinations.Partition p = d.partitions().stream().filter(x -> x.partition() == partition).findFirst()
                .orElseThrow(() -> new AdminException(ErrorCode.UNKNOWN_PARTITION, type.name().toLowerCase() + " "
                        + name + " has partitions 0 to " + (d.partitions().size() - 1) + ", not " + partition));
        List<Views.Message> messages = List.of();
        long offset = fromOffset != null ? fromOffset
                : newest ? Math.max(p.logStartOffset(), p.highWatermark() - max) : p.logStartOffset();
        boolean empty = fromTimeMs == null && offset >= p.highWatermark();
        if (!empty) {
            Browse.Request request = fromTimeMs != null
                    ? new Browse.Request(type, name, partition, -1, fromTimeMs, max)
                    : new Browse.Request(type, name, partition, offset, -1, max);
            messages = admin.browse(request, PREVIEW_CHARS).stream().map(BrokerViews::message).toList();
        }
        return new Views.MessagePage(typeName(type), name, partition, p.logStartOffset(), p.highWatermark(), messages);
    }

    private void sample(DescribeDestinations.Destination d, Long consumed, long now) {
        history.record(key(d.type(), d.name()), now, appended(d), consumed);
    }

    private static long appended(DescribeDestinations.Destination d) {
        return d.partitions().stream().mapToLong(DescribeDestinations.Partition::logEndOffset).sum();
    }

    /** Messages ever consumed from a queue: in each partition, what lies below the high watermark minus the lag. */
    private static Long consumed(DescribeShareGroups.ShareGroup group) {
        return group == null ? null : group.partitions().stream().mapToLong(p -> p.highWatermark() - p.lag()).sum();
    }

    private Views.DestinationSummary summary(DescribeDestinations.Destination d, DescribeShareGroups.ShareGroup group,
                                             List<DescribeSubscriptions.Subscription> subscriptions) {
        Views.ThroughputPoint rate = history.latest(key(d.type(), d.name()));
        long lag;
        long oldest;
        int consumers;
        if (group != null) {
            lag = group.lag();
            oldest = group.oldestAgeMs();
            consumers = group.consumers();
        } else {
            lag = subscriptions.stream().mapToLong(DescribeSubscriptions.Subscription::lag).sum();
            oldest = subscriptions.stream().mapToLong(DescribeSubscriptions.Subscription::oldestAgeMs).max().orElse(-1);
            consumers = subscriptions.stream().mapToInt(s -> s.members().size()).sum();
        }
        return new Views.DestinationSummary(typeName(d.type()), d.name(), d.temporary(), d.partitions().size(),
                d.messages(), d.sizeBytes(), rate == null ? null : rate.inPerSecond(),
                rate == null ? null : rate.outPerSecond(), lag, oldest, consumers,
                group == null ? null : group.deadLetterQueue(), group == null ? 0 : group.deadLetters(),
                (int) d.partitions().stream().filter(DescribeDestinations.Partition::underReplicated).count());
    }

    private static List<Views.Broker> brokers(DescribeCluster.Response cluster,
                                              List<DescribeDestinations.Destination> destinations) {
        return cluster.brokers().stream().map(b -> new Views.Broker(b.id(), b.host(), b.port(),
                b.id() == cluster.controllerId(),
                (int) destinations.stream().flatMap(d -> d.partitions().stream()).filter(p -> p.leader() == b.id())
                        .count(),
                (int) destinations.stream().flatMap(d -> d.partitions().stream())
                        .filter(p -> p.replicas().contains(b.id())).count())).toList();
    }

    private static Views.Partition partition(DescribeDestinations.Partition p) {
        return new Views.Partition(p.partition(), p.leader(), p.replicas(), p.isr(), p.underReplicated(),
                p.logStartOffset(), p.logEndOffset(), p.highWatermark(), p.messages(), p.sizeBytes(), p.segments());
    }

    private static Views.QueueState queueState(DescribeShareGroups.ShareGroup g) {
        return new Views.QueueState(g.consumers(), g.lag(), g.inFlight(), g.oldestAgeMs(), g.deadLetterQueue(),
                g.deadLetters(), g.partitions().stream().map(p -> new Views.QueuePartition(p.partition(),
                        p.startOffset(), p.highWatermark(), p.lag(), p.inFlight(), p.delayed(), p.oldestAgeMs()))
                        .toList());
    }

    private static Views.Subscription subscription(DescribeSubscriptions.Subscription s) {
        return new Views.Subscription(s.kind().name().toLowerCase().replace('_', '-'), s.clientId(), s.name(),
                s.topic(), s.selector(), s.noLocal(), s.active(), s.members().stream()
                .map(m -> new Views.Member(m.remoteAddress(), m.consumerId())).toList(), s.lag(), known(s.inFlight()),
                s.oldestAgeMs(), s.deadLetterQueue(), s.deadLetters(), s.partitions().stream()
                .map(p -> new Views.SubscriptionPartition(p.partition(), p.position(), p.highWatermark(), p.lag(),
                        known(p.inFlight()), p.oldestAgeMs())).toList());
    }

    private static Views.Message message(BrowsedMessage m) {
        return new Views.Message(m.partition(), m.offset(), m.timestamp(), m.messageId(), m.correlationId(), m.type(),
                m.deliveryMode(), m.priority(), m.expiration(), m.properties(), m.bodyKind(), m.bodyBytes(),
                m.bodyPreview());
    }

    static String typeName(DestinationType type) {
        return type.name().toLowerCase();
    }
}
