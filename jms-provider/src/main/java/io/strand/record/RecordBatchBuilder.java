package io.strand.record;

import java.nio.ByteBuffer;

/**
 * Writes records into one v2 batch at a time, in a buffer it owns and reuses from batch to batch.
 *
 * <p>Use: {@link #reset} with the batch's codec and producer fields, {@link #append} each record (offsets
 * follow each other from the base offset; the first record's timestamp becomes the base timestamp), then
 * {@link #build}. Records are laid out as {@link Record} describes. For {@link CompressionType#LZ4} they go
 * uncompressed into a second reusable buffer and are compressed as one frame at {@link #build}. The leader
 * epoch is left at {@link RecordBatch#NO_PARTITION_LEADER_EPOCH} for the broker to stamp.
 *
 * <p>The buffer {@link #build} returns is a view of the builder's own memory: it stays valid until the next
 * {@link #reset}. Not thread-safe: one builder per producing thread.
 */
public final class RecordBatchBuilder {
    private static final int DEFAULT_INITIAL_CAPACITY = 16 * 1024;

    private enum State { UNSET, APPENDING, BUILT }

    private ByteBuffer batch;
    /** Under {@link #compressOnlyWhenWorthIt}, compression must save 1/32 of the records' bytes to be kept. */
    static final int MIN_SAVING_DIVISOR = 32;
    private boolean onlyWhenWorthIt;
    /** Uncompressed records of an LZ4 batch; allocated on first use. */
    private ByteBuffer scratch;
    /** Where records are written: {@link #batch} after the header, or {@link #scratch} from 0. */
    private ByteBuffer records;
    private int recordsStart;

    private State state = State.UNSET;
    private CompressionType compression;
    private long baseOffset;
    private long producerId;
    private short producerEpoch;
    private int baseSequence;
    private boolean transactional;
    private boolean deliveryRules;

    private int recordCount;
    private long baseTimestamp;
    private long maxTimestamp;
    private int builtSize;

    public RecordBatchBuilder() {
        this(DEFAULT_INITIAL_CAPACITY);
    }

    /** @param initialCapacity bytes to allocate up front; the buffer grows (doubling) as records need */
    public RecordBatchBuilder(int initialCapacity) {
        if (initialCapacity < RecordBatch.HEADER_SIZE) {
            throw new IllegalArgumentException("initialCapacity=" + initialCapacity + " is below the batch header size "
                    + RecordBatch.HEADER_SIZE);
        }
        this.batch = ByteBuffer.allocate(initialCapacity);
    }

    /** Starts a batch without producer id, epoch or sequence (a non-idempotent producer). */
    public RecordBatchBuilder reset(CompressionType compression, long baseOffset) {
        return reset(compression, baseOffset, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false);
    }

    /**
     * Starts a new batch, dropping whatever the builder held; a buffer returned by an earlier {@link #build}
     * is overwritten from now on.
     */
    public RecordBatchBuilder reset(CompressionType compression, long baseOffset, long producerId, short producerEpoch,
                                    int baseSequence, boolean transactional) {
        if (compression == null) {
            throw new IllegalArgumentException("compression=null");
        }
        this.compression = compression;
        this.baseOffset = baseOffset;
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        this.transactional = transactional;
        this.deliveryRules = false;
        this.recordCount = 0;
        this.baseTimestamp = RecordBatch.NO_TIMESTAMP;
        this.maxTimestamp = RecordBatch.NO_TIMESTAMP;
        this.builtSize = 0;
        if (compression == CompressionType.NONE) {
            records = batch;
            recordsStart = RecordBatch.HEADER_SIZE;
        } else {
            if (scratch == null) {
                scratch = ByteBuffer.allocate(batch.capacity());
            }
            records = scratch;
            recordsStart = 0;
        }
        records.clear().position(recordsStart);
        state = State.APPENDING;
        return this;
    }

    /** Marks the batch as holding records with delivery rules; see {@link RecordBatch#DELIVERY_RULES_FLAG_MASK}. */
    public RecordBatchBuilder markDeliveryRules() {
        this.deliveryRules = true;
        return this;
    }

