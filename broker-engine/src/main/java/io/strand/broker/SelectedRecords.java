package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.Varints;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Copies of the records a selector scan found for its consumer, re-encoded on demand as batches that hold
 * only them. A consumer whose selector matches one record in ten would otherwise be pushed the whole log
 * around its records, and its client would read, check and skip the other nine; a batch of its own records
 * costs one copy of each on the broker instead.
 *
 * <p>The batches keep what the consumer sees: every record keeps its offset (offset deltas may leave
 * gaps, as in a compacted Kafka batch), its timestamp, key, value and headers byte for byte; the delivery
 * counts travel in the push's acquired ranges as for any push. They are uncompressed, carry no producer
 * fields and are never stored. The record bytes from the key length to the end are copied as they are,
 * so no record is decoded twice.
 *
 * <p>Not thread-safe; emptied with {@link #clear()} for each scan.
 */
final class SelectedRecords {
    private byte[] bytes = new byte[32 * 1024];
    private int used;
    private long[] offsets = new long[64];
    private long[] timestamps = new long[64];
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private int count;

    /** Forgets every copy, keeping the memory. */
    void clear() {
        used = 0;
        count = 0;
    }

    /** Copies {@code record}; returns the copy's index. */
    int add(Record record) {
        ByteBuffer source = record.buffer();
        int end = record.position() + record.sizeInBytes();
        // Past the length, the attributes, the timestamp delta and the offset delta: the key length follows.
        int at = Varints.endOfVarint(source, record.position(), end) + 1;
        at = Varints.endOfVarlong(source, at, end);
        at = Varints.endOfVarint(source, at, end);
        int length = end - at;
        if (count == offsets.length) {
            int capacity = 2 * count;
            offsets = Arrays.copyOf(offsets, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            starts = Arrays.copyOf(starts, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
        }
        if (bytes.length - used < length) {
            bytes = Arrays.copyOf(bytes, Math.max(used + length, 2 * bytes.length));
        }
        source.get(at, bytes, used, length);
        offsets[count] = record.offset();
        timestamps[count] = record.timestamp();
        starts[count] = used;
        lengths[count] = length;
        used += length;
        return count++;
    }

    long offset(int copy) {
        return offsets[copy];
    }

    /** At most the bytes copy {@code copy} adds to a batch, whatever the batch's base offset and timestamp. */
    int maxEncodedSize(int copy) {
        return Varints.MAX_VARINT_BYTES + 1 + Varints.MAX_VARLONG_BYTES + Varints.MAX_VARINT_BYTES + lengths[copy];
    }

    private int encodedSize(int copy, long baseOffset, long baseTimestamp) {
        int body = bodySize(copy, baseOffset, baseTimestamp);
        return Varints.sizeOfVarint(body) + body;
    }

    private int bodySize(int copy, long baseOffset, long baseTimestamp) {
        return 1 + Varints.sizeOfVarlong(timestamps[copy] - baseTimestamp)
                + Varints.sizeOfVarint((int) (offsets[copy] - baseOffset)) + lengths[copy];
    }

    /**
     * One uncompressed batch of copies {@code copies[from..to)}, which must be in rising offset order and
     * span less than 2^31 offsets, in a buffer from {@code allocator} (the caller releases it); the CRC is
     * filled in.
     */
    ByteBuf batch(ByteBufAllocator allocator, int[] copies, int from, int to) {
        long baseOffset = offsets[copies[from]];
        long baseTimestamp = timestamps[copies[from]];
        long maxTimestamp = baseTimestamp;
        int size = RecordBatch.HEADER_SIZE;
        for (int i = from; i < to; i++) {
            size += encodedSize(copies[i], baseOffset, baseTimestamp);
            maxTimestamp = Math.max(maxTimestamp, timestamps[copies[i]]);
        }
        ByteBuf buffer = allocator.directBuffer(size, size);
        ByteBuffer out = buffer.nioBuffer(0, size); // shares the buffer's memory
        out.position(RecordBatch.HEADER_SIZE);
        for (int i = from; i < to; i++) {
            int copy = copies[i];
            Varints.writeVarint(out, bodySize(copy, baseOffset, baseTimestamp));
            out.put((byte) 0); // record attributes, unused
            Varints.writeVarlong(out, timestamps[copy] - baseTimestamp);
            Varints.writeVarint(out, (int) (offsets[copy] - baseOffset));
            out.put(bytes, starts[copy], lengths[copy]);
        }
        long lastOffset = offsets[copies[to - 1]];
        out.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        out.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        out.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        out.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 0); // no codec, create time
        out.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, (int) (lastOffset - baseOffset));
        out.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        out.putLong(RecordBatch.PRODUCER_ID_OFFSET, RecordBatch.NO_PRODUCER_ID);
        out.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, RecordBatch.NO_PRODUCER_EPOCH);
        out.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, RecordBatch.NO_SEQUENCE);
        out.putInt(RecordBatch.RECORD_COUNT_OFFSET, to - from);
        out.clear();
        new RecordBatch().wrap(out, 0).updateChecksum();
        return buffer.writerIndex(size);
    }
}
