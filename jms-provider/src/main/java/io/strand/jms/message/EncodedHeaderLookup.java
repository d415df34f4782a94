package io.strand.jms.message;

import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the value a message selector identifier stands for straight from a record's key and headers,
 * without decoding the body or building a message: what the broker needs to evaluate a selector on a
 * stored record (DESIGN.md §3).
 *
 * <p>Values are what Jakarta Messaging 3.1 §3.8.1.1 says a selector sees:
 * <ul>
 * <li>{@code JMSDeliveryMode}: the string {@code "PERSISTENT"} or {@code "NON_PERSISTENT"};
 * <li>{@code JMSPriority} ({@code Integer}) and {@code JMSTimestamp} ({@code Long}), with a new message's
 *     values (4, 0) when the header was not written;
 * <li>{@code JMSMessageID}, {@code JMSCorrelationID}, {@code JMSType}: a {@code String} or null (a byte[]
 *     correlation id reads as its UTF-8 decoding);
 * <li>other header names ({@code JMSDestination}, {@code JMSExpiration}, ...) are not selectable: null;
 * <li>{@code JMSXGroupID}: the record key when there is one;
 * <li>any other identifier: the property of that name in its stored type, or null when absent.
 * </ul>
 * Properties the provider stamps on receipt ({@code JMSXDeliveryCount}) are not in the record; the
 * broker supplies them from its own state.
 *
 * <p>Each lookup scans the headers once and parses only the value it returns; over {@link RecordHeaders} it
 * compares key bytes and decodes no key. Stateless; thread-safe.
 */
public final class EncodedHeaderLookup {
    private EncodedHeaderLookup() {
    }

    /**
     * @param recordKey  the record key, or null; its position is not moved
     * @param headers    the record headers
     * @param identifier a selector identifier, e.g. {@code JMSPriority} or {@code color}
     * @return the identifier's value, or null when the message has none
     * @throws MessageFormatException if the header holding the value is malformed
     */
    public static Object selectorValue(ByteBuffer recordKey, Iterable<? extends HeaderView> headers, String identifier)
            throws MessageFormatException {
        return selectorValue(recordKey, key -> parse(headers, key), identifier);
    }

    /**
     * {@link #selectorValue(ByteBuffer, Iterable, String)} over headers read in place: the same values and
     * errors, without decoding header keys.
     */
    public static Object selectorValue(ByteBuffer recordKey, RecordHeaders headers, String identifier)
            throws MessageFormatException {
        return selectorValue(recordKey, key -> parse(headers, key), identifier);
    }

    /**
     * Resolves a selector identifier once, for evaluations over many records: what kind of name it is
     * (a selectable header, a property name, neither) is decided here instead of on every lookup.
     */
    public static Identifier identifier(String name) {
        return new Identifier(name);
    }

    /** A selector identifier resolved by {@link #identifier}. Immutable; thread-safe. */
    public static final class Identifier {
        private final String name;
        private final boolean selectableHeader;
        private final boolean propertyName;

        private Identifier(String name) {
            this.name = name;
            this.selectableHeader = SELECTABLE_HEADERS.contains(name);
            this.propertyName = PropertyNames.isPropertyName(name);
        }

        /**
         * {@link EncodedHeaderLookup#selectorValue(ByteBuffer, RecordHeaders, String)} for this identifier.
         *
         * @throws MessageFormatException if the header holding the value is malformed
         */
        public Object valueIn(ByteBuffer recordKey, RecordHeaders headers) throws MessageFormatException {
            if (selectableHeader) {
                return selectorValue(recordKey, headers, name);
            }
            return propertyValue(recordKey, key -> parse(headers, key), name, propertyName);
        }
    }

    /** The header names {@link #selectorValue} reads from a header of their own. */
    private static final Set<String> SELECTABLE_HEADERS = Set.of("JMSDeliveryMode",
            "JMSPriority", "JMSTimestamp", "JMSMessageID", "JMSType", "JMSCorrelationID");

