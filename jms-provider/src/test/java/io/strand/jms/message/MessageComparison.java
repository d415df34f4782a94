package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.JMSException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Compares two messages field by field, as the codec must preserve them. */
final class MessageComparison {
    /** Stands in for a byte[] so that collections of values compare by content. */
    record Bytes(String hex) {
    }

    private MessageComparison() {
    }

    static void assertSameMessage(StrandMessage actual, StrandMessage expected) throws JMSException {
        assertThat(actual.kind()).isEqualTo(expected.kind());
        assertThat(actual.getJMSMessageID()).isEqualTo(expected.getJMSMessageID());
        assertThat(actual.getJMSTimestamp()).isEqualTo(expected.getJMSTimestamp());
        assertThat(normalize(actual.correlationIdAsSet())).isEqualTo(normalize(expected.correlationIdAsSet()));
        assertThat(actual.getJMSReplyTo()).isEqualTo(expected.getJMSReplyTo());
        assertThat(actual.getJMSDestination()).isEqualTo(expected.getJMSDestination());
        assertThat(actual.getJMSDeliveryMode()).isEqualTo(expected.getJMSDeliveryMode());
        assertThat(actual.getJMSType()).isEqualTo(expected.getJMSType());
        assertThat(actual.getJMSExpiration()).isEqualTo(expected.getJMSExpiration());
        assertThat(actual.getJMSDeliveryTime()).isEqualTo(expected.getJMSDeliveryTime());
        assertThat(actual.getJMSPriority()).isEqualTo(expected.getJMSPriority());
        assertThat(properties(actual)).isEqualTo(properties(expected));
        assertThat(body(actual)).isEqualTo(body(expected));
    }

    static Map<String, Object> properties(StrandMessage message) {
        final Map<String, Object> properties = new HashMap<>();
        message.properties().forEach(properties::put);
        return properties;
    }

    static Object body(StrandMessage message) {
        return switch (message.kind()) {
            case MESSAGE -> null;
            case TEXT -> ((StrandTextMessage) message).getText();
            case BYTES -> normalize(bytes(((StrandBytesMessage) message).bodyView()));
            case MAP -> {
                final Map<String, Object> items = new HashMap<>();
                ((StrandMapMessage) message).items().forEach((k, v) -> items.put(k, normalize(v)));
                yield items;
            }
            case OBJECT -> normalize(((StrandObjectMessage) message).serializedBody());
            case STREAM -> {
                final List<Object> fields = new ArrayList<>();
                ((StrandStreamMessage) message).fields().forEach(v -> fields.add(normalize(v)));
                yield fields;
            }
        };
    }

    static Object normalize(Object value) {
        return value instanceof byte[] b ? new Bytes(HexFormat.of().formatHex(b)) : value;
    }

    static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
