package io.strand.jms.message;

import io.strand.record.Header;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One record header as the codec reads it: a key and a value. The record-batch format implements this
 * over its own header representation (or adapts to it), so the codec needs no record class.
 *
 * <p>The codec never moves the value's position and never keeps the buffer after returning.
 */
public interface HeaderView {
    /** @return the header key, never null for a well-formed record */
    String key();

    /** @return the header value; null for a header without a value, which the codec rejects */
    ByteBuffer value();

    /** @return whether the header has a value (see {@link #value()}) */
    default boolean hasValue() {
        return value() != null;
    }

    /**
     * The value decoded as a typed header value (the codec's type tag and bytes). A view over a stored record
     * reads the common values in place; this default goes through {@link #value()}.
     *
     * @throws MessageFormatException if the header has no value or its value is malformed
     */
    default Object parsedValue() throws MessageFormatException {
        final ByteBuffer value = value();
        if (value == null) {
            throw new MessageFormatException("header " + key() + " has no value");
        }
        return TypedValues.parseHeaderValue(value, key());
    }

    /**
     * @return a view over plain values, as the codec produces them
     */
    static HeaderView of(String key, byte[] value) {
        final ByteBuffer buffer = value == null ? null : ByteBuffer.wrap(value).asReadOnlyBuffer();
        return new HeaderView() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public ByteBuffer value() {
                return buffer == null ? null : buffer.duplicate();
            }

            @Override
            public String toString() {
                return key + "(" + (value == null ? "null" : value.length + " bytes") + ")";
            }
        };
    }

    /**
     * @return views over a stored record's headers, sharing their buffers: valid as long as the
     *     record's batch is
     */
    static List<HeaderView> of(Header[] headers) {
        final List<HeaderView> views = new ArrayList<>(headers.length);
        for (Header h : headers) {
            views.add(new HeaderView() {
                @Override
                public String key() {
                    return h.key();
                }

                @Override
                public ByteBuffer value() {
                    return h.value();
                }
            });
        }
        return views;
    }
}
