package io.strand.admin;

import io.strand.jms.message.HeaderView;
import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.StrandMapMessage;
import io.strand.jms.message.StrandMessage;
import io.strand.jms.message.StrandTextMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A message as a browse shows it to an operator: where it lies, its JMS headers, its properties and
 * a preview of its body. Object bodies are never deserialised (an operator's tool must not run
 * classes from a message); they show as their size.
 *
 * @param timestamp   when the record was written (epoch ms)
 * @param bodyKind    MESSAGE, TEXT, BYTES, MAP, OBJECT or STREAM; UNDECODABLE when the record is no JMS message
 * @param bodyBytes   size of the stored body
 * @param bodyPreview the start of the body in readable form, at most the preview length asked for
 */
public record BrowsedMessage(int partition, long offset, long timestamp, String messageId, String correlationId,
                             String type, String deliveryMode, int priority, long expiration,
                             Map<String, Object> properties, String bodyKind, int bodyBytes, String bodyPreview) {
    /** Characters of a body preview unless the caller asks otherwise. */
    public static final int DEFAULT_PREVIEW_CHARS = 200;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static BrowsedMessage decode(MessageCodec codec, int partition, long offset, long timestamp, ByteBuffer key,
                                 ByteBuffer value, List<? extends HeaderView> headers, int previewChars) {
        int bodyBytes = value == null ? 0 : value.remaining();
        StrandMessage message;
        try {
            message = codec.decode(key, value, headers);
        } catch (JMSException | RuntimeException e) {
            return new BrowsedMessage(partition, offset, timestamp, null, null, null, null, -1, 0, Map.of(),
                    "UNDECODABLE", bodyBytes, "(not a JMS message: " + e.getMessage() + ")");
        }
        Map<String, Object> properties = new TreeMap<>();
        try {
            for (Object name : Collections.list(message.getPropertyNames())) {
                properties.put((String) name, message.getObjectProperty((String) name));
            }
            return new BrowsedMessage(partition, offset, timestamp, message.getJMSMessageID(),
                    message.getJMSCorrelationID(), message.getJMSType(),
                    message.getJMSDeliveryMode() == DeliveryMode.PERSISTENT ? "PERSISTENT" : "NON_PERSISTENT",
                    message.getJMSPriority(), message.getJMSExpiration(), Collections.unmodifiableMap(properties),
                    message.kind().name(), bodyBytes, preview(message, value, previewChars));
        } catch (JMSException e) {
            throw new IllegalStateException("a decoded message refused to show its headers: " + e, e);
        }
    }

    private static String preview(StrandMessage message, ByteBuffer value, int chars) throws JMSException {
        String full = switch (message.kind()) {
            case MESSAGE -> "";
            case TEXT -> {
                String text = ((StrandTextMessage) message).getText();
                yield text == null ? "(null)" : text;
            }
            case BYTES -> value == null ? "" : hex(value, (chars + 1) / 2);
            case MAP -> {
                StrandMapMessage map = (StrandMapMessage) message;
                Map<String, Object> items = new TreeMap<>();
                for (Object name : Collections.list(map.getMapNames())) {
                    items.put((String) name, map.getObject((String) name));
                }
                yield items.toString();
            }
            case OBJECT -> "(serialized Java object, not deserialized)";
            case STREAM -> "(stream message)";
        };
        return full.length() <= chars ? full : full.substring(0, chars) + "...";
    }

    private static String hex(ByteBuffer value, int maxBytes) {
        int n = Math.min(value.remaining(), maxBytes);
        StringBuilder s = new StringBuilder(n * 2 + 3);
        for (int i = 0; i < n; i++) {
            int b = value.get(value.position() + i) & 0xff;
            s.append(HEX[b >> 4]).append(HEX[b & 0xf]);
        }
        return n < value.remaining() ? s.append("...").toString() : s.toString();
    }
}
