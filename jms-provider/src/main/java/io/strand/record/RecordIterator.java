package io.strand.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks the records of one batch at a time, reusing one {@link Record} flyweight and, for compressed batches,
 * one decompression buffer, so iterating a batch allocates nothing per record.
 *
 * <p>Every record is bounds-checked before it is handed out: its length against the records area, every key,
 * value and header length against the record, header counts against the bytes left, offset deltas rising
 * within {@code [0, lastOffsetDelta]}, and the record count in the header against the records actually
 * present (none missing, no bytes after the last). Bad bytes raise a {@link CorruptRecordException} naming
 * the batch's position and base offset, the record's index and its byte in the (decompressed) records.
 * Decompression stops at {@code maxDecompressedBytes}, so a decompression bomb is corruption, never an
 * {@link OutOfMemoryError}.
 *
 * <p>The iterator checks structure, not the CRC: run {@link RecordBatch#ensureValid} (or walk with
 * {@link BatchCursor}) first on bytes from outside. Not thread-safe: one iterator per reading thread;
 * {@link #reset} re-points it at another batch and invalidates the views handed out for the previous one.
 */
public final class RecordIterator implements Iterator<Record> {
    /** Default cap on the decompressed records of one batch. */
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
    /** Smallest record: a one-byte length prefix and the smallest body. */
    static final int MIN_RECORD_SIZE = 1 + RecordWriter.MIN_RECORD_BODY_SIZE;
    private static final int KEY = 0;
    private static final int VALUE = 1;
    private static final int HEADER_KEY = 2;
    private static final int HEADER_VALUE = 3;

    private final int maxDecompressedBytes;
    private final Record record = new Record();
    private Lz4FrameReader lz4;

    /** The buffer the records live in, and our read-only views of it (recreated only when it changes). */
    private ByteBuffer sourceBuffer;
    /** Private parsing view: position and limit move as records are read. */
    private ByteBuffer in;
    /** Handed out through {@link Record#buffer()} and used for slices; limit is its capacity. */
    private ByteBuffer view;

    private int batchPosition;
    private long baseOffset;
    private long baseTimestamp;
    private long logAppendTime;
    private boolean isLogAppendTime;
    private int lastOffsetDelta;
    private int recordCount;
    private CompressionType compression;
    private int recordsStart;
    private int recordsEnd;
    private int index;
    private int previousOffsetDelta;

    public RecordIterator() {
        this(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    /** @param maxDecompressedBytes the most bytes a compressed batch may inflate to before it counts as corrupt */
    public RecordIterator(int maxDecompressedBytes) {
        if (maxDecompressedBytes <= 0) {
            throw new IllegalArgumentException("maxDecompressedBytes=" + maxDecompressedBytes);
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /**
     * Points the iterator at the records of {@code batch}: checks the batch header against its buffer's limit
     * and, for a compressed batch, decompresses the records (within the limit).
     *
     * @throws CorruptRecordException if the header is invalid, the payload does not decompress, or the record
     *                                count cannot fit the records area
     */
    public RecordIterator reset(RecordBatch batch) {
        ByteBuffer buffer = batch.buffer();
        batchPosition = batch.start();
        int size = RecordBatch.validateHeader(buffer, batchPosition, buffer.limit(), Integer.MAX_VALUE);
        baseOffset = batch.baseOffset();
        baseTimestamp = batch.baseTimestamp();
        isLogAppendTime = batch.isLogAppendTime();
        logAppendTime = batch.maxTimestamp();
        lastOffsetDelta = batch.lastOffsetDelta();
        recordCount = batch.recordCount();
        compression = batch.compressionType();
        index = 0;
        previousOffsetDelta = -1;
        int payloadStart = batchPosition + RecordBatch.HEADER_SIZE;
        int payloadEnd = batchPosition + size;
        if (compression == CompressionType.NONE) {
            useSource(buffer);
            recordsStart = payloadStart;
            recordsEnd = payloadEnd;
        } else {
            recordsStart = 0;
            recordsEnd = decompress(buffer, payloadStart, payloadEnd - payloadStart);
            useSource(lz4.buffer());
        }
        int available = recordsEnd - recordsStart;
        if (recordCount > available / MIN_RECORD_SIZE) {
            throw new CorruptRecordException(batchContext() + ": record count " + recordCount + " cannot fit in "
                    + available + " bytes of records (a record takes at least " + MIN_RECORD_SIZE + ")");
        }
        if (recordCount == 0 && available > 0) {
            throw new CorruptRecordException(batchContext() + ": record count is 0 but " + available
                    + " bytes of records follow the header");
        }
        in.limit(recordsEnd).position(recordsStart);
        return this;
    }

    @Override
    public boolean hasNext() {
        return index < recordCount;
    }

    /** Records left to read in this batch. */
    public int remaining() {
        return recordCount - index;
    }

    /**
     * Reads the next record into the shared flyweight and returns it.
     *
     * @throws NoSuchElementException  when the batch has no more records
     * @throws CorruptRecordException  when the record's bytes are bad, a record the header counts is missing,
     *                                 or bytes follow the last one
     */
    @Override
    public Record next() {
        if (index >= recordCount) {
            throw new NoSuchElementException("batch at position " + batchPosition + " has " + recordCount + " records");
        }
        int start = in.position();
        if (start >= recordsEnd) {
            throw corrupt(start, "record count says " + recordCount + " but the records end after " + index);
        }
        try {
            readRecord(start);
        } catch (CorruptRecordException e) {
            throw corrupt(start, e.getMessage(), e);
        }
        index++;
        if (index == recordCount && in.position() != recordsEnd) {
            throw corrupt(in.position(), (recordsEnd - in.position()) + " bytes follow the last of " + recordCount
                    + " records");
        }
        return record;
    }

    /** Parses the record at {@code start} with every length checked, and fills the flyweight. */
    private void readRecord(int start) {
        in.limit(recordsEnd).position(start);
        int length = Varints.readVarint(in);
        int bodyStart = in.position();
        if (length < RecordWriter.MIN_RECORD_BODY_SIZE || length > recordsEnd - bodyStart) {
            throw new CorruptRecordException("record length " + length + " is not within ["
                    + RecordWriter.MIN_RECORD_BODY_SIZE + ", " + (recordsEnd - bodyStart)
                    + "], the bytes left in the batch");
        }
        int end = bodyStart + length;
        in.limit(end);
        byte attributes = in.get();
        long timestampDelta = Varints.readVarlong(in);
        int offsetDelta = Varints.readVarint(in);
        if (offsetDelta <= previousOffsetDelta || offsetDelta > lastOffsetDelta) {
            throw new CorruptRecordException("offset delta " + offsetDelta + " does not rise within ("
                    + previousOffsetDelta + ", " + lastOffsetDelta
                    + "], after the previous record up to lastOffsetDelta");
        }
        int keySize = readLength(KEY, 0);
        int keyPosition = skip(keySize);
        int valueSize = readLength(VALUE, 0);
        int valuePosition = skip(valueSize);
        int headerCount = Varints.readVarint(in);
        // A header takes at least two bytes (key length and value length), which bounds a sane count.
        if (headerCount < 0 || headerCount > in.remaining() / 2) {
            throw new CorruptRecordException("header count " + headerCount + " is impossible with "
                    + in.remaining() + " bytes left in the record");
        }
        int headersPosition = in.position();
        for (int h = 0; h < headerCount; h++) {
            int keyLength = readLength(HEADER_KEY, h);
            if (keyLength < 0) {
                throw new CorruptRecordException("header " + h + " has a null key");
            }
            skip(keyLength);
            skip(readLength(HEADER_VALUE, h));
        }
        if (in.position() != end) {
            throw new CorruptRecordException("record length says " + length + " bytes but its fields take "
                    + (in.position() - bodyStart));
        }
        in.limit(recordsEnd);
        previousOffsetDelta = offsetDelta;
        long timestamp = isLogAppendTime ? logAppendTime : baseTimestamp + timestampDelta;
        record.set(view, index, start, end, attributes, baseOffset + offsetDelta, timestamp);
        record.setFields(keyPosition, keySize, valuePosition, valueSize, headersPosition, headerCount);
    }

    /**
     * A length field: -1 for null, otherwise no more than the bytes left in the record. The field is named by
     * a code, not a string, so that the happy path builds no message.
     */
    private int readLength(int field, int headerIndex) {
        int at = in.position();
        int length = Varints.readVarint(in);
        if (length < -1 || length > in.remaining()) {
            String what = field == KEY ? "key" : field == VALUE ? "value"
                    : "header " + headerIndex + (field == HEADER_KEY ? " key" : " value");
            throw new CorruptRecordException(what + " length " + length + " at position " + at + " is not within [-1, "
                    + in.remaining() + "], the bytes left in the record");
        }
        return length;
    }

    /** Steps over {@code length} checked bytes (none for null); returns where they start. */
    private int skip(int length) {
        int at = in.position();
        in.position(at + Math.max(0, length));
        return at;
    }

    private int decompress(ByteBuffer buffer, int payloadStart, int payloadLength) {
        if (compression != CompressionType.LZ4) {
            throw new AssertionError("validateHeader admits only supported codecs, got " + compression);
        }
        if (lz4 == null) {
            lz4 = new Lz4FrameReader(maxDecompressedBytes);
        }
        try {
            return lz4.decompress(buffer, payloadStart, payloadLength);
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException(batchContext() + ": " + e.getMessage(), e);
        }
    }

    /** Recreates the views only when the records move to another buffer, so a steady reader allocates nothing. */
    private void useSource(ByteBuffer buffer) {
        if (buffer == sourceBuffer) {
            return;
        }
        sourceBuffer = buffer;
        in = buffer.asReadOnlyBuffer();
        in.clear();
        view = buffer.asReadOnlyBuffer();
        view.clear();
    }

    private String batchContext() {
        return "batch at position " + batchPosition + " (base offset " + baseOffset + ", " + compression.configName
                + ")";
    }

    private CorruptRecordException corrupt(int position, String what) {
        return corrupt(position, what, null);
    }

    private CorruptRecordException corrupt(int position, String what, Throwable cause) {
        String message = batchContext() + ": record " + index + " at records byte " + (position - recordsStart)
                + ": " + what;
        return cause == null ? new CorruptRecordException(message) : new CorruptRecordException(message, cause);
    }
}
