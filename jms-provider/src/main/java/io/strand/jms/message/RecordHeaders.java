package io.strand.jms.message;

import io.strand.record.Record;
import io.strand.record.Varints;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The headers of one stored record, read in place: one pass over the record's header bytes notes where
 * each key and value lies, and lookups compare key bytes with the name asked for. No key is decoded into a
 * string and no header object is built, which is what makes a broker scan that looks at every record of a
 * queue for a selector cheap (see {@link EncodedHeaderLookup#selectorValue(ByteBuffer, RecordHeaders, String)}).
 *
 * <p>Values of the common selector types (ASCII strings, booleans, ints, longs) are read here without the
 * general decoder; everything else goes through it, with the same results and the same errors.
 *
 * <p>One instance is reset record after record and keeps its arrays. Valid until the record's batch is
 * left behind, like the record. Not thread-safe.
 */
public final class RecordHeaders {
    private ByteBuffer buffer;
    private int count;
    private int[] keyPositions = new int[16];
    private int[] keyLengths = new int[16];
    private int[] valuePositions = new int[16];
    private int[] valueLengths = new int[16];
    private byte[] scratch = new byte[64];

    /** Points this view at {@code record}'s headers, which its iterator has bounds-checked already. */
    public RecordHeaders reset(Record record) {
        final ByteBuffer source = record.buffer();
        final int end = record.position() + record.sizeInBytes();
        final int headers = record.headerCount();
        if (headers > keyPositions.length) {
            final int capacity = Math.max(headers, 2 * keyPositions.length);
            keyPositions = new int[capacity];
            keyLengths = new int[capacity];
            valuePositions = new int[capacity];
            valueLengths = new int[capacity];
        }
        int at = record.headersPosition();
        for (int i = 0; i < headers; i++) {
            final int keyLength = Varints.readVarint(source, at, end);
            at = Varints.endOfVarint(source, at, end);
            keyPositions[i] = at;
            keyLengths[i] = keyLength;
            at += keyLength;
            final int valueLength = Varints.readVarint(source, at, end);
            at = Varints.endOfVarint(source, at, end);
            valuePositions[i] = at;
            valueLengths[i] = valueLength;
            at += Math.max(0, valueLength);
        }
        this.buffer = source;
        this.count = headers;
        return this;
    }

    public int size() {
        return count;
    }

    /** @return the index of the first header whose key is {@code key}, or -1 */
    public int indexOf(String key) {
        for (int i = 0; i < count; i++) {
            if (keyEquals(i, key)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether header {@code index}'s key starts with {@code c}, an ASCII character. */
    boolean keyStartsWith(int index, char c) {
        return keyLengths[index] > 0 && buffer.get(keyPositions[index]) == (byte) c;
    }

    /** Whether header {@code index}'s key is {@code key}; ASCII keys are compared without encoding them. */
    public boolean keyEquals(int index, String key) {
        final int length = keyLengths[index];
        final int position = keyPositions[index];
        final int chars = key.length();
        if (chars > length) {
            return false; // a UTF-8 encoding has at least one byte per char
        }
        for (int c = 0; c < chars; c++) {
            final char ch = key.charAt(c);
            if (ch >= 0x80) {
                return utf8Equals(position, length, key);
            }
            if (buffer.get(position + c) != (byte) ch) {
                return false;
            }
        }
        return chars == length;
    }

    private boolean utf8Equals(int position, int length, String key) {
        final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.get(position + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** A read-only view of header {@code index}'s value, or null for a header without a value. */
    public ByteBuffer value(int index) {
        final int length = valueLengths[index];
        return length < 0 ? null : buffer.slice(valuePositions[index], length);
    }

    /**
     * The typed value of header {@code index}, as {@link TypedValues} decodes header values.
     *
     * @throws MessageFormatException if the header has no value or its value is malformed
     */
    Object parse(int index, String key) throws MessageFormatException {
        final int length = valueLengths[index];
        if (length < 0) {
            throw new MessageFormatException("header " + key + " has no value");
        }
        final int position = valuePositions[index];
        if (length > 0) {
            final byte tag = buffer.get(position);
            switch (tag) {
                case TypedValues.STRING -> {
                    final String ascii = asciiString(position + 1, length - 1);
                    if (ascii != null) {
                        return ascii;
                    }
                }
                case TypedValues.INT -> {
                    if (length == 1 + Integer.BYTES) {
                        return buffer.getInt(position + 1);
                    }
                }
                case TypedValues.LONG -> {
                    if (length == 1 + Long.BYTES) {
                        return buffer.getLong(position + 1);
                    }
                }
                case TypedValues.BOOLEAN -> {
                    if (length == 2 && (buffer.get(position + 1) & ~1) == 0) {
                        return buffer.get(position + 1) == 1;
                    }
                }
                default -> {
                }
            }
        }
        // Anything unusual, malformed values included, gets the general decoder and its error messages.
        return TypedValues.parseHeaderValue(buffer.slice(position, length), key);
    }

    /** The bytes as a string when they are all ASCII (so UTF-8 decoding would give the same), else null. */
    private String asciiString(int position, int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        buffer.get(position, scratch, 0, length);
        for (int i = 0; i < length; i++) {
            if (scratch[i] < 0) {
                return null;
            }
        }
        return new String(scratch, 0, length, StandardCharsets.ISO_8859_1);
    }
}
