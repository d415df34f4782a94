package io.strand.jms.message;

import static io.strand.jms.message.MessageComparison.assertSameMessage;
import static io.strand.jms.message.MessageComparison.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTemporaryQueue;
import io.strand.jms.StrandTemporaryTopic;
import io.strand.jms.StrandTopic;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Round trips of random messages through the codec, and fuzzing of what the codec is asked to decode. */
class MessageCodecPropertyTest {
    private final MessageCodec codec = new MessageCodec();

    /** The JMS header fields of a random message. */
    record Headers(String id, long timestamp, Object correlationId, Destination replyTo, Destination destination,
                   int deliveryMode, String type, long expiration, long deliveryTime, int priority) {
    }

    /** A random message, kept as plain values so that jqwik can show and shrink it. */
    record Spec(MessageKind kind, Headers headers, Map<String, Object> properties, String groupId, Object body) {
    }

    @Property
    void everyMessageRoundTrips(@ForAll("specs") Spec spec) throws JMSException {
        final StrandMessage message = build(spec);
        final EncodedMessage encoded = codec.encode(message);

        assertSameMessage(codec.decode(encoded.keyBuffer(), encoded.value(), encoded.headerViews()), message);
    }

    @Property
    void reEncodingADecodedMessageGivesTheSameRecord(@ForAll("specs") Spec spec) throws JMSException {
        final EncodedMessage first = codec.encode(build(spec));
        final EncodedMessage second = codec.encode(codec.decode(first.keyBuffer(), first.value(), first.headerViews()));

        assertThat(second.key()).isEqualTo(first.key());
        assertThat(bytes(second.value())).isEqualTo(bytes(first.value()));
        assertThat(second.headers()).hasSameSizeAs(first.headers());
        for (int i = 0; i < first.headers().size(); i++) {
            assertThat(second.headers().get(i).getKey()).isEqualTo(first.headers().get(i).getKey());
            assertThat(second.headers().get(i).getValue()).isEqualTo(first.headers().get(i).getValue());
        }
    }

    @Property
    void garbageDecodesOrFailsWithMessageFormatExceptionOnly(@ForAll("garbageHeaders") List<HeaderView> headers,
                                                              @ForAll("maybeBytes") byte[] key,
                                                              @ForAll("maybeBytes") byte[] value) {
        decodeExpectingSuccessOrMessageFormatException(key, value, headers);
    }

    @Property
    void corruptedRecordsDecodeOrFailWithMessageFormatExceptionOnly(@ForAll("specs") Spec spec, @ForAll Random random)
            throws JMSException {
        final EncodedMessage encoded = codec.encode(build(spec));
        final List<byte[]> parts = new ArrayList<>();
        encoded.headers().forEach(h -> parts.add(h.getValue().clone()));
        final byte[] value = bytes(encoded.value());
        if (value != null) {
            parts.add(value);
        }
        final int target = random.nextInt(parts.size());
        final byte[] corrupted = corrupt(parts.get(target), random);
        parts.set(target, corrupted);

        final List<HeaderView> headers = new ArrayList<>();
        for (int i = 0; i < encoded.headers().size(); i++) {
            headers.add(HeaderView.of(encoded.headers().get(i).getKey(), parts.get(i)));
        }
        decodeExpectingSuccessOrMessageFormatException(encoded.key(), value == null ? null : parts.get(parts.size() - 1),
                headers);
    }

