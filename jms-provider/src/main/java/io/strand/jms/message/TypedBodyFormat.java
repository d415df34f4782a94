package io.strand.jms.message;

import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record-value encodings of MapMessage and StreamMessage bodies, built from the body items of
 * {@link TypedValues}.
 *
 * <pre>
 * stream body = item*                          fields in order, to the end of the value
 * map body    = (varint nameLength, UTF-8 name, item)*   entries in insertion order, to the end
 * item        = tag, value                     see TypedValues
 * </pre>
 *
 * <p>There is no count and no version byte: the record value's length ends the body, and the message kind
 * in the {@code #t} header says which encoding applies (a new encoding would get a new kind code). An
 * empty body is zero bytes. Map names must be non-empty and unique; decoding rejects anything else, and
 * every length and tag, with a {@link MessageFormatException} naming the entry.
 *
 * <p>Stateless; thread-safe.
 */
final class TypedBodyFormat {
    private TypedBodyFormat() {
    }

    static ByteBuffer encodeStream(List<Object> fields) {
        final ByteSink out = new ByteSink(16 + 9 * fields.size());
        for (Object field : fields) {
            TypedValues.writeItem(out, field);
        }
        return out.view();
    }

    static List<Object> decodeStream(ByteBuffer value) throws MessageFormatException {
        final ByteBuffer in = value.duplicate();
        final List<Object> fields = new ArrayList<>();
        while (in.hasRemaining()) {
            fields.add(TypedValues.readItem(in, "StreamMessage body field " + fields.size()));
        }
        return fields;
    }

    static ByteBuffer encodeMap(Map<String, Object> items) {
        final ByteSink out = new ByteSink(16 + 16 * items.size());
        items.forEach((name, value) -> {
            final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            out.writeVarint(nameBytes.length);
            out.writeBytes(nameBytes);
            TypedValues.writeItem(out, value);
        });
        return out.view();
    }

    static Map<String, Object> decodeMap(ByteBuffer value) throws MessageFormatException {
        final ByteBuffer in = value.duplicate();
        final Map<String, Object> items = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            final String what = "MapMessage body entry " + items.size();
            final int nameLength = TypedValues.readLength(in, what + " name");
            if (nameLength == 0) {
                throw new MessageFormatException(what + ": empty name");
            }
            final String name = TypedValues.utf8(in, nameLength, what + " name");
            final Object item = TypedValues.readItem(in, "MapMessage body item " + name);
            if (items.containsKey(name)) {
                throw new MessageFormatException("MapMessage body: duplicate item " + name);
            }
            items.put(name, item);
        }
        return items;
    }
}
