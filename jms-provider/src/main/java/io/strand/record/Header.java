package io.strand.record;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One record header: a non-null key and a value that may be null.
 *
 * <p>On write the value buffer's remaining bytes are the value, and the builder does not move its position.
 * On read the value is a read-only view into the batch (or into the iterator's decompression buffer), not a
 * copy: it is valid only until the iterator that produced it moves to another batch. Copy with
 * {@link #valueBytes()} to keep it longer.
 *
 * <p>Immutable as far as this class goes; {@link #value()} hands out a fresh view each time, so a reader that
 * consumes it cannot disturb another. Safe to share between threads as long as the bytes behind the value
 * are not changed.
 */
public final class Header {
    private final String key;
    private final ByteBuffer value;

    /**
     * @param key   the header key, not null; written as UTF-8
     * @param value the value bytes from position to limit, or null for a null value
     */
    public Header(String key, ByteBuffer value) {
        this.key = Objects.requireNonNull(key, "a header key is never null");
        this.value = value == null ? null : value.asReadOnlyBuffer();
    }

    /** A header whose value wraps {@code value} without copying it (null for a null value). */
    public static Header of(String key, byte[] value) {
        return new Header(key, value == null ? null : ByteBuffer.wrap(value));
    }

    public String key() {
        return key;
    }

    /** A read-only view of the value, positioned at its first byte; null for a null value. */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    /** The value's length in bytes, or -1 for a null value, as the record layout stores it. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    /** A copy of the value bytes, or null for a null value. */
    public byte[] valueBytes() {
        if (value == null) {
            return null;
        }
        byte[] copy = new byte[value.remaining()];
        value.duplicate().get(copy);
        return copy;
    }

    /** Equal when the keys and the value bytes are equal (both values null counts as equal). */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Header)) {
            return false;
        }
        Header that = (Header) other;
        return key.equals(that.key) && Objects.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + (value == null ? 0 : value.hashCode());
    }

    @Override
    public String toString() {
        return "Header(" + key + ", " + (value == null ? "null" : value.remaining() + " bytes") + ")";
    }
}
