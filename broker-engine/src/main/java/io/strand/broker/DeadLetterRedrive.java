package io.strand.broker;

import io.strand.admin.RedriveDeadLetters;
import io.strand.jms.message.EncodedHeaderLookup;
import io.strand.jms.message.HeaderView;
import io.strand.log.LogAppendInfo;
import io.strand.log.PartitionLog;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ResponseStatus;
import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.Record;
import io.strand.record.RecordBatchBuilder;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves records of a dead-letter queue back to where they came from: the queue named by
 * {@value DeadLetters#ORIGINAL_QUEUE_PROPERTY}, or the shared subscription named by
 * {@value DeadLetters#ORIGINAL_TOPIC_PROPERTY} and {@value DeadLetters#ORIGINAL_SUBSCRIPTION_PROPERTY}. Like the move
 * into the dead-letter queue, in reverse: the records are taken from the dead-letter queue's share group by the mover
 * so no consumer gets them meanwhile, copied (without the properties the dead-lettering added) into the log they
 * came from, and consumed in the dead-letter queue only once the copies are durable; a failure gives them back. A
 * crash in between may copy a record twice, never lose it. Records that name nothing existing to go back to stay
 * where they are.
 *
 * <p>A shared subscription reads its topic's log through a share group of its own, as a queue reads its log, so its
 * dead letters go back the way a queue's do: into that log, the topic. Every other reader of the topic must then
 * leave the copy alone, so it carries {@link RedriveMarks} naming the subscription. The original record may be gone
 * from the topic by retention long before an operator redrives, which is why the record is copied rather than made
 * available again in the share group. Thread-safe.
 */
final class DeadLetterRedrive {
    /** Bytes of records in one appended batch, well below the default largest batch a log accepts. */
    private static final int BATCH_BYTES = 256 * 1024;

    /** Where one dead letter goes back to: a queue, or a topic for one of its shared subscriptions. */
    private record Target(Destination destination, SharedSubscription subscription) {
        /** The copy to append: without what dead-lettering added, and for a subscription marked as its alone. */
        DeadLetters.MovedRecord copyOf(Record record) {
            DeadLetters.MovedRecord moved = ShareScanner.copy(record);
            Header[] headers = withoutDeadLetterMarks(moved.headers());
            return new DeadLetters.MovedRecord(moved.offset(), moved.timestamp(), moved.key(), moved.value(),
                    subscription == null ? headers : RedriveMarks.markedFor(subscription, headers));
        }

        RedriveDeadLetters.Moved moved(long count) {
            return new RedriveDeadLetters.Moved(destination.name(), subscription == null ? null : subscription.label(),
                    count);
        }
    }

    private final DestinationRegistry destinations;
    private final SharedSubscriptions sharedSubscriptions;
    private final ShareGroups shareGroups;
    private final HighWatermarks highWatermarks;

    DeadLetterRedrive(DestinationRegistry destinations, SharedSubscriptions sharedSubscriptions, ShareGroups shareGroups,
                      HighWatermarks highWatermarks) {
        this.destinations = destinations;
        this.sharedSubscriptions = sharedSubscriptions;
        this.shareGroups = shareGroups;
        this.highWatermarks = highWatermarks;
    }

    /**
     * What a redrive did; the future completes (with the counts) once the copies are durable and the originals consumed.
     *
     * @param toSubscriptions whether dead letters of shared subscriptions go back too (the caller can say where they
     *                        went); else they stay, counted as skipped
     */
    CompletableFuture<RedriveDeadLetters.Response> redrive(String deadLetterQueue, int maxMessages,
                                                           boolean toSubscriptions) {
        Destination source = destinations.lookup(DestinationType.QUEUE, deadLetterQueue, false);
        Map<Target, Long> counts = new LinkedHashMap<>();
        long skipped = 0;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        int remaining = maxMessages;
        for (int p = 0; p < source.partitions().size() && remaining > 0; p++) {
            PartitionLog log = source.partitions().get(p);
            SharePartition share = shareGroups.partition(source.name(), p, log.logStartOffset());
            List<Long> taken = take(source.name(), p, share, log, remaining);
            remaining -= taken.size();
            StoredRecords records = new StoredRecords(log, log.highWatermark());
            Map<PartitionLog, List<DeadLetters.MovedRecord>> copies = new LinkedHashMap<>();
            Map<PartitionLog, List<Long>> originals = new LinkedHashMap<>();
            for (long offset : taken) {
                Record record = records.find(offset);
                Target target = record == null ? null : targetOf(record, toSubscriptions);
                if (target == null) {
                    share.releaseFromMover(offset);
                    skipped++;
                    continue;
                }
                PartitionLog into = target.destination().partitions().get(partitionFor(record, target.destination(),
                        offset));
                copies.computeIfAbsent(into, l -> new ArrayList<>()).add(target.copyOf(record));
                originals.computeIfAbsent(into, l -> new ArrayList<>()).add(offset);
                counts.merge(target, 1L, Long::sum);
            }
            int partition = p;
            copies.forEach((into, moved) -> done.add(append(into, moved).whenComplete((ok, error) ->
                    settle(source.name(), partition, share, originals.get(into), error == null))));
        }
        long skippedRecords = skipped;
        List<RedriveDeadLetters.Moved> moved = counts.entrySet().stream().map(e -> e.getKey().moved(e.getValue()))
                .sorted(Comparator.comparing(RedriveDeadLetters.Moved::destination)
                        .thenComparing(RedriveDeadLetters.Moved::subscription,
                                Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                .thenApply(ok -> new RedriveDeadLetters.Response(ResponseStatus.OK, moved,
                        skippedRecords));
    }

    /** Takes up to {@code max} available records of the dead-letter partition for the mover, persisting that. */
    private List<Long> take(String queue, int partition, SharePartition share, PartitionLog log, int max) {
        List<Long> taken = new ArrayList<>();
        synchronized (share) {
            share.trimTo(log.logStartOffset());
            List<SharePartition.Change> changes = new ArrayList<>();
            long highWatermark = log.highWatermark();
            for (long offset = share.firstNotDone(share.startOffset()); offset < highWatermark && taken.size() < max;
                 offset = share.firstNotDone(offset + 1)) {
                if (share.isAvailable(offset)) {
                    share.acquire(SharePartition.MOVER, offset, null, changes);
                    taken.add(offset);
                }
            }
            if (!changes.isEmpty()) {
                shareGroups.persist(ShareGroups.key(queue, partition), share, changes);
            }
        }
        return taken;
    }

    /** Where a dead letter goes back to, or null when it names nothing that exists (or a subscription, when not asked). */
    private Target targetOf(Record record, boolean toSubscriptions) {
        String queue = property(record, DeadLetters.ORIGINAL_QUEUE_PROPERTY);
        if (queue != null) {
            Destination original = existing(DestinationType.QUEUE, queue);
            return original == null ? null : new Target(original, null);
        }
        String topic = property(record, DeadLetters.ORIGINAL_TOPIC_PROPERTY);
        String label = property(record, DeadLetters.ORIGINAL_SUBSCRIPTION_PROPERTY);
        if (!toSubscriptions || topic == null || label == null) {
            return null;
        }
        Destination original = existing(DestinationType.TOPIC, topic);
        // Labels are clientId:name or the name alone: should two subscriptions read alike, the record names neither.
        List<SharedSubscription> named = original == null ? List.of() : sharedSubscriptions.list(topic).stream()
                .filter(s -> s.label().equals(label)).toList();
        return named.size() == 1 ? new Target(original, named.get(0)) : null;
    }

    /** A string property of a record, or null when it has none (or one that cannot be read). */
    private static String property(Record record, String name) {
        try {
            return EncodedHeaderLookup.selectorValue(record.hasKey() ? record.key() : null,
                    HeaderView.of(record.headers()), name) instanceof String value ? value : null;
        } catch (MessageFormatException e) {
            return null;
        }
    }

    private Destination existing(DestinationType type, String name) {
        try {
            return destinations.lookup(type, name, false);
        } catch (BrokerException e) {
            return null;
        }
    }

    /** The partition a producer would pick: by message group when the record has one, else spread by offset. */
    private static int partitionFor(Record record, Destination target, long offset) {
        int partitions = target.partitions().size();
        if (record.hasKey()) {
            String group = StandardCharsets.UTF_8.decode(record.key().duplicate()).toString();
            return Math.floorMod(group.hashCode(), partitions);
        }
        return (int) Math.floorMod(offset, (long) partitions);
    }

    private CompletableFuture<Void> append(PartitionLog log, List<DeadLetters.MovedRecord> records) {
        try {
            RecordBatchBuilder builder = new RecordBatchBuilder();
            long next = -1;
            int i = 0;
            while (i < records.size()) {
                builder.reset(CompressionType.NONE, 0);
                int bytes = 0;
                do {
                    DeadLetters.MovedRecord record = records.get(i++);
                    if (record.key() != null || hasRedriveMarks(record)) {
                        // The message group travels in the key; a share group reads the marks of a batch so flagged.
                        builder.markDeliveryRules();
                    }
                    builder.append(record.timestamp(), record.key() == null ? null : ByteBuffer.wrap(record.key()),
                            record.value() == null ? null : ByteBuffer.wrap(record.value()), record.headers());
                    bytes += record.value() == null ? 0 : record.value().length;
                } while (i < records.size() && bytes < BATCH_BYTES);
                LogAppendInfo info = log.appendAsLeader(builder.build(), log.latestLeaderEpoch());
                next = info.nextOffset();
            }
            return log.awaitCommitted(next).thenRun(() -> highWatermarks.advance(log));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean hasRedriveMarks(DeadLetters.MovedRecord record) {
        for (Header header : record.headers()) {
            if (RedriveMarks.isMark(header.key())) {
                return true;
            }
        }
        return false;
    }

    /** The headers without the properties dead-lettering added: why, and where the record came from. */
    private static Header[] withoutDeadLetterMarks(Header[] headers) {
        List<Header> kept = new ArrayList<>(headers.length);
        for (Header header : headers) {
            String key = header.key();
            if (!key.equals(DeadLetters.REASON_PROPERTY) && !key.equals(DeadLetters.ORIGINAL_QUEUE_PROPERTY)
                    && !key.equals(DeadLetters.ORIGINAL_TOPIC_PROPERTY)
                    && !key.equals(DeadLetters.ORIGINAL_SUBSCRIPTION_PROPERTY)) {
                kept.add(header);
            }
        }
        return kept.toArray(Header[]::new);
    }

    /** Consumes the originals once their copies are durable, or gives them back to the dead-letter queue. */
    private void settle(String queue, int partition, SharePartition share, List<Long> offsets, boolean copied) {
        synchronized (share) {
            if (!copied) {
                offsets.forEach(share::releaseFromMover);
                return;
            }
            List<SharePartition.Change> changes = new ArrayList<>();
            offsets.forEach(offset -> share.complete(offset, changes));
            if (!changes.isEmpty()) {
                shareGroups.persist(ShareGroups.key(queue, partition), share, changes);
            }
        }
    }
}
