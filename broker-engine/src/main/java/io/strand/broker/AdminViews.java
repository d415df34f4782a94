package io.strand.broker;

import io.strand.admin.DescribeConnections;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.DescribeShareGroups;
import io.strand.admin.DescribeSubscriptions;
import io.strand.log.PartitionLog;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.SubscriptionKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the admin describe calls show, read from the broker's own state without changing it:
 * destinations and their logs, durable and shared subscriptions and share groups with their lag, the
 * sessions and consumers of a connection with what each was sent, holds and waits for. A single broker
 * leads and holds every partition, so leader and replicas name it.
 * Thread-safe, except {@link #sessionsOf}, which runs on the connection's event loop.
 */
final class AdminViews {
    private final int brokerId;
    private final BrokerConfig.DeadLetterSettings deadLetters;
    private final DestinationRegistry destinations;
    private final DurableSubscriptions subscriptions;
    private final SharedSubscriptions sharedSubscriptions;
    private final ShareGroups shareGroups;
    private final PartitionWatchers watchers;
    private final ClusterView cluster;

    /** @param cluster the cluster this broker belongs to, or null when it runs alone */
    AdminViews(BrokerConfig config, DestinationRegistry destinations, DurableSubscriptions subscriptions,
               SharedSubscriptions sharedSubscriptions, ShareGroups shareGroups, PartitionWatchers watchers,
               ClusterView cluster) {
        this.brokerId = config.brokerId();
        this.cluster = cluster;
        this.deadLetters = config.deadLetters();
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.sharedSubscriptions = sharedSubscriptions;
        this.shareGroups = shareGroups;
        this.watchers = watchers;
    }

    /** Destinations of a type and name; either may be null for all. A name that matches nothing is UNKNOWN_DESTINATION. */
    List<Destination> select(DestinationType type, String name) {
        if (name != null) {
            if (type != null) {
                return List.of(destinations.lookup(type, name, false));
            }
            List<Destination> named = destinations.list().stream().filter(d -> d.name().equals(name)).toList();
            if (named.isEmpty()) {
                DestinationRegistry.validateName(name);
                throw new BrokerException(ErrorCode.UNKNOWN_DESTINATION, "no queue or topic is named "
                        + name);
            }
            return named;
        }
        return destinations.list().stream().filter(d -> type == null || d.type() == type).toList();
    }

    DescribeDestinations.Destination describe(Destination destination) {
        List<DescribeDestinations.Partition> partitions = new ArrayList<>();
        for (int p = 0; p < destination.partitions().size(); p++) {
            PartitionLog log = destination.partitions().get(p);
            ClusterView.Placement placement = cluster == null ? null : cluster.placement(log.topicPartition());
            if (placement == null) {
                placement = new ClusterView.Placement(brokerId, List.of(brokerId), List.of(brokerId));
            }
            partitions.add(new DescribeDestinations.Partition(p, placement.leader(), placement.replicas(),
                    placement.isr(), log.logStartOffset(), log.logEndOffset(), log.highWatermark(), log.sizeInBytes(),
                    log.segmentCount()));
        }
        PartitionLog first = destination.partitions().get(0);
        DestinationReplication replication = destinations.replication(destination);
        return new DescribeDestinations.Destination(destination.type(), destination.name(),
                DestinationRegistry.isTemporary(destination.name()), first.config().retentionMs(),
                first.config().retentionBytes(), partitions, replication.replicationFactor(),
                replication.minInsyncReplicas());
    }

    /**
     * Durable and shared subscriptions, by topic, client id (none first) and name.
     *
     * @param topic null for every topic; a topic that does not exist is UNKNOWN_DESTINATION
     */
    List<DescribeSubscriptions.Subscription> subscriptions(String topic, long now) {
        if (topic != null) {
            destinations.lookup(DestinationType.TOPIC, topic, false);
        }
        List<DescribeSubscriptions.Subscription> views = new ArrayList<>();
        for (DurableSubscription s : subscriptions.list(topic)) {
            views.add(durable(s, now));
        }
        for (SharedSubscription s : sharedSubscriptions.list(topic)) {
            views.add(shared(s, now));
        }
        views.sort(Comparator.comparing(DescribeSubscriptions.Subscription::topic)
                .thenComparing(DescribeSubscriptions.Subscription::clientId,
                        Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(DescribeSubscriptions.Subscription::name));
        return views;
    }

    private DescribeSubscriptions.Subscription durable(DurableSubscription s, long now) {
        List<DescribeSubscriptions.PartitionLag> lags = new ArrayList<>();
        Destination of = topicOrNull(s.topic());
        long[] positions = s.positions();
        long[] delivered = s.deliveredMarks();
        for (int p = 0; of != null && p < of.partitions().size(); p++) {
            PartitionLog log = of.partitions().get(p);
            long highWatermark = log.highWatermark();
            long position = p < positions.length && positions[p] != DurableSubscription.UNSET
                    ? Math.max(positions[p], log.logStartOffset()) : highWatermark;
            long lag = Math.max(0, highWatermark - position);
            // Records from the position up to the delivered mark were pushed and are not acknowledged yet.
            long inFlight = p < delivered.length ? Math.max(0, Math.min(delivered[p], highWatermark) - position) : 0;
            lags.add(new DescribeSubscriptions.PartitionLag(p, position, highWatermark, lag, inFlight,
                    lag == 0 ? -1 : age(RecordTimes.timestampAt(log, position), now)));
        }
        TopicConsumer active = s.activeConsumer();
        List<DescribeSubscriptions.Member> members = active == null ? List.of() : List.of(member(active));
        return new DescribeSubscriptions.Subscription(SubscriptionKind.DURABLE, s.clientId(), s.name(), s.topic(),
                s.selector(), s.noLocal(), active != null, members, null, 0, lags);
    }

    private DescribeSubscriptions.Subscription shared(SharedSubscription s, long now) {
        List<DescribeSubscriptions.PartitionLag> lags = new ArrayList<>();
        Destination of = topicOrNull(s.topic());
        for (int p = 0; of != null && p < of.partitions().size(); p++) {
            DescribeShareGroups.PartitionLag lag = shareGroupLag(of.partitions().get(p), s.group(), p, now);
            lags.add(new DescribeSubscriptions.PartitionLag(p, lag.startOffset(), lag.highWatermark(), lag.lag(),
                    lag.inFlight(), lag.oldestAgeMs()));
        }
        List<DescribeSubscriptions.Member> members = s.members().stream().map(AdminViews::member).toList();
        String deadLetterQueue = deadLetters.deadLetterQueueOf(s.topic());
        return new DescribeSubscriptions.Subscription(
                s.isDurable() ? SubscriptionKind.SHARED_DURABLE : SubscriptionKind.SHARED, s.clientId(), s.name(),
                s.topic(), s.selector(), false, !members.isEmpty(), members, deadLetterQueue,
                unconsumed(deadLetterQueue), lags);
    }

    private static DescribeSubscriptions.Member member(PushingConsumer consumer) {
        return new DescribeSubscriptions.Member(String.valueOf(consumer.channel.remoteAddress()), consumer.id());
    }

    private Destination topicOrNull(String topic) {
        try {
            return destinations.lookup(DestinationType.TOPIC, topic, false);
        } catch (BrokerException e) {
            return null; // the topic was deleted under the subscription: no partitions to lag behind
        }
    }

    private static long age(long timestamp, long now) {
        return timestamp < 0 ? -1 : Math.max(0, now - timestamp);
    }

    /** @param queue null for every queue; a queue that does not exist is UNKNOWN_DESTINATION */
    List<DescribeShareGroups.ShareGroup> shareGroups(String queue, long now) {
        List<DescribeShareGroups.ShareGroup> views = new ArrayList<>();
        for (Destination q : select(DestinationType.QUEUE, queue)) {
            List<DescribeShareGroups.PartitionLag> lags = new ArrayList<>();
            for (int p = 0; p < q.partitions().size(); p++) {
                lags.add(shareGroupLag(q.partitions().get(p), q.name(), p, now));
            }
            String deadLetterQueue = deadLetters.deadLetterQueueOf(q.name());
            views.add(new DescribeShareGroups.ShareGroup(q.name(), queueConsumers(q), deadLetterQueue,
                    unconsumed(deadLetterQueue), lags));
        }
        return views;
    }

    /** Where the share group {@code group} (a queue's or a shared subscription's) stands in one partition. */
    private DescribeShareGroups.PartitionLag shareGroupLag(PartitionLog log, String group, int partition, long now) {
        long highWatermark = log.highWatermark();
        SharePartition share = shareGroups.find(group, partition);
        if (share == null) {
            long lag = highWatermark - log.logStartOffset();
            return new DescribeShareGroups.PartitionLag(partition, log.logStartOffset(), highWatermark, lag, 0, 0,
                    lag == 0 ? -1 : age(RecordTimes.timestampAt(log, log.logStartOffset()), now));
        }
        long start;
        long lag;
        long oldest;
        QueueState state;
        synchronized (share) {
            start = Math.max(share.startOffset(), log.logStartOffset());
            lag = highWatermark - start - doneBetween(share.snapshot(), start, highWatermark);
            oldest = share.firstNotDone(start);
            state = share.state();
        }
        return new DescribeShareGroups.PartitionLag(partition, start, highWatermark, Math.max(0, lag), state.inFlight(),
                state.delayed(), oldest < highWatermark ? age(RecordTimes.timestampAt(log, oldest), now) : -1);
    }

    /** Records of a queue's share group not yet consumed, or 0 when the queue does not exist. */
    long unconsumed(String queue) {
        Destination q;
        try {
            q = destinations.lookup(DestinationType.QUEUE, queue, false);
        } catch (BrokerException e) {
            return 0;
        }
        long total = 0;
        for (int p = 0; p < q.partitions().size(); p++) {
            PartitionLog log = q.partitions().get(p);
            SharePartition share = shareGroups.find(q.name(), p);
            if (share == null) {
                total += log.highWatermark() - log.logStartOffset();
                continue;
            }
            synchronized (share) {
                long start = Math.max(share.startOffset(), log.logStartOffset());
                total += Math.max(0, log.highWatermark() - start - doneBetween(share.snapshot(), start,
                        log.highWatermark()));
            }
        }
        return total;
    }

    /** Done records in {@code [from, to)} of a share group's state. */
    private static long doneBetween(List<SharePartition.Change> state, long from, long to) {
        long done = 0;
        for (SharePartition.Change change : state) {
            if (change.deliveryCount() == 0) {
                done += Math.max(0, Math.min(change.last() + 1, to) - Math.max(change.first(), from));
            }
        }
        return done;
    }

    /** Queue receivers open on a queue now (they watch every partition, so the first tells). */
    int queueConsumers(Destination queue) {
        return (int) watchers.watchersOf(queue.partitions().get(0).topicPartition()).stream()
                .filter(w -> w instanceof QueueConsumer).count();
    }

    /**
     * A connection's consumers by session, each with what it was sent, holds and waits for; call on the connection's
     * event loop.
     */
    List<DescribeConnections.Session> sessionsOf(ClientConnection connection, long now) {
        Map<Integer, List<DescribeConnections.Consumer>> sessions = new TreeMap<>();
        for (BrokerConsumer consumer : connection.consumers()) {
            if (consumer instanceof PushingConsumer pushing) {
                Consumers.OpenRequest opened = connection.openRequest(pushing.id());
                sessions.computeIfAbsent(opened.session(), k -> new ArrayList<>()).add(describe(pushing, opened, now));
            }
        }
        List<DescribeConnections.Session> views = new ArrayList<>();
        sessions.forEach((id, consumers) -> {
            consumers.sort(Comparator.comparingInt(DescribeConnections.Consumer::id));
            views.add(new DescribeConnections.Session(id, consumers));
        });
        return views;
    }

    /** @param opened the request that opened the consumer: its kind, subscription, selector and session */
    private DescribeConnections.Consumer describe(PushingConsumer consumer, Consumers.OpenRequest opened, long now) {
        SubscriptionKind kind = opened.kind();
        boolean subscribes = kind == SubscriptionKind.DURABLE || kind == SubscriptionKind.SHARED
                || kind == SubscriptionKind.SHARED_DURABLE;
        long inFlight = 0;
        Waiting waiting = Waiting.NONE;
        if (consumer instanceof TopicConsumer topic) {
            inFlight = topic.inFlight();
            waiting = afterPositions(topic, now);
        } else if (consumer instanceof QueueConsumer receiver) {
            for (int p = 0; p < receiver.destination.partitions().size(); p++) {
                inFlight += receiver.share(p).heldBy(receiver);
            }
            waiting = waitingIn(receiver.destination, receiver.source().group(), now);
        }
        DeliveryRate sent = consumer.sent();
        return new DescribeConnections.Consumer(consumer.id(), kind, consumer.destination.type(),
                consumer.destination.name(), subscribes ? opened.subscriptionName() : null, opened.selector(),
                consumer.credit(), sent.total(), sent.recent(now), sent.windowMs(now), inFlight, waiting.records(),
                waiting.oldestAgeMs());
    }

    /**
     * Records waiting for a consumer and the age of the oldest; a browser, which reads without taking, waits for
     * none ({@link DescribeConnections#UNKNOWN}).
     */
    private record Waiting(long records, long oldestAgeMs) {
        static final Waiting NONE = new Waiting(DescribeConnections.UNKNOWN, -1);
    }

    /** What a topic subscriber has not been pushed yet: the records from its positions up to the high watermarks. */
    private static Waiting afterPositions(TopicConsumer consumer, long now) {
        long records = 0;
        long oldest = -1;
        for (int p = 0; p < consumer.destination.partitions().size(); p++) {
            PartitionLog log = consumer.destination.partitions().get(p);
            long position = consumer.position(p);
            long behind = Math.max(0, log.highWatermark() - position);
            records += behind;
            if (behind > 0) {
                oldest = Math.max(oldest, age(RecordTimes.timestampAt(log, position), now));
            }
        }
        return new Waiting(records, oldest);
    }

    /**
     * The records of the share group {@code group} reading {@code destination} that wait for a consumer: neither
     * consumed nor held by anyone (delayed ones included), and the age of the oldest.
     */
    private Waiting waitingIn(Destination destination, String group, long now) {
        long records = 0;
        long oldest = -1;
        for (int p = 0; p < destination.partitions().size(); p++) {
            PartitionLog log = destination.partitions().get(p);
            long highWatermark = log.highWatermark();
            SharePartition share = shareGroups.find(group, p);
            long waiting;
            long first;
            if (share == null) {
                waiting = highWatermark - log.logStartOffset();
                first = log.logStartOffset();
            } else {
                synchronized (share) {
                    long start = Math.max(share.startOffset(), log.logStartOffset());
                    waiting = highWatermark - start - doneBetween(share.snapshot(), start, highWatermark)
                            - share.heldCount();
                    first = share.firstWaiting(start);
                }
            }
            records += Math.max(0, waiting);
            if (first < highWatermark) {
                oldest = Math.max(oldest, age(RecordTimes.timestampAt(log, first), now));
            }
        }
        return new Waiting(records, oldest);
    }
}
