package io.strand.jms.message;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import java.util.List;
import java.util.Map;

/**
 * The JMS header fields of a message as record headers under the reserved keys of {@link HeaderKeys}:
 * which are written, and how each is checked when read back. The message kind ({@code #t}) is the
 * codec's own business and not handled here.
 *
 * <p>Stateless apart from a {@link Decoder}, which lives for one decode on one thread.
 */
final class JmsHeaderFields {
    /** The reserved keys a decoder applies, in the order of the bits of {@link Decoder#seen}. */
    private static final List<String> KEYS = List.of(HeaderKeys.MESSAGE_ID, HeaderKeys.TIMESTAMP,
            HeaderKeys.CORRELATION_ID, HeaderKeys.REPLY_TO, HeaderKeys.DESTINATION, HeaderKeys.DELIVERY_MODE,
            HeaderKeys.TYPE, HeaderKeys.EXPIRATION, HeaderKeys.DELIVERY_TIME, HeaderKeys.PRIORITY);

    static {
        assert KEYS.size() < Integer.SIZE : "one bit per key in Decoder.seen";
    }

    private JmsHeaderFields() {
    }

    /** Adds a header for each field that differs from a new message's value (see {@link HeaderKeys}). */
    static void encode(StrandMessage m, List<Map.Entry<String, byte[]>> headers) throws JMSException {
        addIfSet(headers, HeaderKeys.MESSAGE_ID, m.getJMSMessageID());
        if (m.getJMSTimestamp() != 0) {
            headers.add(Map.entry(HeaderKeys.TIMESTAMP, TypedValues.headerValue(m.getJMSTimestamp())));
        }
        addIfSet(headers, HeaderKeys.CORRELATION_ID, m.correlationIdAsSet());
        if (m.getJMSReplyTo() != null) {
            headers.add(Map.entry(HeaderKeys.REPLY_TO, TypedValues.destinationValue(m.getJMSReplyTo())));
        }
        if (m.getJMSDestination() != null) {
            headers.add(Map.entry(HeaderKeys.DESTINATION, TypedValues.destinationValue(m.getJMSDestination())));
        }
        if (m.getJMSDeliveryMode() != Message.DEFAULT_DELIVERY_MODE) {
            headers.add(Map.entry(HeaderKeys.DELIVERY_MODE, TypedValues.headerValue(m.getJMSDeliveryMode())));
        }
        addIfSet(headers, HeaderKeys.TYPE, m.getJMSType());
        if (m.getJMSExpiration() != 0) {
            headers.add(Map.entry(HeaderKeys.EXPIRATION, TypedValues.headerValue(m.getJMSExpiration())));
        }
        // Without a delivery delay the delivery time is the send time: left out, so that the broker can
        // hand out such records without reading them (RecordBatch.DELIVERY_RULES_FLAG_MASK).
        if (m.getJMSDeliveryTime() != m.getJMSTimestamp()) {
            headers.add(Map.entry(HeaderKeys.DELIVERY_TIME, TypedValues.headerValue(m.getJMSDeliveryTime())));
        }
        if (m.getJMSPriority() != Message.DEFAULT_PRIORITY) {
            headers.add(Map.entry(HeaderKeys.PRIORITY, TypedValues.headerValue(m.getJMSPriority())));
        }
    }

    private static void addIfSet(List<Map.Entry<String, byte[]>> headers, String key, Object value) {
        if (value != null) {
            headers.add(Map.entry(key, TypedValues.headerValue(value)));
        }
    }

    /** The JMSDeliveryMode a selector sees: the specification treats it as these two strings. */
    static String selectorDeliveryMode(int deliveryMode) {
        return deliveryMode == DeliveryMode.NON_PERSISTENT ? "NON_PERSISTENT" : "PERSISTENT";
    }

    /** Applies reserved headers to one message, refusing repeats, unknown keys and wrong types. */
    static final class Decoder {
        private final StrandMessage message;
        private int seen;

        Decoder(StrandMessage message) {
            this.message = message;
        }

        /** Fills in what the headers left out because it follows from others: the delivery time is the send time. */
        void finish() {
            if ((seen & (1 << KEYS.indexOf(HeaderKeys.DELIVERY_TIME))) == 0) {
                message.setJMSDeliveryTime(message.getJMSTimestamp());
            }
        }

        void apply(HeaderView header) throws MessageFormatException {
            final String key = header.key();
            if (HeaderKeys.KIND.equals(key)) {
                return; // read by the codec before the message existed
            }
            final int index = KEYS.indexOf(key);
            if (index < 0) {
                throw new MessageFormatException("header " + key + " is reserved but unknown to this version");
            }
            if ((seen & (1 << index)) != 0) {
                throw new MessageFormatException("header " + key + " appears twice");
            }
            seen |= 1 << index;
            final Object v = header.parsedValue();
            switch (key) {
                case HeaderKeys.MESSAGE_ID -> message.setJMSMessageID(expect(v, String.class, key));
                case HeaderKeys.TIMESTAMP -> message.setJMSTimestamp(expect(v, Long.class, key));
                case HeaderKeys.CORRELATION_ID -> {
                    if (v instanceof byte[] bytes) {
                        message.setJMSCorrelationIDAsBytes(bytes);
                    } else {
                        message.setJMSCorrelationID(expect(v, String.class, key));
                    }
                }
                case HeaderKeys.REPLY_TO -> message.setJMSReplyTo(expect(v, Destination.class, key));
                case HeaderKeys.DESTINATION -> message.setJMSDestination(expect(v, Destination.class, key));
                case HeaderKeys.DELIVERY_MODE -> message.setJMSDeliveryMode(expect(v, Integer.class, key));
                case HeaderKeys.TYPE -> message.setJMSType(expect(v, String.class, key));
                case HeaderKeys.EXPIRATION -> message.setJMSExpiration(expect(v, Long.class, key));
                case HeaderKeys.DELIVERY_TIME -> message.setJMSDeliveryTime(expect(v, Long.class, key));
                case HeaderKeys.PRIORITY -> message.setJMSPriority(expect(v, Integer.class, key));
                default -> throw new AssertionError("KEYS and this switch disagree on " + key);
            }
        }
    }

    static <T> T expect(Object value, Class<T> type, String key) throws MessageFormatException {
        if (!type.isInstance(value)) {
            throw new MessageFormatException("header " + key + " must hold a " + type.getSimpleName() + ", found "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return type.cast(value);
    }
}