    private static Object selectorValue(ByteBuffer recordKey, HeaderValues headers, String identifier)
            throws MessageFormatException {
        switch (identifier) {
            case "JMSDeliveryMode": {
                final Object mode = headers.parse(HeaderKeys.DELIVERY_MODE);
                return JmsHeaderFields.selectorDeliveryMode(mode == null ? Message.DEFAULT_DELIVERY_MODE
                        : JmsHeaderFields.expect(mode, Integer.class, HeaderKeys.DELIVERY_MODE));
            }
            case "JMSPriority": {
                final Object priority = headers.parse(HeaderKeys.PRIORITY);
                return priority == null ? Integer.valueOf(Message.DEFAULT_PRIORITY)
                        : JmsHeaderFields.expect(priority, Integer.class, HeaderKeys.PRIORITY);
            }
            case "JMSTimestamp": {
                final Object timestamp = headers.parse(HeaderKeys.TIMESTAMP);
                return timestamp == null ? Long.valueOf(0L)
                        : JmsHeaderFields.expect(timestamp, Long.class, HeaderKeys.TIMESTAMP);
            }
            case "JMSMessageID":
                return optional(headers.parse(HeaderKeys.MESSAGE_ID), HeaderKeys.MESSAGE_ID);
            case "JMSType":
                return optional(headers.parse(HeaderKeys.TYPE), HeaderKeys.TYPE);
            case "JMSCorrelationID": {
                final Object id = headers.parse(HeaderKeys.CORRELATION_ID);
                return id instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                        : optional(id, HeaderKeys.CORRELATION_ID);
            }
            default:
                return propertyValue(recordKey, headers, identifier, PropertyNames.isPropertyName(identifier));
        }
    }

    /** A record's headers as the lookups need them: the parsed value of the first header with a key. */
    @FunctionalInterface
    private interface HeaderValues {
        /** @return the value, or null when no header has this key */
        Object parse(String key) throws MessageFormatException;
    }

    /**
     * What the broker must know of a stored record before it hands it to a consumer, read from its
     * headers: when it may be delivered, when it expires, and its priority.
     *
     * @param deliveryTime the JMSDeliveryTime, 0 when the record may be delivered at once
     * @param expiration   the JMSExpiration, 0 when it never expires
     * @param priority     the JMSPriority
     */
    public record DeliveryRules(long deliveryTime, long expiration, int priority) {
        /** The rules of a record that carries none of these headers. */
        public static final DeliveryRules NONE = new DeliveryRules(0, 0, Message.DEFAULT_PRIORITY);
    }

    /**
     * @param headers the record headers
     * @return the record's delivery time, expiration and priority, with a new message's values for
     *     headers it does not carry
     * @throws MessageFormatException if one of these headers is malformed
     */
    public static DeliveryRules deliveryRules(Iterable<? extends HeaderView> headers) throws MessageFormatException {
        long deliveryTime = 0;
        long expiration = 0;
        int priority = Message.DEFAULT_PRIORITY;
        for (HeaderView header : headers) {
            final String key = header.key();
            if (key.isEmpty() || key.charAt(0) != HeaderKeys.RESERVED_PREFIX) {
                continue;
            }
            switch (key) {
                case HeaderKeys.DELIVERY_TIME -> deliveryTime = JmsHeaderFields.expect(parseValue(header, key), Long.class, key);
                case HeaderKeys.EXPIRATION -> expiration = JmsHeaderFields.expect(parseValue(header, key), Long.class, key);
                case HeaderKeys.PRIORITY -> priority = JmsHeaderFields.expect(parseValue(header, key), Integer.class, key);
                default -> {
                }
            }
        }
        return rules(deliveryTime, expiration, priority);
    }

