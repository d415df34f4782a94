package io.strand.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A flyweight over one record batch in a {@link ByteBuffer}, with the byte layout of Kafka's
 * RecordBatch v2. All fields are big-endian.
 *
 * <pre>
 *  offset  size  field
 *       0     8  baseOffset            stamped by the broker, outside the CRC
 *       8     4  batchLength           bytes that follow this field
 *      12     4  partitionLeaderEpoch  stamped by the broker, outside the CRC
 *      16     1  magic                 always 2
 *      17     4  crc                   CRC-32C of bytes [21, end of batch)
 *      21     2  attributes            bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control,
 *                                      8 delivery rules (Strand's own; unused by Kafka)
 *      23     4  lastOffsetDelta
 *      27     8  baseTimestamp
 *      35     8  maxTimestamp
 *      43     8  producerId
 *      51     2  producerEpoch
 *      53     4  baseSequence
 *      57     4  recordCount
 *      61     -  records (for LZ4 one LZ4 frame holding them all)
 * </pre>
 *
 * <p>The record layout is in {@link Record}. {@link RecordBatchBuilder} writes batches, {@link RecordIterator}
 * reads their records and {@link BatchCursor} walks a buffer of consecutive batches.
 *
 * <p>The flyweight does not copy and does not validate on {@link #wrap}; call {@link #ensureValid}
 * (or {@link #validateHeader}) on bytes that came from outside before trusting any field.
 * Not thread-safe; reuse one instance per thread by re-wrapping.
 */
public final class RecordBatch {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = BASE_OFFSET_OFFSET + 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = LENGTH_OFFSET + 4;
    public static final int MAGIC_OFFSET = PARTITION_LEADER_EPOCH_OFFSET + 4;
    public static final int CRC_OFFSET = MAGIC_OFFSET + 1;
    public static final int ATTRIBUTES_OFFSET = CRC_OFFSET + 4;
    public static final int LAST_OFFSET_DELTA_OFFSET = ATTRIBUTES_OFFSET + 2;
    public static final int BASE_TIMESTAMP_OFFSET = LAST_OFFSET_DELTA_OFFSET + 4;
    public static final int MAX_TIMESTAMP_OFFSET = BASE_TIMESTAMP_OFFSET + 8;
    public static final int PRODUCER_ID_OFFSET = MAX_TIMESTAMP_OFFSET + 8;
    public static final int PRODUCER_EPOCH_OFFSET = PRODUCER_ID_OFFSET + 8;
    public static final int BASE_SEQUENCE_OFFSET = PRODUCER_EPOCH_OFFSET + 2;
    public static final int RECORD_COUNT_OFFSET = BASE_SEQUENCE_OFFSET + 4;
    public static final int RECORDS_OFFSET = RECORD_COUNT_OFFSET + 4;

    /** Size of the batch header: the smallest possible batch (no records). */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** Bytes before the length field's end: baseOffset and batchLength. */
    public static final int LOG_OVERHEAD = LENGTH_OFFSET + 4;
    public static final byte MAGIC = 2;

    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;
    /**
     * Set by a producer when some record of the batch carries headers the broker must read before it
     * hands the record to a share-group consumer (a delivery time, an expiration, a priority, a message
     * group). A batch without it can be handed out by offset ranges without reading its records.
     */
    public static final int DELIVERY_RULES_FLAG_MASK = 0x100;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    static {
        if (HEADER_SIZE != 61) {
            throw new AssertionError("v2 batch header must be 61 bytes, was " + HEADER_SIZE);
        }
    }

    private ByteBuffer buffer;
    private int start;

    /** Points this flyweight at the batch starting at {@code start} in {@code buffer}; no checks. */
    public RecordBatch wrap(ByteBuffer buffer, int start) {
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("record batches are big-endian; buffer order is " + buffer.order());
        }
        this.buffer = buffer;
        this.start = start;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Position of the batch's first byte within {@link #buffer()}. */
    public int start() {
        return start;
    }

    public long baseOffset() {
        return buffer.getLong(start + BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buffer.getInt(start + LENGTH_OFFSET);
    }

    /** Whole size of the batch in bytes, header included. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(start + MAGIC_OFFSET);
    }

    /** The stored CRC-32C, as an unsigned value. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(start + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(start + ATTRIBUTES_OFFSET);
    }

    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & CompressionType.CODEC_MASK);
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    /** Whether the broker stamped the batch with log-append time: every record's timestamp is the max timestamp. */
    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    /** @see #DELIVERY_RULES_FLAG_MASK */
    public boolean hasDeliveryRules() {
        return (attributes() & DELIVERY_RULES_FLAG_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset that follows this batch: where the next batch starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(start + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(start + RECORD_COUNT_OFFSET);
    }

    /** Stamps the base offset; it lies outside the CRC, so the checksum stays valid. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Stamps the leader epoch; it lies outside the CRC, so the checksum stays valid. */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /** CRC-32C over attributes through the end of the batch, as stored in the crc field. */
    public long computeChecksum() {
        return computeChecksum(buffer, start, sizeInBytes());
    }

    /** Writes the CRC for the batch's current bytes; the builder calls this last. */
    public void updateChecksum() {
        buffer.putInt(start + CRC_OFFSET, (int) computeChecksum());
    }

    static long computeChecksum(ByteBuffer buffer, int batchStart, int batchSize) {
        CRC32C crc = new CRC32C();
        int from = batchStart + ATTRIBUTES_OFFSET;
        int length = batchSize - ATTRIBUTES_OFFSET;
        if (length < 0 || (long) from + length > buffer.limit()) {
            throw new IllegalArgumentException("batch at position " + batchStart + " of size " + batchSize
                    + " does not lie within the buffer's limit " + buffer.limit() + "; validate the header first");
        }
        if (buffer.hasArray()) {
            // The common case (heap buffers from the builder and the wire) needs no view object.
            crc.update(buffer.array(), buffer.arrayOffset() + from, length);
        } else {
            crc.update(buffer.slice(from, length));
        }
        return crc.getValue();
    }

    /**
     * Checks the header of the batch at {@code start} against the {@code limit} of readable bytes
     * and {@code maxBatchSize}: enough bytes for a header, magic 2, a length that neither undercuts
     * the header nor runs past {@code limit}, a sane record count and offset delta, and a known codec.
     * Does not check the CRC. Returns the batch's size in bytes.
     *
     * @throws CorruptRecordException naming the field, its value and the batch position
     */
    public static int validateHeader(ByteBuffer buffer, int start, int limit, int maxBatchSize) {
        int available = limit - start;
        if (available < HEADER_SIZE) {
            throw new CorruptRecordException("batch at position " + start + " is truncated: " + available
                    + " bytes left, a batch header needs " + HEADER_SIZE);
        }
        byte magic = buffer.get(start + MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptRecordException("batch at position " + start + " has magic " + magic + ", expected " + MAGIC);
        }
        int batchLength = buffer.getInt(start + LENGTH_OFFSET);
        long size = (long) LOG_OVERHEAD + batchLength;
        if (size < HEADER_SIZE) {
            throw new CorruptRecordException("batch at position " + start + " has batchLength " + batchLength
                    + ", smaller than the header");
        }
        if (size > maxBatchSize) {
            throw new CorruptRecordException("batch at position " + start + " has size " + size
                    + ", over the maximum batch size " + maxBatchSize);
        }
        if (size > available) {
            throw new CorruptRecordException("batch at position " + start + " has size " + size
                    + " but only " + available + " bytes remain");
        }
        int recordCount = buffer.getInt(start + RECORD_COUNT_OFFSET);
        int lastOffsetDelta = buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
        if (recordCount < 0) {
            throw new CorruptRecordException("batch at position " + start + " has negative record count " + recordCount);
        }
        if (lastOffsetDelta < 0 || (recordCount > 0 && lastOffsetDelta < recordCount - 1)) {
            throw new CorruptRecordException("batch at position " + start + " has lastOffsetDelta " + lastOffsetDelta
                    + " inconsistent with record count " + recordCount);
        }
        try {
            CompressionType.forId(buffer.getShort(start + ATTRIBUTES_OFFSET) & CompressionType.CODEC_MASK);
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("batch at position " + start + ": " + e.getMessage(), e);
        }
        return (int) size;
    }

    /**
     * Validates the header (see {@link #validateHeader}) and the CRC of the wrapped batch.
     * Records themselves are checked when iterated.
     */
    public void ensureValid(int limit, int maxBatchSize) {
        validateHeader(buffer, start, limit, maxBatchSize);
        long stored = checksum();
        long computed = computeChecksum();
        if (stored != computed) {
            throw new CorruptRecordException("batch at position " + start + " (base offset " + baseOffset()
                    + ") fails its CRC: stored " + Long.toHexString(stored) + ", computed " + Long.toHexString(computed));
        }
    }

    /**
     * A new iterator over this batch's records with the default decompression limit. Hot paths keep one
     * {@link RecordIterator} and {@link RecordIterator#reset} it per batch instead.
     *
     * @throws CorruptRecordException as {@link RecordIterator#reset} does
     */
    public RecordIterator records() {
        return new RecordIterator().reset(this);
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", size=" + sizeInBytes()
                + ", epoch=" + partitionLeaderEpoch() + ", records=" + recordCount() + ")";
    }
}
