package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.strand.jms.message.EncodedMessage;
import io.strand.protocol.Transactions;
import jakarta.jms.ResourceAllocationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sends of one open transaction, held in the client's memory until commit (DESIGN.md §3: nothing
 * of a transaction is appended before its commit, so an open transaction holds back no one). Records
 * are kept per destination partition in send order and become that partition's record batches of the
 * COMMIT request: one batch, unless the partition's records pass {@link #BATCH_RECORD_BYTES}.
 *
 * <p>The message bytes staged (bodies, keys and headers, as {@link EncodedMessage#sizeInBytes} counts
 * them) are capped: a send that would pass the cap is refused and leaves the transaction as it was.
 *
 * <p>Thread-safe: the session's thread stages and commits; every method locks this object.
 */
public final class StagedSends {
    /**
     * Record bytes per batch at most, estimated before encoding: half the broker's default largest batch
     * (1 MiB, {@code max.message.bytes}), which leaves room for the record framing.
     */
    static final int BATCH_RECORD_BYTES = 512 * 1024;

    private static final class PartitionSends {
        final List<EncodedMessage> records = new ArrayList<>();
        long[] timestamps = new long[8];
    }

    private final long maxBytes;
    private final Map<ProduceAccumulator.PartitionKey, PartitionSends> partitions = new LinkedHashMap<>();
    private long bytes;

    /** @param maxBytes the most message bytes one transaction may stage */
    public StagedSends(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes=" + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Stages one record for its partition.
     *
     * @throws ResourceAllocationException if the transaction would stage more than its cap; nothing is staged
     */
    public synchronized void add(ProduceAccumulator.PartitionKey partition, EncodedMessage record, long timestampMs)
            throws ResourceAllocationException {
        final int size = record.sizeInBytes();
        if (bytes + size > maxBytes) {
            throw new ResourceAllocationException("the transaction has staged " + bytes + " bytes of messages; this one of "
                    + size + " bytes would pass the limit of " + maxBytes + " (URL option "
                    + ClientOptions.TRANSACTION_MAX_BYTES + "). The message is not sent; commit or roll back first",
                    "TRANSACTION_TOO_LARGE");
        }
        final PartitionSends sends = partitions.computeIfAbsent(partition, k -> new PartitionSends());
        if (sends.records.size() == sends.timestamps.length) {
            sends.timestamps = Arrays.copyOf(sends.timestamps, sends.timestamps.length * 2);
        }
        sends.timestamps[sends.records.size()] = timestampMs;
        sends.records.add(record);
        bytes += size;
    }

    public synchronized boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** @return the message bytes staged, as counted against the cap */
    public synchronized long bytes() {
        return bytes;
    }

    /** @return the records staged */
    public synchronized int records() {
        int n = 0;
        for (PartitionSends sends : partitions.values()) {
            n += sends.records.size();
        }
        return n;
    }

    /** Forgets every staged record: after a commit has carried them, or at a rollback. */
    public synchronized void clear() {
        partitions.clear();
        bytes = 0;
    }

    /**
     * Builds the record batches of every partition, in the order the partitions were first sent to.
     * The caller releases each entry's {@code records} once the request is written.
     */
    public List<Transactions.PartitionRecords> encode(RecordFormat format, ByteBufAllocator allocator) {
        return encode(format, allocator, null);
    }

    /**
     * As {@link #encode(RecordFormat, ByteBufAllocator)}, each batch stamped as an idempotent producer's with
     * {@code stamps}' next producer id and sequence of its partition, so that a broker given the same batches again
     * recognises them; unstamped when {@code stamps} is null.
     */
    public synchronized List<Transactions.PartitionRecords> encode(RecordFormat format, ByteBufAllocator allocator,
                                                                    ProducerSequences stamps) {
        final List<Transactions.PartitionRecords> encoded = new ArrayList<>(partitions.size());
        try {
            for (Map.Entry<ProduceAccumulator.PartitionKey, PartitionSends> e : partitions.entrySet()) {
                final ProduceAccumulator.PartitionKey key = e.getKey();
                encoded.add(new Transactions.PartitionRecords(key.type(), key.destination(), key.partition(),
                        batches(format, allocator, e.getValue(), key, stamps)));
            }
        } catch (RuntimeException failed) {
            encoded.forEach(r -> r.records().release());
            throw failed;
        }
        return encoded;
    }

    /** One batch for the partition's records, or a run of batches of about {@link #BATCH_RECORD_BYTES} each. */
    private static ByteBuf batches(RecordFormat format, ByteBufAllocator allocator, PartitionSends sends,
                                   ProduceAccumulator.PartitionKey partition, ProducerSequences stamps) {
        final CompositeByteBuf all = allocator.compositeBuffer(Integer.MAX_VALUE);
        try {
            int from = 0;
            int size = 0;
            for (int i = 0; i < sends.records.size(); i++) {
                final int recordSize = sends.records.get(i).sizeInBytes();
                if (i > from && size + recordSize > BATCH_RECORD_BYTES) {
                    all.addComponent(true, encodeRange(format, allocator, sends, from, i, partition, stamps));
                    from = i;
                    size = 0;
                }
                size += recordSize;
            }
            all.addComponent(true, encodeRange(format, allocator, sends, from, sends.records.size(), partition, stamps));
            return all;
        } catch (RuntimeException failed) {
            all.release();
            throw failed;
        }
    }

    private static ByteBuf encodeRange(RecordFormat format, ByteBufAllocator allocator, PartitionSends sends, int from,
                                       int to, ProduceAccumulator.PartitionKey partition, ProducerSequences stamps) {
        final List<EncodedMessage> records = sends.records.subList(from, to);
        final long[] timestamps = Arrays.copyOfRange(sends.timestamps, from, to);
        return stamps == null ? format.encode(allocator, records, timestamps)
                : format.encode(allocator, records, timestamps, stamps.next(partition, records.size()));
    }
}
