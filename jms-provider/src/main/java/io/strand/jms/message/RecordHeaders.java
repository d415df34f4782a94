package io.strand.jms.message;

import io.strand.record.Record;
import io.strand.record.Varints;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * The headers of one stored record, read in place: one pass over the record's header bytes notes where
 * each key and value lies, and lookups compare key bytes with the name asked for. No key is decoded into a
 * string and no header object is built, which is what makes a broker scan that looks at every record of a
 * queue for a selector cheap (see {@link EncodedHeaderLookup#selectorValue(ByteBuffer, RecordHeaders, String)}).
 *
 * <p>Values of the common selector types (ASCII strings, booleans, ints, longs) are read here without the
 * general decoder; everything else goes through it, with the same results and the same errors.
 *
 * <p>{@link #views()} hands the same headers to the codec as {@link HeaderView}s. Their keys are decoded
 * once per position and reused while the next records carry the same key there, as the messages of one
 * producer do, so a client decoding a push builds no key string per record.
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
    /** Per header position, the key string last decoded there. */
    private String[] keys = new String[16];
    /** Per header position, the {@link #generation} in which its key string was last checked against the bytes. */
    private long[] keyChecks = new long[16];
    /** Counts resets, so that a key checked once for the current record is not compared again. */
    private long generation;
    private View[] flyweights = new View[0];
    private final List<HeaderView> views = new AbstractList<>() {
        @Override
        public HeaderView get(int index) {
            if (index < 0 || index >= count) {
                throw new IndexOutOfBoundsException("header " + index + " of " + count);
            }
            return flyweights[index];
        }

        @Override
        public int size() {
            return count;
        }
    };

    /** Header {@code index} of whatever record the headers were last reset to. */
    private final class View implements HeaderView {
        private final int index;

        View(int index) {
            this.index = index;
        }

        @Override
        public String key() {
            return RecordHeaders.this.key(index);
        }

        @Override
        public ByteBuffer value() {
            return RecordHeaders.this.value(index);
        }

        @Override
        public boolean hasValue() {
            return valueLengths[index] >= 0;
        }

        @Override
        public Object parsedValue() throws MessageFormatException {
            return parse(index, key());
        }

        @Override
        public String toString() {
            return key() + "(" + (valueLengths[index] < 0 ? "null" : valueLengths[index] + " bytes") + ")";
        }
    }

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
            keys = Arrays.copyOf(keys, capacity);
            keyChecks = Arrays.copyOf(keyChecks, capacity);
        }
        if (headers > flyweights.length) {
            View[] grown = Arrays.copyOf(flyweights, Math.max(headers, keyPositions.length));
            for (int i = flyweights.length; i < grown.length; i++) {
                grown[i] = new View(i);
            }
            flyweights = grown;
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
        generation++;
        return this;
    }

    public int size() {
        return count;
    }

    /**
     * The headers as views for the codec, in their order. The list and its views read this object: they
     * are valid until the next {@link #reset}.
     */
    public List<HeaderView> views() {
        return views;
    }

    /** Header {@code index}'s key, decoded as UTF-8 only when this position held another key before. */
    public String key(int index) {
        final String cached = keys[index];
        if (keyChecks[index] == generation) {
            return cached;
        }
        keyChecks[index] = generation;
        if (cached != null && keyEquals(index, cached)) {
            return cached;
        }
        final int length = keyLengths[index];
        final byte[] bytes = new byte[length];
        buffer.get(keyPositions[index], bytes);
        final String key = new String(bytes, StandardCharsets.UTF_8);
        keys[index] = key;
        return key;
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
        final int chars = key.length();
        if (length != chars) {
            // Only a key with non-ASCII characters takes more UTF-8 bytes than chars; most keys differ in length.
            return length > chars && !isAscii(key) && utf8Equals(keyPositions[index], length, key);
        }
        final int position = keyPositions[index];
        for (int c = 0; c < chars; c++) {
            final char ch = key.charAt(c);
            if (ch >= 0x80) {
                return utf8Equals(position, length, key);
            }
            if (buffer.get(position + c) != (byte) ch) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String key) {
        for (int c = 0; c < key.length(); c++) {
            if (key.charAt(c) >= 0x80) {
                return false;
            }
        }
        return true;
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
