package io.strand.jms.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message as one log record: what {@link MessageCodec#encode} produces and the record-batch builder
 * consumes.
 *
 * <p>The value buffer may share its array with the message it came from (a bytes or object body); those
 * bytes are never modified afterwards, because messages replace, never overwrite, a body they have handed
 * out. The buffer itself is read-only; the key and header arrays are not copied, so treat them as
 * read-only too. Safe to hand to another thread once built.
 *
 * @param key     the record key: the UTF-8 bytes of {@code JMSXGroupID}, or null
 * @param value   the record value: the body, or null when the message has none (see {@link MessageCodec})
 * @param headers the record headers, in a stable order: the message kind, the JMS headers, the properties
 */
public record EncodedMessage(byte[] key, ByteBuffer value, List<Map.Entry<String, byte[]>> headers) {
    public EncodedMessage {
        headers = List.copyOf(headers);
    }

    /** @return the headers as the codec reads them, for decoding without a record in between */
    public List<HeaderView> headerViews() {
        final List<HeaderView> views = new ArrayList<>(headers.size());
        for (Map.Entry<String, byte[]> header : headers) {
            views.add(HeaderView.of(header.getKey(), header.getValue()));
        }
        return views;
    }

    /** @return the record key as a buffer, or null */
    public ByteBuffer keyBuffer() {
        return key == null ? null : ByteBuffer.wrap(key).asReadOnlyBuffer();
    }

    /** @return the encoded size of value, key and headers (keys as UTF-8), without record framing */
    public int sizeInBytes() {
        int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.remaining());
        for (Map.Entry<String, byte[]> header : headers) {
            size += header.getKey().getBytes(StandardCharsets.UTF_8).length + header.getValue().length;
        }
        return size;
    }
}