    /**
     * Appends a record at the next offset.
     *
     * @param timestamp the record's timestamp (create time, ms)
     * @param key       the key bytes from position to limit, or null; its position is not moved
     * @param value     the value bytes from position to limit, or null; its position is not moved
     * @param headers   the headers, or null for none
     * @return the offset the record gets, base offset plus its index
     * @throws IllegalStateException if {@link #reset} has not been called since the last {@link #build}
     */
    public long append(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers) {
        if (state != State.APPENDING) {
            throw new IllegalStateException("append needs reset() first; the builder is " + state);
        }
        if (recordCount == Integer.MAX_VALUE) {
            throw new IllegalStateException("a batch holds at most " + Integer.MAX_VALUE + " records");
        }
        if (recordCount == 0) {
            baseTimestamp = timestamp;
        }
        int offsetDelta = recordCount;
        long timestampDelta = timestamp - baseTimestamp;
        int bodySize = RecordWriter.bodySize(timestampDelta, offsetDelta, key, value, headers);
        ensureRecordsCapacity(Varints.sizeOfVarint(bodySize) + bodySize);
        RecordWriter.write(records, bodySize, timestampDelta, offsetDelta, key, value, headers);
        recordCount++;
        maxTimestamp = recordCount == 1 ? timestamp : Math.max(maxTimestamp, timestamp);
        return baseOffset + offsetDelta;
    }

    /**
     * Whether {@code maxBatchSizeInBytes} still holds the batch after appending this record, judged by
     * {@link #estimatedSizeInBytes()}. An empty batch always has room, so one record too large for any batch
     * still goes out alone (and the receiver rejects it by size).
     */
    public boolean hasRoomFor(long timestamp, ByteBuffer key, ByteBuffer value, Header[] headers,
                              int maxBatchSizeInBytes) {
        if (recordCount == 0) {
            return true;
        }
        int bodySize = RecordWriter.bodySize(timestamp - baseTimestamp, recordCount, key, value, headers);
        long uncompressed = uncompressedRecordsSize() + (long) Varints.sizeOfVarint(bodySize) + bodySize;
        return estimateFor(uncompressed) <= maxBatchSizeInBytes;
    }

    /**
     * The size of the batch if built now. Exact without compression; for LZ4 an upper bound (every block stored
     * raw), so a caller that caps batches by this estimate never exceeds its cap.
     */
    public int estimatedSizeInBytes() {
        return (int) Math.min(Integer.MAX_VALUE, estimateFor(uncompressedRecordsSize()));
    }

    /** Bytes of the records as written so far, before compression. */
    public int uncompressedRecordsSize() {
        return state == State.UNSET ? 0 : records.position() - recordsStart;
    }

    public int recordCount() {
        return recordCount;
    }

    public boolean isEmpty() {
        return recordCount == 0;
    }

    /**
     * From the next {@link #build} on, a batch whose compression would save less than 1/{@value #MIN_SAVING_DIVISOR}
     * of its records' bytes is stored uncompressed; by default a batch always has the codec {@link #reset} gave.
     */
    public RecordBatchBuilder compressOnlyWhenWorthIt(boolean onlyWhenWorthIt) {
        this.onlyWhenWorthIt = onlyWhenWorthIt;
        return this;
    }

    /**
     * The codec of the current batch, or null before the first {@link #reset}: once built, {@link CompressionType#NONE}
     * for a batch stored uncompressed under {@link #compressOnlyWhenWorthIt}.
     */
    public CompressionType compression() {
        return compression;
    }

