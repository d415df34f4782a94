package io.strand.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a message to one log record (key, value, headers) and back, serializing each part exactly once.
 *
 * <p><b>Value</b>: the body, by kind.
 * <pre>
 * Message        null (no body)
 * TextMessage    the text in UTF-8; null for null text, so null and "" stay distinct
 * BytesMessage   the body bytes as written (DataOutputStream encodings); empty for an empty body
 * MapMessage     the typed map encoding of {@link TypedBodyFormat}; empty for an empty map
 * ObjectMessage  the Java serialization taken at setObject time; null for a null object
 * StreamMessage  the typed stream encoding of {@link TypedBodyFormat}; empty for no fields
 * </pre>
 *
 * <p><b>Key</b>: the UTF-8 bytes of {@code JMSXGroupID} when it is set to a string, else null. The group
 * id then travels only as the key (it is not repeated as a header), so records of one group share a key.
 *
 * <p><b>Headers</b>: first {@code #t}, the message kind; then the JMS header fields under the reserved
 * keys of {@link HeaderKeys}, each only when it differs from a new message's value; then every property
 * under its own name. Each header value is a type tag and the value (see {@link TypedValues}): big-endian
 * numbers, UTF-8 strings. Properties the provider stamps on receipt ({@code JMSXDeliveryCount},
 * {@code JMSXRcvTimestamp}, {@code JMSXConsumerTXID}) and {@code JMSRedelivered} are not encoded: they
 * belong to a delivery, not to the message; nor is the sending connection's id
 * ({@link PropertyNames#STRAND_CONNECTION_ID}), which each send stamps anew, nor the shared subscription a
 * redriven dead letter was sent back to ({@link PropertyNames#STRAND_REDRIVEN_TO_SUBSCRIPTION}), which would
 * otherwise keep a forwarded copy from the subscribers of its new topic.
 *
 * <p><b>Decoding</b> checks everything: a missing or repeated header, an unknown reserved key, a key that
 * is not a property name, a wrong type tag, a length that overruns, malformed UTF-8 or a body that does
 * not parse all raise {@link MessageFormatException} naming the header or body part, never a runtime
 * exception. The decoded message is in the state a consumer receives it in: properties and body
 * read-only, bytes and stream bodies positioned at their start. An ObjectMessage body is kept serialized
 * until the application asks for it. Selectors need no decoding at all: see {@link EncodedHeaderLookup}.
 *
 * <p>Immutable and thread-safe (it holds only the {@link TrustedPackages} that decoded ObjectMessage
 * bodies may be made of); the messages it is given are not, so a message must not be changed while
 * it is being encoded.
 */
public final class MessageCodec {
    /**
     * Set by the provider on receipt, or stamped on the record by each send: they belong to one delivery or
     * one send, never to the message. A received message sent again therefore carries the new sender's
     * stamp, not a second, stale one (which the decoder would reject as a repeated property).
     */
    private static final Set<String> DELIVERY_AND_SEND_PROPERTIES = Set.of(PropertyNames.JMSX_DELIVERY_COUNT,
            PropertyNames.JMSX_RCV_TIMESTAMP, PropertyNames.JMSX_CONSUMER_TXID, PropertyNames.STRAND_CONNECTION_ID,
            PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION, PropertyNames.STRAND_REDRIVEN_TO_CLIENT_ID);

    private final TrustedPackages trustedPackages;

    /** A codec whose decoded ObjectMessage bodies may be made of {@link TrustedPackages#DEFAULT} classes. */
    public MessageCodec() {
        this(TrustedPackages.DEFAULT);
    }

    /** @param trustedPackages the classes decoded ObjectMessage bodies may be made of */
    public MessageCodec(TrustedPackages trustedPackages) {
        this.trustedPackages = trustedPackages;
    }

    /**
     * @param message the message to send
     * @return its record form
     * @throws JMSException if a destination header names a destination Strand cannot name
     */
    public EncodedMessage encode(StrandMessage message) throws JMSException {
        final List<Map.Entry<String, byte[]>> headers = new ArrayList<>(4 + message.properties().size());
        headers.add(Map.entry(HeaderKeys.KIND, new byte[] {TypedValues.BYTE, message.kind().code()}));
        JmsHeaderFields.encode(message, headers);

        final byte[][] key = new byte[1][];
        message.properties().forEach((name, value) -> {
            if (DELIVERY_AND_SEND_PROPERTIES.contains(name)) {
                return;
            }
            if (PropertyNames.JMSX_GROUP_ID.equals(name) && value instanceof String group) {
                key[0] = group.getBytes(StandardCharsets.UTF_8);
                return;
            }
            headers.add(Map.entry(name, TypedValues.headerValue(value)));
        });
        return new EncodedMessage(key[0], encodeBody(message), headers);
    }

    /**
     * A record header carrying a provider property that travels with the record but is not set on the
     * message object, such as the sending connection's id for noLocal filtering.
     *
     * @param name  a property name the provider may set (for example one starting with {@code JMS_})
     * @param value a property value of a property type
     * @return the header, in the encoding {@link #decode} reads back as that property
     */
    public static Map.Entry<String, byte[]> providerPropertyHeader(String name, Object value) {
        PropertyNames.checkProviderName(name);
        if (!MessageProperties.isPropertyValue(value)) {
            throw new IllegalArgumentException("not a property value: " + value);
        }
        return Map.entry(name, TypedValues.headerValue(value));
    }

    private static ByteBuffer encodeBody(StrandMessage message) {
        return switch (message.kind()) {
            case MESSAGE -> null;
            case TEXT -> {
                final String text = ((StrandTextMessage) message).getText();
                yield text == null ? null : ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
            }
            case BYTES -> ((StrandBytesMessage) message).bodyView();
            case MAP -> TypedBodyFormat.encodeMap(((StrandMapMessage) message).items());
            case OBJECT -> {
                final byte[] serialized = ((StrandObjectMessage) message).serializedBody();
                yield serialized == null ? null : ByteBuffer.wrap(serialized).asReadOnlyBuffer();
            }
            case STREAM -> TypedBodyFormat.encodeStream(((StrandStreamMessage) message).fields());
        };
    }

    /**
     * @param key     the record key, or null; its position is not moved
     * @param value   the record value, or null; its position is not moved
     * @param headers the record headers, iterated twice
     * @return the message, read-only as a consumer receives it
     * @throws MessageFormatException naming the header or body part that is malformed
     */
    public StrandMessage decode(ByteBuffer key, ByteBuffer value, Iterable<? extends HeaderView> headers)
            throws MessageFormatException {
        final StrandMessage message = decodeKind(headers).newMessage();
        if (key != null) {
            final String group = TypedValues.utf8(key.duplicate(), key.remaining(), "record key (JMSXGroupID)");
            message.properties().put(PropertyNames.JMSX_GROUP_ID, group);
        }
        final JmsHeaderFields.Decoder fields = new JmsHeaderFields.Decoder(message);
        for (HeaderView header : headers) {
            final String name = header.key();
            if (!header.hasValue()) {
                throw new MessageFormatException("header " + name + " has no value");
            }
            if (HeaderKeys.isReserved(name)) {
                fields.apply(header);
            } else {
                decodeProperty(message, header);
            }
        }
        fields.finish();
        decodeBody(message, value);
        message.makeReadOnly();
        return message;
    }

    private static MessageKind decodeKind(Iterable<? extends HeaderView> headers) throws MessageFormatException {
        MessageKind kind = null;
        for (HeaderView header : headers) {
            if (header.key() == null) {
                throw new MessageFormatException("a header has a null key");
            }
            if (!HeaderKeys.KIND.equals(header.key())) {
                continue;
            }
            if (kind != null) {
                throw new MessageFormatException("header " + HeaderKeys.KIND + " appears twice");
            }
            final Object code = header.hasValue() ? header.parsedValue() : null;
            kind = code instanceof Byte b ? MessageKind.ofCode(b) : null;
            if (kind == null) {
                throw new MessageFormatException("header " + HeaderKeys.KIND + " must hold a known message kind code,"
                        + " found " + code);
            }
        }
        if (kind == null) {
            throw new MessageFormatException("header " + HeaderKeys.KIND + " (message kind) is missing");
        }
        return kind;
    }

    private static void decodeProperty(StrandMessage message, HeaderView header) throws MessageFormatException {
        final String name = header.key();
        if (!PropertyNames.isPropertyName(name)) {
            throw new MessageFormatException("header " + name + " is neither a reserved key nor a valid property name");
        }
        final Object value = header.parsedValue();
        if (!MessageProperties.isPropertyValue(value)) {
            throw new MessageFormatException("header " + name + " holds a " + value.getClass().getSimpleName()
                    + ", which is not a property type");
        }
        if (message.properties().exists(name)) {
            throw new MessageFormatException("property " + name + " appears twice (as a header, or also as the key)");
        }
        message.properties().putDecoded(name, value);
    }

    private void decodeBody(StrandMessage message, ByteBuffer value) throws MessageFormatException {
        final boolean present = value != null;
        switch (message.kind()) {
            case MESSAGE -> {
                if (present && value.hasRemaining()) {
                    throw new MessageFormatException("a plain Message has no body, but the record value holds "
                            + value.remaining() + " bytes");
                }
            }
            case TEXT -> ((StrandTextMessage) message).setDecodedText(
                    present ? TypedValues.utf8(value.duplicate(), value.remaining(), "TextMessage body") : null);
            case BYTES -> ((StrandBytesMessage) message).setDecodedBody(present ? copy(value) : new byte[0]);
            case MAP -> {
                if (present) {
                    ((StrandMapMessage) message).items().putAll(TypedBodyFormat.decodeMap(value));
                }
            }
            case OBJECT -> {
                if (present) {
                    ((StrandObjectMessage) message).setSerializedBody(checkedSerialization(copy(value)),
                            trustedPackages);
                }
            }
            case STREAM -> {
                if (present) {
                    ((StrandStreamMessage) message).fields().addAll(TypedBodyFormat.decodeStream(value));
                }
            }
        }
    }

    /** Checks the stream header now, so that garbage is reported at receipt rather than at getObject. */
    private static byte[] checkedSerialization(byte[] bytes) throws MessageFormatException {
        final int header = bytes.length < 4 ? 0
                : ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
        if (header != ObjectSerialization.STREAM_HEADER) {
            throw new MessageFormatException("ObjectMessage body is not a Java serialization stream ("
                    + bytes.length + " bytes, no 0xACED0005 header)");
        }
        return bytes;
    }

    /** Record buffers are reused by the fetch path, so a kept body gets its own array. */
    private static byte[] copy(ByteBuffer value) {
        final byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
    }
}
