package io.strand.record;

import java.nio.ByteBuffer;

/**
 * A flyweight over one record of a batch, filled in by {@link RecordIterator#next()} and refilled by the next
 * call: keep the values, not the object.
 *
 * <p>A record's layout inside the batch (written by {@link RecordBatchBuilder}), all varints zig-zag
 * (see {@link Varints}):
 * <pre>
 *  length          varint   bytes of the record after this field
 *  attributes      int8     unused, 0
 *  timestampDelta  varlong  timestamp - baseTimestamp
 *  offsetDelta     varint   offset - baseOffset
 *  keyLength       varint   -1 for a null key
 *  key             bytes
 *  valueLength     varint   -1 for a null value
 *  value           bytes
 *  headerCount     varint
 *  headers         per header: keyLength varint, key (UTF-8, never null), valueLength varint (-1 = null), value
 * </pre>
 *
 * <p>Nothing is copied: {@link #key()}, {@link #value()} and the header values are read-only views into the
 * batch, or into the iterator's decompression buffer for a compressed batch, and stay valid until the
 * iterator moves to another batch. For zero-allocation access, read {@link #buffer()} at
 * {@link #keyPosition()}/{@link #valuePosition()} with absolute gets. Every field was bounds-checked by the
 * iterator before the flyweight was filled in.
 *
 * <p>Note the name: code that uses this class imports {@code io.strand.record.Record} by name, which shadows
 * {@code java.lang.Record}. Not thread-safe, like its iterator.
 */
public final class Record {
    private ByteBuffer source;
    private int index;
    private int position;
    private int sizeInBytes;
    private byte attributes;
    private long offset;
    private long timestamp;
    private int keyPosition;
    private int keySize;
    private int valuePosition;
    private int valueSize;
    private int headersPosition;
    private int headerCount;
    private int end;

    Record() {
    }

    /** Called by the iterator once the record's bytes have passed every check. */
    void set(ByteBuffer source, int index, int position, int end, byte attributes, long offset, long timestamp) {
        this.source = source;
        this.index = index;
        this.position = position;
        this.end = end;
        this.sizeInBytes = end - position;
        this.attributes = attributes;
        this.offset = offset;
        this.timestamp = timestamp;
    }

    void setFields(int keyPosition, int keySize, int valuePosition, int valueSize, int headersPosition,
                   int headerCount) {
        this.keyPosition = keyPosition;
        this.keySize = keySize;
        this.valuePosition = valuePosition;
        this.valueSize = valueSize;
        this.headersPosition = headersPosition;
        this.headerCount = headerCount;
    }

    /** Index of the record within its batch, from 0. */
    public int index() {
        return index;
    }

    public long offset() {
        return offset;
    }

    /** Create time, or the batch's max timestamp when the batch carries log-append time. */
    public long timestamp() {
        return timestamp;
    }

    /** The record's attribute byte, unused by v2 and kept as written. */
    public byte attributes() {
        return attributes;
    }

    /** Bytes of the record, its length prefix included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    /**
     * The read-only buffer that holds the record, shared with the iterator: read it with absolute gets and do not
     * move its limit, which views handed out later rely on. Its position means nothing.
     */
    public ByteBuffer buffer() {
        return source;
    }

    /** Position of the record's first byte (its length prefix) in {@link #buffer()}. */
    public int position() {
        return position;
    }

    public boolean hasKey() {
        return keySize >= 0;
    }

    /** Key length in bytes, -1 for a null key. */
    public int keySize() {
        return keySize;
    }

    /** Position of the key's first byte in {@link #buffer()}. */
    public int keyPosition() {
        return keyPosition;
    }

    /** A read-only view of the key, no copy; null for a null key. */
    public ByteBuffer key() {
        return keySize < 0 ? null : source.slice(keyPosition, keySize);
    }

    public boolean hasValue() {
        return valueSize >= 0;
    }

    /** Value length in bytes, -1 for a null value. */
    public int valueSize() {
        return valueSize;
    }

    /** Position of the value's first byte in {@link #buffer()}. */
    public int valuePosition() {
        return valuePosition;
    }

    /** A read-only view of the value, no copy; null for a null value. */
    public ByteBuffer value() {
        return valueSize < 0 ? null : source.slice(valuePosition, valueSize);
    }

    public int headerCount() {
        return headerCount;
    }

    /** Position of the first header's key length in {@link #buffer()}. */
    public int headersPosition() {
        return headersPosition;
    }

    /**
     * The headers in their written order, decoded now: keys become strings, values are read-only views.
     * Allocates; callers that only look for one key can walk {@link #buffer()} from {@link #headersPosition()}.
     */
    public Header[] headers() {
        Header[] headers = new Header[headerCount];
        int pos = headersPosition;
        for (int i = 0; i < headerCount; i++) {
            int keyLength = Varints.readVarint(source, pos, end);
            pos = Varints.endOfVarint(source, pos, end);
            String key = Utf8.decode(source, pos, keyLength);
            pos += keyLength;
            int valueLength = Varints.readVarint(source, pos, end);
            pos = Varints.endOfVarint(source, pos, end);
            headers[i] = new Header(key, valueLength < 0 ? null : source.slice(pos, valueLength));
            pos += Math.max(0, valueLength);
        }
        assert pos == end : "headers of record " + index + " end at " + pos + ", record at " + end;
        return headers;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", key=" + keySize + "B, value=" + valueSize
                + "B, headers=" + headerCount + ")";
    }
}
