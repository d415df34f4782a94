package io.strand.jms.client;

import io.strand.protocol.Shares;
import io.strand.protocol.Transactions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The acknowledgements a COMMIT carries for the messages its transaction received, in the
 * {@link AckStyle} of each consumer: a queue receiver's records accepted as ranges of consecutive
 * offsets, a topic subscriber's partition acknowledged up to its highest offset.
 *
 * @param queue what each queue receiver accepts, per partition
 * @param topic how far each topic subscriber got, per partition
 */
public record CommitAcknowledgements(List<Transactions.QueueAcks> queue, List<Transactions.TopicAck> topic) {
    private record Key(int consumerId, int partition) {
    }

    public CommitAcknowledgements {
        queue = List.copyOf(queue);
        topic = List.copyOf(topic);
    }

    /** @param deliveries the messages handed to the application during the transaction */
    public static CommitAcknowledgements of(List<Delivery> deliveries) {
        final Map<Key, NavigableMap<Long, Shares.AckType>> accepted = new LinkedHashMap<>();
        final Map<Key, Long> highest = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            final Key key = new Key(d.consumerId(), d.partition());
            if (d.isAcquired()) {
                accepted.computeIfAbsent(key, k -> new TreeMap<>()).put(d.offset(), Shares.AckType.ACCEPT);
            } else {
                highest.merge(key, d.offset(), Math::max);
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
        final List<Transactions.TopicAck> topic = new ArrayList<>(highest.size());
        highest.forEach((key, offset) -> topic.add(new Transactions.TopicAck(key.consumerId(), key.partition(), offset)));
        return new CommitAcknowledgements(queue, topic);
    }
}
