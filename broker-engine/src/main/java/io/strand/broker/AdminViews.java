package io.strand.broker;

import io.strand.admin.DescribeConnections;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.DescribeShareGroups;
import io.strand.admin.DescribeSubscriptions;
import io.strand.log.PartitionLog;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.SubscriptionKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What the admin describe calls show, read from the broker's own state without changing it:
 * destinations and their logs, durable subscriptions and share groups with their lag, the consumers
 * of a connection. A single broker leads and holds every partition, so leader and replicas name it.
 * Thread-safe, except {@link #consumersOf}, which runs on the connection's event loop.
 */
final class AdminViews {
    private final int brokerId;
    private final BrokerConfig.DeadLetterSettings deadLetters;
    private final DestinationRegistry destinations;
    private final DurableSubscriptions subscriptions;
    private final ShareGroups shareGroups;
    private final PartitionWatchers watchers;

    AdminViews(BrokerConfig config, DestinationRegistry destinations, DurableSubscriptions subscriptions,
               ShareGroups shareGroups, PartitionWatchers watchers) {
        this.brokerId = config.brokerId();
        this.deadLetters = config.deadLetters();
        this.destinations = destinations;
        this.subscriptions = subscriptions;
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
            partitions.add(new DescribeDestinations.Partition(p, brokerId, List.of(brokerId), log.logStartOffset(),
                    log.logEndOffset(), log.highWatermark(), log.sizeInBytes(), log.segmentCount()));
        }
        PartitionLog first = destination.partitions().get(0);
        return new DescribeDestinations.Destination(destination.type(), destination.name(),
                DestinationRegistry.isTemporary(destination.name()), first.config().retentionMs(),
                first.config().retentionBytes(), partitions);
    }

    /** @param topic null for every topic; a topic that does not exist is UNKNOWN_DESTINATION */
    List<DescribeSubscriptions.Subscription> subscriptions(String topic, long now) {
        if (topic != null) {
            destinations.lookup(DestinationType.TOPIC, topic, false);
        }
        List<DescribeSubscriptions.Subscription> views = new ArrayList<>();
        for (DurableSubscription s : subscriptions.list(topic)) {
            List<DescribeSubscriptions.PartitionLag> lags = new ArrayList<>();
            Destination of = topicOrNull(s.topic());
            long[] positions = s.positions();
            for (int p = 0; of != null && p < of.partitions().size(); p++) {
                PartitionLog log = of.partitions().get(p);
                long highWatermark = log.highWatermark();
                long position = p < positions.length && positions[p] != DurableSubscription.UNSET
                        ? Math.max(positions[p], log.logStartOffset()) : highWatermark;
                long lag = Math.max(0, highWatermark - position);
                lags.add(new DescribeSubscriptions.PartitionLag(p, position, highWatermark, lag,
                        lag == 0 ? -1 : age(RecordTimes.timestampAt(log, position), now)));
            }
            views.add(new DescribeSubscriptions.Subscription(s.clientId(), s.name(), s.topic(), s.selector(),
                    s.noLocal(), s.isActive(), lags));
        }
        return views;
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
                lags.add(partitionLag(q, p, now));
            }
            String deadLetterQueue = deadLetters.deadLetterQueueOf(q.name());
            views.add(new DescribeShareGroups.ShareGroup(q.name(), queueConsumers(q), deadLetterQueue,
                    unconsumed(deadLetterQueue), lags));
        }
        return views;
    }

    private DescribeShareGroups.PartitionLag partitionLag(Destination queue, int partition, long now) {
        PartitionLog log = queue.partitions().get(partition);
        long highWatermark = log.highWatermark();
        SharePartition share = shareGroups.find(queue.name(), partition);
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

    /** The consumers of a connection; call on its event loop. */
    static List<DescribeConnections.Consumer> consumersOf(ClientConnection connection) {
        List<DescribeConnections.Consumer> views = new ArrayList<>();
        for (BrokerConsumer consumer : connection.consumers()) {
            if (!(consumer instanceof PushingConsumer pushing)) {
                continue;
            }
            SubscriptionKind kind;
            String subscription = null;
            if (pushing instanceof TopicConsumer topic) {
                DurableSubscription durable = topic.subscription();
                kind = durable == null ? SubscriptionKind.NON_DURABLE : SubscriptionKind.DURABLE;
                subscription = durable == null ? null : durable.name();
            } else if (pushing instanceof BrowserConsumer) {
                kind = SubscriptionKind.BROWSER;
            } else {
                // A share-group reader: a queue receiver, or a consumer of a shared topic subscription.
                kind = pushing.destination.type() == DestinationType.QUEUE ? SubscriptionKind.QUEUE : SubscriptionKind.SHARED;
            }
            views.add(new DescribeConnections.Consumer(pushing.id(), kind, pushing.destination.type(),
                    pushing.destination.name(), subscription, pushing.credit));
        }
        return views;
    }
}