    /** Collects the outcome so that the report shows the fuzzing reaches both decoded and rejected records. */
    private void decodeExpectingSuccessOrMessageFormatException(byte[] key, byte[] value, List<HeaderView> headers) {
        try {
            codec.decode(key == null ? null : ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value), headers);
            Statistics.collect("decoded");
        } catch (MessageFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            Statistics.collect("rejected");
        }
    }

    /** Truncates, flips a byte, or appends a byte. */
    private static byte[] corrupt(byte[] bytes, Random random) {
        final int choice = random.nextInt(3);
        if (choice == 0 && bytes.length > 0) {
            return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        if (choice == 1 && bytes.length > 0) {
            final byte[] flipped = bytes.clone();
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
            return flipped;
        }
        final byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        longer[bytes.length] = (byte) random.nextInt(256);
        return longer;
    }

    // ---- building messages from specs ------------------------------------------------------------

    static StrandMessage build(Spec spec) throws JMSException {
        final StrandMessage message = spec.kind().newMessage();
        final Headers h = spec.headers();
        message.setJMSMessageID(h.id());
        message.setJMSTimestamp(h.timestamp());
        if (h.correlationId() instanceof byte[] bytes) {
            message.setJMSCorrelationIDAsBytes(bytes);
        } else {
            message.setJMSCorrelationID((String) h.correlationId());
        }
        message.setJMSReplyTo(h.replyTo());
        message.setJMSDestination(h.destination());
        message.setJMSDeliveryMode(h.deliveryMode());
        message.setJMSType(h.type());
        message.setJMSExpiration(h.expiration());
        message.setJMSDeliveryTime(h.deliveryTime());
        message.setJMSPriority(h.priority());
        for (Map.Entry<String, Object> property : spec.properties().entrySet()) {
            message.setObjectProperty(property.getKey(), property.getValue());
        }
        if (spec.groupId() != null) {
            message.setStringProperty("JMSXGroupID", spec.groupId());
        }
        fillBody(message, spec.body());
        return message;
    }

    @SuppressWarnings("unchecked")
    private static void fillBody(StrandMessage message, Object body) throws JMSException {
        switch (message.kind()) {
            case MESSAGE -> { }
            case TEXT -> ((StrandTextMessage) message).setText((String) body);
            case BYTES -> ((StrandBytesMessage) message).writeBytes((byte[]) body);
            case OBJECT -> ((StrandObjectMessage) message).setObject((Serializable) body);
            case MAP -> {
                for (Map.Entry<String, Object> item : ((Map<String, Object>) body).entrySet()) {
                    ((StrandMapMessage) message).setObject(item.getKey(), item.getValue());
                }
            }
            case STREAM -> {
                for (Object field : (List<Object>) body) {
                    ((StrandStreamMessage) message).writeObject(field);
                }
            }
        }
    }

    // ---- arbitraries -----------------------------------------------------------------------------

    @Provide
    Arbitrary<Spec> specs() {
        return Arbitraries.of(MessageKind.class).flatMap(kind -> Combinators.combine(headers(),
                        Arbitraries.maps(propertyNames(), propertyValues()).ofMaxSize(6), text().injectNull(0.7),
                        body(kind))
                .as((headers, properties, group, body) -> new Spec(kind, headers, properties, group, body)));
    }

    private Arbitrary<Headers> headers() {
        final Arbitrary<Object> correlation = Arbitraries.<Object>oneOf(text(), byteArrays()).injectNull(0.3);
        final Arbitrary<Object[]> first = Combinators.combine(text().injectNull(0.2), Arbitraries.longs(), correlation,
                destinations().injectNull(0.3), destinations().injectNull(0.2))
                .as((id, ts, corr, replyTo, dest) -> new Object[] {id, ts, corr, replyTo, dest});
        final Arbitrary<Object[]> second = Combinators.combine(Arbitraries.integers(), text().injectNull(0.5),
                        Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().between(-1, 10))
                .as((mode, type, exp, dt, prio) -> new Object[] {mode, type, exp, dt, prio});
        return Combinators.combine(first, second).as((a, b) -> new Headers((String) a[0], (Long) a[1], a[2],
                (Destination) a[3], (Destination) a[4], (Integer) b[0], (String) b[1], (Long) b[2], (Long) b[3],
                (Integer) b[4]));
    }

    private Arbitrary<?> body(MessageKind kind) {
        return switch (kind) {
            case MESSAGE -> Arbitraries.just(null);
            case TEXT -> text().injectNull(0.2);
            case BYTES -> byteArrays();
            case OBJECT -> text().list().ofMaxSize(4).map(list -> (Object) new ArrayList<>(list)).injectNull(0.2);
            case MAP -> Arbitraries.maps(text().filter(s -> !s.isEmpty()), bodyValues()).ofMaxSize(8);
            case STREAM -> bodyValues().list().ofMaxSize(10);
        };
    }

    private Arbitrary<String> propertyNames() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars("_$éλ中0123456789")
                .ofMinLength(1).ofMaxLength(10)
                .filter(PropertyNames::isPropertyName).filter(name -> !name.startsWith("JMS"));
    }

    private Arbitrary<Object> propertyValues() {
        return Arbitraries.oneOf(Arbitraries.of(true, false), Arbitraries.bytes(), Arbitraries.shorts(),
                Arbitraries.integers(), Arbitraries.longs(), Arbitraries.floats().withStandardSpecialValues(),
                Arbitraries.doubles().withStandardSpecialValues(), text(), Arbitraries.just(null));
    }

    private Arbitrary<Object> bodyValues() {
        return Arbitraries.oneOf(propertyValues(), Arbitraries.chars(), byteArrays());
    }

    /** Strings without unpaired surrogates (the one thing UTF-8 cannot carry), sometimes with a supplementary character. */
    private static Arbitrary<String> text() {
        final Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF').ofMaxLength(20);
        return Arbitraries.oneOf(bmp, bmp.map(s -> s + "\uD83D\uDE00"));
    }

    private static Arbitrary<byte[]> byteArrays() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    }

    private static Arbitrary<Destination> destinations() {
        final Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withChars("0123456789._-").ofMinLength(1).ofMaxLength(200);
        return Combinators.combine(Arbitraries.integers().between(0, 3), names).as(MessageCodecPropertyTest::destination);
    }

    private static Destination destination(int kind, String name) {
        try {
            return switch (kind) {
                case 0 -> new StrandQueue(name);
                case 1 -> new StrandTopic(name);
                case 2 -> new StrandTemporaryQueue(name);
                default -> new StrandTemporaryTopic(name);
            };
        } catch (InvalidDestinationException e) {
            throw new IllegalStateException("the generator makes valid names only", e);
        }
    }

    @Provide
    Arbitrary<byte[]> maybeBytes() {
        return taggedBytes().injectNull(0.3);
    }

    /** Byte strings that start with a plausible tag more often than chance would. */
    private static Arbitrary<byte[]> taggedBytes() {
        return Combinators.combine(Arbitraries.bytes().between((byte) -1, (byte) 15), byteArrays())
                .as((tag, rest) -> {
                    final byte[] bytes = new byte[rest.length + 1];
                    bytes[0] = tag;
                    System.arraycopy(rest, 0, bytes, 1, rest.length);
                    return bytes;
                });
    }

    @Provide
    Arbitrary<List<HeaderView>> garbageHeaders() {
        final Arbitrary<String> keys = Arbitraries.of("#t", "#id", "#ts", "#cid", "#rt", "#dst", "#dm", "#typ", "#exp",
                "#dt", "#pri", "#zz", "color", "JMSXGroupID", "JMSXGroupSeq", "JMSXBogus", "bad key", "");
        final Arbitrary<byte[]> kindValues = Arbitraries.bytes().between((byte) -1, (byte) 7)
                .map(code -> new byte[] {TypedValues.BYTE, code});
        final Arbitrary<byte[]> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, kindValues), net.jqwik.api.Tuple.of(4, taggedBytes()));
        final Arbitrary<List<HeaderView>> rest = Combinators.combine(keys, values.injectNull(0.05)).as(HeaderView::of)
                .list().ofMaxSize(6);
        // Most records start with a valid kind, so that decoding gets past the first check.
        final Arbitrary<HeaderView> validKind = Arbitraries.of(MessageKind.class)
                .map(kind -> HeaderView.of(HeaderKeys.KIND, new byte[] {TypedValues.BYTE, kind.code()}));
        return Combinators.combine(validKind.injectNull(0.2), rest).as((first, others) -> {
            final List<HeaderView> headers = new ArrayList<>();
            if (first != null) {
                headers.add(first);
            }
            headers.addAll(others);
            return headers;
        });
    }
}
