package io.strand.record;

import java.nio.ByteBuffer;

/**
 * Encodes one record of a v2 batch, in the layout described in {@link Record}.
 *
 * <p>The body is sized before it is written ({@link #bodySize}), so the length prefix goes first and nothing is
 * moved afterwards. {@link RecordIterator} is the reader of this layout. Stateless and thread-safe.
 */
final class RecordWriter {
    /** Smallest record body: attributes and five one-byte varints. */
    static final int MIN_RECORD_BODY_SIZE = 6;

    private RecordWriter() {
    }

    /**
     * The body size of a record, the value of its length prefix.
     *
     * @throws IllegalArgumentException if a header is null, a header key has no UTF-8 form, or the record
     *                                  cannot fit in a batch
     */
    static int bodySize(long timestampDelta, int offsetDelta, ByteBuffer key, ByteBuffer value, Header[] headers) {
        long size = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + sizeOfBytes(key == null ? -1 : key.remaining())
                + sizeOfBytes(value == null ? -1 : value.remaining());
        int count = headers == null ? 0 : headers.length;
        size += Varints.sizeOfVarint(count);
        for (int i = 0; i < count; i++) {
            if (headers[i] == null) {
                throw new IllegalArgumentException("headers[" + i + "] is null");
            }
            size += sizeOfBytes(Utf8.encodedLength(headers[i].key())) + sizeOfBytes(headers[i].valueSize());
        }
        if (size > Integer.MAX_VALUE - 2 * Varints.MAX_VARINT_BYTES - RecordBatch.HEADER_SIZE) {
            throw new IllegalArgumentException("record of " + size + " bytes does not fit in a batch");
        }
        return (int) size;
    }

    /**
     * Writes the record at {@code out}'s position, which must have room for the length prefix and
     * {@code bodySize} bytes, and advances it. Moves no position of key, value or header values.
     */
    static void write(ByteBuffer out, int bodySize, long timestampDelta, int offsetDelta, ByteBuffer key,
                      ByteBuffer value, Header[] headers) {
        Varints.writeVarint(out, bodySize);
        int bodyStart = out.position();
        out.put((byte) 0);
        Varints.writeVarlong(out, timestampDelta);
        Varints.writeVarint(out, offsetDelta);
        writeBytes(out, key);
        writeBytes(out, value);
        int count = headers == null ? 0 : headers.length;
        Varints.writeVarint(out, count);
        for (int i = 0; i < count; i++) {
            String headerKey = headers[i].key();
            Varints.writeVarint(out, Utf8.encodedLength(headerKey));
            Utf8.encode(headerKey, out);
            writeBytes(out, headers[i].value());
        }
        assert out.position() - bodyStart == bodySize
                : "record body at " + bodyStart + " took " + (out.position() - bodyStart) + " bytes, sized " + bodySize;
    }

    /** A length prefix and the bytes from position to limit, or -1 alone for null. */
    private static void writeBytes(ByteBuffer out, ByteBuffer bytes) {
        if (bytes == null) {
            Varints.writeVarint(out, -1);
            return;
        }
        int length = bytes.remaining();
        Varints.writeVarint(out, length);
        out.put(out.position(), bytes, bytes.position(), length);
        out.position(out.position() + length);
    }

    /** A length prefix plus the bytes it announces; -1 (null) has no bytes. */
    private static long sizeOfBytes(int length) {
        return Varints.sizeOfVarint(length) + (long) Math.max(0, length);
    }
}