    /** {@link #deliveryRules(Iterable)} over headers read in place: the same rules and errors. */
    public static DeliveryRules deliveryRules(RecordHeaders headers) throws MessageFormatException {
        long deliveryTime = 0;
        long expiration = 0;
        int priority = Message.DEFAULT_PRIORITY;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.keyStartsWith(i, HeaderKeys.RESERVED_PREFIX)) {
                continue;
            }
            if (headers.keyEquals(i, HeaderKeys.DELIVERY_TIME)) {
                deliveryTime = JmsHeaderFields.expect(headers.parse(i, HeaderKeys.DELIVERY_TIME), Long.class,
                        HeaderKeys.DELIVERY_TIME);
            } else if (headers.keyEquals(i, HeaderKeys.EXPIRATION)) {
                expiration = JmsHeaderFields.expect(headers.parse(i, HeaderKeys.EXPIRATION), Long.class,
                        HeaderKeys.EXPIRATION);
            } else if (headers.keyEquals(i, HeaderKeys.PRIORITY)) {
                priority = JmsHeaderFields.expect(headers.parse(i, HeaderKeys.PRIORITY), Integer.class,
                        HeaderKeys.PRIORITY);
            }
        }
        return rules(deliveryTime, expiration, priority);
    }

    private static DeliveryRules rules(long deliveryTime, long expiration, int priority) {
        return deliveryTime == 0 && expiration == 0 && priority == Message.DEFAULT_PRIORITY ? DeliveryRules.NONE
                : new DeliveryRules(deliveryTime, expiration, priority);
    }

    /**
     * Whether a record with these headers and key needs {@link #deliveryRules} or a message-group
     * check before delivery; a producer marks such batches so the broker can hand out the others
     * without reading their records. A delivery time no later than the record's own timestamp (a send
     * without delay, with JMSTimestamp disabled) needs nothing.
     *
     * @param recordTimestampMs the record's timestamp: the send time
     */
    public static boolean hasDeliveryRules(byte[] key, List<Map.Entry<String, byte[]>> headers,
                                           long recordTimestampMs) {
        if (key != null) {
            return true;
        }
        for (Map.Entry<String, byte[]> header : headers) {
            switch (header.getKey()) {
                case HeaderKeys.EXPIRATION, HeaderKeys.PRIORITY -> {
                    return true;
                }
                case HeaderKeys.DELIVERY_TIME -> {
                    if (delaysBeyond(header.getValue(), recordTimestampMs)) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    private static boolean delaysBeyond(byte[] deliveryTime, long recordTimestampMs) {
        try {
            return !(TypedValues.parseHeaderValue(ByteBuffer.wrap(deliveryTime), HeaderKeys.DELIVERY_TIME)
                    instanceof Long time) || time > recordTimestampMs;
        } catch (MessageFormatException e) {
            return true; // let the broker look, and the consumer name the bad header
        }
    }

    private static Object parseValue(HeaderView header, String key) throws MessageFormatException {
        final ByteBuffer value = header.value();
        if (value == null) {
            throw new MessageFormatException("header " + key + " has no value");
        }
        return TypedValues.parseHeaderValue(value, key);
    }

    private static Object propertyValue(ByteBuffer recordKey, HeaderValues headers, String name, boolean propertyName)
            throws MessageFormatException {
        if (recordKey != null && PropertyNames.JMSX_GROUP_ID.equals(name)) {
            return TypedValues.utf8(recordKey.duplicate(), recordKey.remaining(), "record key (JMSXGroupID)");
        }
        if (!propertyName) {
            return null; // a header that selectors cannot name, or not an identifier at all
        }
        final Object value = headers.parse(name);
        if (!MessageProperties.isPropertyValue(value)) {
            throw new MessageFormatException("header " + name + " holds a " + value.getClass().getSimpleName()
                    + ", which is not a property type");
        }
        return value;
    }

    private static Object optional(Object value, String key) throws MessageFormatException {
        return value == null ? null : JmsHeaderFields.expect(value, String.class, key);
    }

    /** @return the parsed value of the first header with this key, or null if there is none */
    private static Object parse(RecordHeaders headers, String key) throws MessageFormatException {
        final int index = headers.indexOf(key);
        return index < 0 ? null : headers.parse(index, key);
    }

    /** @return the parsed value of the first header with this key, or null if there is none */
    private static Object parse(Iterable<? extends HeaderView> headers, String key) throws MessageFormatException {
        for (HeaderView header : headers) {
            if (key.equals(header.key())) {
                final ByteBuffer value = header.value();
                if (value == null) {
                    throw new MessageFormatException("header " + key + " has no value");
                }
                return TypedValues.parseHeaderValue(value, key);
            }
        }
        return null;
    }
}
