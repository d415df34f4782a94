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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Moves records of a dead-letter queue back to the queues they came from ({@value DeadLetters#ORIGINAL_QUEUE_PROPERTY}).
 * Like the move into the dead-letter queue, in reverse: the records are taken from the dead-letter
 * queue's share group by the mover so no consumer gets them meanwhile, copied (without the two
 * properties the dead-lettering added) into their queue, and consumed in the dead-letter queue only
 * once the copies are durable; a failure gives them back. A crash in between may copy a record
 * twice, never lose it. Records that name no existing queue stay where they are. Thread-safe.
 */
final class DeadLetterRedrive {
    /** Bytes of records in one appended batch, well below the default largest batch a log accepts. */
    private static final int BATCH_BYTES = 256 * 1024;

    private final DestinationRegistry destinations;
    private final ShareGroups shareGroups;
    private final HighWatermarks highWatermarks;

    DeadLetterRedrive(DestinationRegistry destinations, ShareGroups shareGroups, HighWatermarks highWatermarks) {
        this.destinations = destinations;
        this.shareGroups = shareGroups;
        this.highWatermarks = highWatermarks;
    }

    /** What a redrive did; the future completes (with the counts) once the copies are durable and the originals consumed. */
    CompletableFuture<RedriveDeadLetters.Response> redrive(String deadLetterQueue, int maxMessages) {
        Destination source = destinations.lookup(DestinationType.QUEUE, deadLetterQueue, false);
        Map<String, Long> counts = new TreeMap<>();
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
                Destination target = record == null ? null : originalQueue(record);
                if (target == null) {
                    share.releaseFromMover(offset);
                    skipped++;
                    continue;
                }
                PartitionLog into = target.partitions().get(partitionFor(record, target, offset));
                copies.computeIfAbsent(into, l -> new ArrayList<>()).add(ShareScanner.copy(record));
                originals.computeIfAbsent(into, l -> new ArrayList<>()).add(offset);
                counts.merge(target.name(), 1L, Long::sum);
            }
            int partition = p;
            copies.forEach((into, moved) -> done.add(append(into, moved).whenComplete((ok, error) ->
                    settle(source.name(), partition, share, originals.get(into), error == null))));
        }
        long skippedRecords = skipped;
        List<RedriveDeadLetters.Moved> moved = counts.entrySet().stream()
                .map(e -> new RedriveDeadLetters.Moved(e.getKey(), e.getValue())).toList();
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

    /** The queue a dead letter came from, or null when it names none or that queue is gone. */
    private Destination originalQueue(Record record) {
        Object name;
        try {
            name = EncodedHeaderLookup.selectorValue(record.hasKey() ? record.key() : null,
                    HeaderView.of(record.headers()), DeadLetters.ORIGINAL_QUEUE_PROPERTY);
        } catch (MessageFormatException e) {
            return null;
        }
        if (!(name instanceof String queue)) {
            return null;
        }
        try {
            return destinations.lookup(DestinationType.QUEUE, queue, false);
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
                    if (record.key() != null) {
                        builder.markDeliveryRules(); // the message group travels in the key
                    }
                    builder.append(record.timestamp(), record.key() == null ? null : ByteBuffer.wrap(record.key()),
                            record.value() == null ? null : ByteBuffer.wrap(record.value()), withoutDeadLetterMarks(record));
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

    private static Header[] withoutDeadLetterMarks(DeadLetters.MovedRecord record) {
        List<Header> kept = new ArrayList<>(record.headers().length);
        for (Header header : record.headers()) {
            if (!header.key().equals(DeadLetters.REASON_PROPERTY)
                    && !header.key().equals(DeadLetters.ORIGINAL_QUEUE_PROPERTY)) {
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
