package io.strand.jms.client;

import io.strand.protocol.ApiKey;
import io.strand.protocol.Shares;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AckStyle#PER_RECORD}: each record's outcome by offset, sent as ranges of consecutive offsets
 * with the same outcome, so a consumer that accepts everything it took sends one range per request
 * however many records it covers.
 */
final class RangeAcks implements PendingAcks {
    private final NavigableMap<Long, Shares.AckType> outcomes = new TreeMap<>();

    @Override
    public void add(long offset, Shares.AckType type) {
        final Shares.AckType before = outcomes.putIfAbsent(offset, type);
        if (before != null && before != type) {
            // One delivery gets one outcome; two different ones for an offset is a bookkeeping bug.
            throw new IllegalStateException("offset " + offset + " is already queued as " + before + ", not " + type);
        }
    }

    @Override
    public boolean isEmpty() {
        return outcomes.isEmpty();
    }

    @Override
    public CompletableFuture<Void> send(WireConnection wire, int consumerId, int partition) {
        final List<Shares.AckRange> ranges = ranges(outcomes);
        outcomes.clear();
        final List<CompletableFuture<?>> answers = new ArrayList<>();
        for (int from = 0; from < ranges.size(); from += Shares.MAX_RANGES) {
            final Shares.AcknowledgeRequest request = new Shares.AcknowledgeRequest(consumerId, partition,
                    ranges.subList(from, Math.min(ranges.size(), from + Shares.MAX_RANGES)));
            answers.add(wire.sendForStatus(ApiKey.SHARE_ACKNOWLEDGE, request::writeTo));
        }
        return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0]));
    }

    /** @return the outcomes as the fewest ranges: consecutive offsets with the same outcome are one range */
    static List<Shares.AckRange> ranges(NavigableMap<Long, Shares.AckType> outcomes) {
        final List<Shares.AckRange> ranges = new ArrayList<>();
        long first = -1;
        long last = -1;
        Shares.AckType type = null;
        for (Map.Entry<Long, Shares.AckType> e : outcomes.entrySet()) {
            final long offset = e.getKey();
            if (type != null && offset == last + 1 && e.getValue() == type) {
                last = offset;
                continue;
            }
            if (type != null) {
                ranges.add(new Shares.AckRange(first, last, type));
            }
            first = offset;
            last = offset;
            type = e.getValue();
        }
        if (type != null) {
            ranges.add(new Shares.AckRange(first, last, type));
        }
        return ranges;
    }
}
