package io.strand.record;

import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers, as records in a v2 batch use them for every length, delta and count.
 *
 * <p>A value is first zig-zag mapped ({@code 0, -1, 1, -2, ...} to {@code 0, 1, 2, 3, ...}) so that small
 * negative numbers stay short, then written seven bits at a time, least significant group first, with the
 * high bit of each byte set when another byte follows. An {@code int} takes at most 5 bytes, a {@code long}
 * at most 10.
 *
 * <p>Readers take their bytes from untrusted input, so every read is bounded: a varint that runs past the
 * limit, is longer than its type allows, or carries bits beyond 32 (or 64) is a
 * {@link CorruptRecordException} naming the position where the varint starts. Non-minimal encodings
 * (a value padded with {@code 0x80} bytes) are accepted, as other writers of this format accept them.
 * Writers trust their caller: the buffer must have room, which {@link #sizeOfVarint} tells in advance.
 *
 * <p>Relative methods move the buffer's position; absolute ones take an index and leave it alone. Stateless
 * and thread-safe.
 */
public final class Varints {
    /** Longest encoding of a 32-bit value. */
    public static final int MAX_VARINT_BYTES = 5;
    /** Longest encoding of a 64-bit value. */
    public static final int MAX_VARLONG_BYTES = 10;

    private Varints() {
    }

    /** Bytes that {@link #writeVarint} uses for {@code value}. */
    public static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        // One byte per started group of seven significant bits; zero still takes one byte.
        int significantBits = 32 - Integer.numberOfLeadingZeros(v);
        return significantBits == 0 ? 1 : (significantBits + 6) / 7;
    }

    /** Bytes that {@link #writeVarlong} uses for {@code value}. */
    public static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int significantBits = 64 - Long.numberOfLeadingZeros(v);
        return significantBits == 0 ? 1 : (significantBits + 6) / 7;
    }

    /** Writes {@code value} at the buffer's position and advances it. */
    public static void writeVarint(ByteBuffer buffer, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7F) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /** Writes {@code value} at {@code index} without moving the position; returns the bytes written. */
    public static int writeVarint(ByteBuffer buffer, int index, int value) {
        int v = (value << 1) ^ (value >> 31);
        int i = index;
        while ((v & ~0x7F) != 0) {
            buffer.put(i++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put(i++, (byte) v);
        return i - index;
    }

    /** Writes {@code value} at the buffer's position and advances it. */
    public static void writeVarlong(ByteBuffer buffer, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    /** Writes {@code value} at {@code index} without moving the position; returns the bytes written. */
    public static int writeVarlong(ByteBuffer buffer, int index, long value) {
        long v = (value << 1) ^ (value >> 63);
        int i = index;
        while ((v & ~0x7FL) != 0) {
            buffer.put(i++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put(i++, (byte) v);
        return i - index;
    }

    /**
     * Reads a varint at the buffer's position, never past its limit, and advances the position.
     *
     * @throws CorruptRecordException if it runs past the limit, is longer than 5 bytes or overflows 32 bits
     */
    public static int readVarint(ByteBuffer buffer) {
        // Lengths, counts and deltas of records mostly fit in one byte: that case is small enough to inline.
        int position = buffer.position();
        if (position < buffer.limit()) {
            int b = buffer.get(position);
            if (b >= 0) {
                buffer.position(position + 1);
                return (b >>> 1) ^ -(b & 1);
            }
        }
        return readLongerVarint(buffer);
    }

    private static int readLongerVarint(ByteBuffer buffer) {
        int start = buffer.position();
        int limit = buffer.limit();
        int raw = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (start + i >= limit) {
                throw runsPast("varint", start, limit);
            }
            int b = buffer.get(start + i);
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == MAX_VARINT_BYTES - 1 && b > 0x0F) {
                    break;
                }
                buffer.position(start + i + 1);
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw tooLong("varint", start);
    }

    /**
     * Reads the varint that starts at {@code index}, never reading at or past {@code limit}.
     * Its length is {@link #endOfVarint} minus {@code index}.
     *
     * @throws CorruptRecordException if it runs past the limit, is longer than 5 bytes or overflows 32 bits
     */
    public static int readVarint(ByteBuffer buffer, int index, int limit) {
        if (index >= 0 && index < limit && limit <= buffer.limit()) {
            int b = buffer.get(index);
            if (b >= 0) {
                return (b >>> 1) ^ -(b & 1);
            }
        }
        return readLongerVarint(buffer, index, limit);
    }

    private static int readLongerVarint(ByteBuffer buffer, int index, int limit) {
        checkBounds(buffer, index, limit);
        int raw = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            if (index + i >= limit) {
                throw runsPast("varint", index, limit);
            }
            int b = buffer.get(index + i);
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == MAX_VARINT_BYTES - 1 && b > 0x0F) {
                    break;
                }
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw tooLong("varint", index);
    }

    /**
     * Reads a varlong at the buffer's position, never past its limit, and advances the position.
     *
     * @throws CorruptRecordException if it runs past the limit, is longer than 10 bytes or overflows 64 bits
     */
    public static long readVarlong(ByteBuffer buffer) {
        int position = buffer.position();
        if (position < buffer.limit()) {
            long b = buffer.get(position);
            if (b >= 0) {
                buffer.position(position + 1);
                return (b >>> 1) ^ -(b & 1);
            }
        }
        return readLongerVarlong(buffer);
    }

    private static long readLongerVarlong(ByteBuffer buffer) {
        int start = buffer.position();
        int limit = buffer.limit();
        long raw = 0;
        for (int i = 0; i < MAX_VARLONG_BYTES; i++) {
            if (start + i >= limit) {
                throw runsPast("varlong", start, limit);
            }
            long b = buffer.get(start + i);
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == MAX_VARLONG_BYTES - 1 && b > 0x01) {
                    break;
                }
                buffer.position(start + i + 1);
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw tooLong("varlong", start);
    }

    /**
     * Reads the varlong that starts at {@code index}, never reading at or past {@code limit}.
     *
     * @throws CorruptRecordException if it runs past the limit, is longer than 10 bytes or overflows 64 bits
     */
    public static long readVarlong(ByteBuffer buffer, int index, int limit) {
        checkBounds(buffer, index, limit);
        long raw = 0;
        for (int i = 0; i < MAX_VARLONG_BYTES; i++) {
            if (index + i >= limit) {
                throw runsPast("varlong", index, limit);
            }
            long b = buffer.get(index + i);
            raw |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == MAX_VARLONG_BYTES - 1 && b > 0x01) {
                    break;
                }
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw tooLong("varlong", index);
    }

    /**
     * The index just past the varint that starts at {@code index}: where the next field begins.
     *
     * @throws CorruptRecordException if the varint is malformed (see {@link #readVarint(ByteBuffer, int, int)})
     */
    public static int endOfVarint(ByteBuffer buffer, int index, int limit) {
        if (index >= 0 && index < limit && limit <= buffer.limit() && buffer.get(index) >= 0) {
            return index + 1;
        }
        return endOf(buffer, index, limit, MAX_VARINT_BYTES, 0x0F, "varint");
    }

    /**
     * The index just past the varlong that starts at {@code index}.
     *
     * @throws CorruptRecordException if the varlong is malformed (see {@link #readVarlong(ByteBuffer, int, int)})
     */
    public static int endOfVarlong(ByteBuffer buffer, int index, int limit) {
        return endOf(buffer, index, limit, MAX_VARLONG_BYTES, 0x01, "varlong");
    }

    /**
     * Finds the end of a varint with the same checks as the readers. {@code lastByteMax} is the largest legal
     * last byte of a maximal-length encoding: the bits left of the type (4 in the 5th byte of an int, 1 in the
     * 10th byte of a long).
     */
    private static int endOf(ByteBuffer buffer, int index, int limit, int maxBytes, int lastByteMax, String type) {
        checkBounds(buffer, index, limit);
        for (int i = 0; i < maxBytes; i++) {
            if (index + i >= limit) {
                throw runsPast(type, index, limit);
            }
            int b = buffer.get(index + i) & 0xFF;
            if (i == maxBytes - 1 && b > lastByteMax) {
                break;
            }
            if ((b & 0x80) == 0) {
                return index + i + 1;
            }
        }
        throw tooLong(type, index);
    }

    /** A bad index or limit is the caller's mistake, not corrupt input. */
    private static void checkBounds(ByteBuffer buffer, int index, int limit) {
        if (index < 0 || limit > buffer.limit()) {
            throw new IllegalArgumentException("index=" + index + " limit=" + limit + " for a buffer of limit "
                    + buffer.limit());
        }
    }

    private static CorruptRecordException runsPast(String type, int index, int limit) {
        return new CorruptRecordException(type + " at position " + index + " runs past the limit " + limit);
    }

    private static CorruptRecordException tooLong(String type, int index) {
        boolean isInt = "varint".equals(type);
        return new CorruptRecordException(type + " at position " + index + " is longer than "
                + (isInt ? MAX_VARINT_BYTES : MAX_VARLONG_BYTES) + " bytes or overflows "
                + (isInt ? 32 : 64) + " bits");
    }

}