    /** The largest record timestamp so far, or {@link RecordBatch#NO_TIMESTAMP} with no records. */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /**
     * Finishes the batch: compresses the records if the codec asks for it, writes the header and the CRC.
     * Calling it again before {@link #reset} returns the same batch; appending afterwards is refused.
     *
     * @return a big-endian view from position 0 to limit over exactly the batch, backed by the builder's
     *         buffer and valid until the next {@link #reset}
     * @throws IllegalStateException if no record was appended, or {@link #reset} was never called
     */
    public ByteBuffer build() {
        if (state == State.BUILT) {
            return batch.slice(0, builtSize);
        }
        if (state == State.UNSET) {
            throw new IllegalStateException("build needs reset() and at least one append()");
        }
        if (recordCount == 0) {
            throw new IllegalStateException("a batch needs at least one record; nothing was appended");
        }
        int size;
        if (compression == CompressionType.NONE) {
            size = records.position();
        } else {
            int frameSize = compressRecords();
            if (onlyWhenWorthIt && frameSize > scratch.position() - scratch.position() / MIN_SAVING_DIVISOR) {
                size = storeUncompressed();
            } else {
                size = RecordBatch.HEADER_SIZE + frameSize;
            }
        }
        writeHeader(size);
        builtSize = size;
        state = State.BUILT;
        RecordBatch built = new RecordBatch().wrap(batch, 0);
        built.updateChecksum();
        assert validates(built, size);
        return batch.slice(0, size);
    }

    /**
     * Writes the records as they are, for a batch that compression barely shrinks (random or already compressed
     * payloads): every reader of it then skips the frame's parsing and the copy out of it.
     */
    private int storeUncompressed() {
        int length = scratch.position();
        int size = RecordBatch.HEADER_SIZE + length;
        if (batch.capacity() < size) {
            batch = ByteBuffer.allocate(size);
        }
        batch.put(RecordBatch.HEADER_SIZE, scratch, 0, length);
        compression = CompressionType.NONE;
        return size;
    }

    private int compressRecords() {
        int length = scratch.position();
        int bound = RecordBatch.HEADER_SIZE + Lz4Frame.compressionBound(length);
        if (batch.capacity() < bound) {
            batch = ByteBuffer.allocate(bound);
        }
        int frameSize = Lz4Frame.compress(scratch, 0, length, batch, RecordBatch.HEADER_SIZE);
        assert frameSize <= Lz4Frame.maxFrameSize(length) : "frame " + frameSize + " over its bound";
        return frameSize;
    }

    private void writeHeader(int size) {
        int attributes = compression.id | (transactional ? RecordBatch.TRANSACTIONAL_FLAG_MASK : 0)
                | (deliveryRules ? RecordBatch.DELIVERY_RULES_FLAG_MASK : 0);
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        batch.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putInt(RecordBatch.CRC_OFFSET, 0);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, recordCount - 1);
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, recordCount);
    }

    /** The second half of the pair of assertions: what we hand out passes the checks a receiver runs. */
    private static boolean validates(RecordBatch built, int size) {
        built.ensureValid(size, Integer.MAX_VALUE);
        return built.sizeInBytes() == size;
    }

    private long estimateFor(long uncompressedRecords) {
        if (compression != CompressionType.LZ4) {
            return RecordBatch.HEADER_SIZE + uncompressedRecords;
        }
        return RecordBatch.HEADER_SIZE + Lz4Frame.HEADER_SIZE + Lz4Frame.END_MARK_SIZE + uncompressedRecords
                + Lz4Frame.BLOCK_SIZE_FIELD * ((uncompressedRecords + Lz4Frame.BLOCK_SIZE - 1) / Lz4Frame.BLOCK_SIZE);
    }

    private void ensureRecordsCapacity(int extra) {
        long needed = (long) records.position() + extra;
        if (needed <= records.capacity()) {
            return;
        }
        if (needed > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("batch would grow to " + needed + " bytes, past what a buffer holds");
        }
        // Double so that a batch of n bytes costs O(n) in copies, and the grown buffer is kept for the next batch.
        int capacity = (int) Math.min(Integer.MAX_VALUE - 64, Math.max(needed, 2L * records.capacity()));
        ByteBuffer grown = ByteBuffer.allocate(capacity);
        grown.put(0, records, 0, records.position());
        grown.position(records.position());
        if (records == batch) {
            batch = grown;
        } else {
            scratch = grown;
        }
        records = grown;
    }
}
