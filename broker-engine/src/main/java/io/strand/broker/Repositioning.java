package io.strand.broker;

import io.strand.admin.Rewind;
import io.strand.log.PartitionLog;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An operator's moves of consumption positions: rewinding (or fast-forwarding) a durable
 * subscription or a queue's share group to an offset or a time, and purging a queue. Only positions
 * change; the records stay in the log until retention removes them. Thread-safe.
 */
final class Repositioning {
    private final DestinationRegistry destinations;
    private final DurableSubscriptions subscriptions;
    private final ShareGroups shareGroups;
    private final AdminViews views;
    private final PartitionWatchers watchers;

    Repositioning(DestinationRegistry destinations, DurableSubscriptions subscriptions, ShareGroups shareGroups,
                  AdminViews views, PartitionWatchers watchers) {
        this.destinations = destinations;
        this.subscriptions = subscriptions;
        this.shareGroups = shareGroups;
        this.views = views;
        this.watchers = watchers;
    }

    /** The positions moved to; the future completes once they are durable. */
    record Moved(List<Rewind.Position> positions, CompletableFuture<Void> durable) {
    }

    Moved rewind(Rewind.Request r) {
        return r.target() == Rewind.Target.SUBSCRIPTION ? rewindSubscription(r) : rewindQueue(r);
    }

    private Moved rewindSubscription(Rewind.Request r) {
        if (r.clientId() == null || r.clientId().isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "a durable subscription is named by its client id"
                    + " and its name; the client id is missing");
        }
        DurableSubscription subscription = subscriptions.find(r.clientId(), r.name());
        Destination topic = destinations.lookup(DestinationType.TOPIC, subscription.topic(), false);
        List<Rewind.Position> moved = targets(topic, r);
        long[] positions = subscription.positions();
        for (Rewind.Position position : moved) {
            if (position.partition() < positions.length) {
                positions[position.partition()] = position.offset();
            }
        }
        return new Moved(moved, subscription.moveTo(positions));
    }

    private Moved rewindQueue(Rewind.Request r) {
        Destination queue = destinations.lookup(DestinationType.QUEUE, r.name(), false);
        refuseWhileConsumed(queue, "rewinding");
        List<Rewind.Position> moved = targets(queue, r);
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (Rewind.Position position : moved) {
            PartitionLog log = queue.partitions().get(position.partition());
            durable.add(shareGroups.restartAt(queue.name(), position.partition(), log.logStartOffset(),
                    position.offset()));
            watchers.recordsAvailable(log.topicPartition());
        }
        return new Moved(moved, CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)));
    }

    /**
     * A queue receiver holds records and keeps its own cursor; moving the share group under it would
     * make its acknowledgements fail. (One that opens during the rewind itself is not caught: it sees
     * the group restart and scans again from the new start.)
     */
    private void refuseWhileConsumed(Destination queue, String what) {
        int consumers = views.queueConsumers(queue);
        if (consumers > 0) {
            throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "queue " + queue.name() + " has " + consumers
                    + " receiver(s) open; close them before " + what + " it");
        }
    }

    /** Resolves the request's partition (or all) and offset or time into positions, each checked against its log. */
    private static List<Rewind.Position> targets(Destination destination, Rewind.Request r) {
        List<Integer> partitions = new ArrayList<>();
        if (r.partition() == -1) {
            for (int p = 0; p < destination.partitions().size(); p++) {
                partitions.add(p);
            }
        } else {
            destination.partition(r.partition()); // UNKNOWN_PARTITION when there is none
            partitions.add(r.partition());
        }
        List<Rewind.Position> positions = new ArrayList<>();
        for (int p : partitions) {
            PartitionLog log = destination.partitions().get(p);
            long offset = r.offset() >= 0 ? checkedOffset(destination, p, log, r.offset())
                    : RecordTimes.offsetForTime(log, r.timestamp());
            positions.add(new Rewind.Position(p, offset));
        }
        return positions;
    }

    private static long checkedOffset(Destination destination, int partition, PartitionLog log, long offset) {
        if (offset < log.logStartOffset()) {
            throw new BrokerException(ErrorCode.OFFSET_OUT_OF_RANGE, "offset " + offset + " is before the log start "
                    + log.logStartOffset() + " of " + destination.key() + " partition " + partition
                    + ": the records before it are gone");
        }
        if (offset > log.highWatermark()) {
            throw new BrokerException(ErrorCode.OFFSET_OUT_OF_RANGE, "offset " + offset + " is past the high watermark "
                    + log.highWatermark() + " of " + destination.key() + " partition " + partition);
        }
        return offset;
    }

    /** Records purged (not consumed before); the future completes once the purge is durable. */
    record Purged(long records, CompletableFuture<Void> durable) {
    }

    Purged purge(String queueName) {
        Destination queue = destinations.lookup(DestinationType.QUEUE, queueName, false);
        long before = views.unconsumed(queueName);
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int p = 0; p < queue.partitions().size(); p++) {
            PartitionLog log = queue.partitions().get(p);
            durable.add(shareGroups.restartAt(queue.name(), p, log.logStartOffset(), log.highWatermark()));
        }
        return new Purged(before, CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)));
    }
}
