package io.strand.jms.client;

import io.strand.protocol.Shares;
import io.strand.protocol.Transactions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * The acknowledgements a COMMIT carries for the messages its transaction received, in the
 * {@link AckStyle} of each consumer: a queue receiver's records accepted as ranges of consecutive
 * offsets, a topic subscriber's partition acknowledged up to its highest offset — or, while the subscriber
 * holds back a record below that for its delivery time, up to just below the record, the rest deferred.
 *
 * @param queue         what each queue receiver accepts, per partition
 * @param topic         how far each topic subscriber got, per partition
 * @param deferredTopic topic acknowledgements the commit cannot carry because a record below them is held back:
 *                      committed all the same, they are sent once that record is acknowledged
 */
public record CommitAcknowledgements(List<Transactions.QueueAcks> queue, List<Transactions.TopicAck> topic,
                                     List<Transactions.TopicAck> deferredTopic) {
    private record Key(int consumerId, int partition) {
    }

    /** How far a topic subscriber's cumulative acknowledgement of a partition may go. */
    @FunctionalInterface
    public interface TopicCeiling {
        /**
         * @param settling the offsets of the partition the commit acknowledges itself
         * @return the highest offset the acknowledgement may name, {@link Long#MAX_VALUE} for no limit
         */
        long highestAcknowledgeable(int consumerId, int partition, LongPredicate settling);
    }

    public CommitAcknowledgements {
        queue = List.copyOf(queue);
        topic = List.copyOf(topic);
        deferredTopic = List.copyOf(deferredTopic);
    }

    /** @param deliveries the messages handed to the application during the transaction */
    public static CommitAcknowledgements of(List<Delivery> deliveries) {
        return of(deliveries, (consumerId, partition, settling) -> Long.MAX_VALUE);
    }

    /**
     * @param deliveries the messages handed to the application during the transaction
     * @param ceiling    how far each topic subscriber's acknowledgements may go
     */
    public static CommitAcknowledgements of(List<Delivery> deliveries, TopicCeiling ceiling) {
        final Map<Key, NavigableMap<Long, Shares.AckType>> accepted = new LinkedHashMap<>();
        final Map<Key, NavigableSet<Long>> received = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            final Key key = new Key(d.consumerId(), d.partition());
            if (d.isAcquired()) {
                accepted.computeIfAbsent(key, k -> new TreeMap<>()).put(d.offset(), Shares.AckType.ACCEPT);
            } else {
                received.computeIfAbsent(key, k -> new TreeSet<>()).add(d.offset());
            }
        }
        final List<Transactions.QueueAcks> queue = new ArrayList<>(accepted.size());
        accepted.forEach((key, outcomes) -> {
            final List<Shares.AckRange> ranges = RangeAcks.ranges(outcomes);
            for (int from = 0; from < ranges.size(); from += Shares.MAX_RANGES) {
                queue.add(new Transactions.QueueAcks(key.consumerId(), key.partition(),
                        ranges.subList(from, Math.min(ranges.size(), from + Shares.MAX_RANGES))));
            }
        });
        final List<Transactions.TopicAck> topic = new ArrayList<>(received.size());
        final List<Transactions.TopicAck> deferred = new ArrayList<>();
        received.forEach((key, offsets) -> {
            final long highest = offsets.last();
            final long cap = ceiling.highestAcknowledgeable(key.consumerId(), key.partition(), offsets::contains);
            if (highest <= cap) {
                topic.add(new Transactions.TopicAck(key.consumerId(), key.partition(), highest));
                return;
            }
            if (cap >= offsets.first()) { // the part below the held-back record goes now
                topic.add(new Transactions.TopicAck(key.consumerId(), key.partition(), cap));
            }
            deferred.add(new Transactions.TopicAck(key.consumerId(), key.partition(), highest));
        });
        return new CommitAcknowledgements(queue, topic, deferred);
    }
}
