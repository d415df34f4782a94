package io.strand.jms.message;

import static io.strand.jms.message.MessageComparison.assertSameMessage;
import static io.strand.jms.message.MessageComparison.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTemporaryQueue;
import io.strand.jms.StrandTemporaryTopic;
import io.strand.jms.StrandTopic;
import io.strand.jms.client.NoLocal;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The codec's record layout, byte for byte, and round trips of every kind, header and property type. */
class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();

    private StrandMessage roundTrip(StrandMessage message) throws JMSException {
        final EncodedMessage encoded = codec.encode(message);
        return codec.decode(encoded.keyBuffer(), encoded.value(), encoded.headerViews());
    }

    private static Map<String, byte[]> headerMap(EncodedMessage encoded) {
        final Map<String, byte[]> map = new java.util.LinkedHashMap<>();
        encoded.headers().forEach(h -> map.put(h.getKey(), h.getValue()));
        return map;
    }

    @Test
    void shouldEncodeANewPlainMessageAsItsKindAlone() throws JMSException {
        final EncodedMessage encoded = codec.encode(new StrandMessage());

        assertThat(encoded.key()).isNull();
        assertThat(encoded.value()).isNull();
        assertThat(headerMap(encoded)).containsOnlyKeys("#t");
        assertThat(headerMap(encoded).get("#t")).containsExactly(TypedValues.BYTE, 0);
    }

    @Test
    void shouldEncodeEachHeaderUnderItsDocumentedKeyAndTag() throws JMSException {
        final StrandMessage message = new StrandTextMessage();
        message.setJMSMessageID("ID:1");
        message.setJMSTimestamp(0x0102030405060708L);
        message.setJMSCorrelationID("c");
        message.setJMSReplyTo(new StrandTemporaryQueue("r"));
        message.setJMSDestination(new StrandTopic("d"));
        message.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        message.setJMSType("t");
        message.setJMSExpiration(2L);
        message.setJMSDeliveryTime(3L);
        message.setJMSPriority(9);
        message.setJMSRedelivered(true);

        final Map<String, byte[]> headers = headerMap(codec.encode(message));

        assertThat(headers).containsOnlyKeys("#t", "#id", "#ts", "#cid", "#rt", "#dst", "#dm", "#typ", "#exp", "#dt", "#pri");
        assertThat(headers.get("#t")).containsExactly(2, 1);
        assertThat(headers.get("#id")).containsExactly(9, 'I', 'D', ':', '1');
        assertThat(headers.get("#ts")).containsExactly(6, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(headers.get("#cid")).containsExactly(9, 'c');
        assertThat(headers.get("#rt")).containsExactly(13, 'r');
        assertThat(headers.get("#dst")).containsExactly(12, 'd');
        assertThat(headers.get("#dm")).containsExactly(5, 0, 0, 0, 1);
        assertThat(headers.get("#typ")).containsExactly(9, 't');
        assertThat(headers.get("#exp")).containsExactly(6, 0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(headers.get("#dt")).containsExactly(6, 0, 0, 0, 0, 0, 0, 0, 3);
        assertThat(headers.get("#pri")).containsExactly(5, 0, 0, 0, 9);
    }

    @Test
    void shouldStorePropertiesUnderTheirOwnNamesWithATypeTag() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setBooleanProperty("z", true);
        message.setByteProperty("b", (byte) -1);
        message.setShortProperty("s", (short) 258);
        message.setIntProperty("i", 1);
        message.setLongProperty("l", 1L);
        message.setFloatProperty("f", 1.0f);
        message.setDoubleProperty("d", 1.0);
        message.setStringProperty("t", "é");
        message.setStringProperty("n", null);

        final Map<String, byte[]> headers = headerMap(codec.encode(message));

        assertThat(headers.keySet()).containsExactly("#t", "z", "b", "s", "i", "l", "f", "d", "t", "n");
        assertThat(headers.get("z")).containsExactly(1, 1);
        assertThat(headers.get("b")).containsExactly(2, 0xFF);
        assertThat(headers.get("s")).containsExactly(3, 1, 2);
        assertThat(headers.get("i")).containsExactly(5, 0, 0, 0, 1);
        assertThat(headers.get("l")).containsExactly(6, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(headers.get("f")).containsExactly(7, 0x3F, 0x80, 0, 0);
        assertThat(headers.get("d")).containsExactly(8, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0);
        assertThat(headers.get("t")).containsExactly(9, 0xC3, 0xA9);
        assertThat(headers.get("n")).containsExactly(0);
    }

    @Test
    void shouldCarryTheGroupIdAsTheRecordKeyOnly() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setStringProperty("JMSXGroupID", "grüppe");
        message.setIntProperty("JMSXGroupSeq", 2);

        final EncodedMessage encoded = codec.encode(message);

        assertThat(encoded.key()).isEqualTo("grüppe".getBytes(StandardCharsets.UTF_8));
        assertThat(headerMap(encoded)).containsOnlyKeys("#t", "JMSXGroupSeq");
        final StrandMessage decoded = roundTrip(message);
        assertThat(decoded.getStringProperty("JMSXGroupID")).isEqualTo("grüppe");
        assertThat(decoded.getIntProperty("JMSXGroupSeq")).isEqualTo(2);
    }

    @Test
    void shouldLeaveOutWhatBelongsToADeliveryRatherThanToTheMessage() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setDeliveryCount(4);
        message.setProviderProperty("JMSXRcvTimestamp", 5L);
        message.setProviderProperty("JMSXConsumerTXID", "tx");
        message.setProviderProperty("JMSXUserID", "alice");

        final StrandMessage decoded = roundTrip(message);

        assertThat(headerMap(codec.encode(message))).containsOnlyKeys("#t", "JMSXUserID");
        assertThat(decoded.getJMSRedelivered()).isFalse();
        assertThat(decoded.propertyExists("JMSXDeliveryCount")).isFalse();
        assertThat(decoded.getStringProperty("JMSXUserID")).isEqualTo("alice");
    }

    @Test
    void shouldRoundTripEveryKindWithEveryHeaderAndPropertyType() throws JMSException {
        for (MessageKind kind : MessageKind.values()) {
            final StrandMessage message = fullMessage(kind);
            assertSameMessage(roundTrip(message), message);
        }
    }

    @Test
    void shouldRoundTripTheByteFormOfTheCorrelationId() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setJMSCorrelationIDAsBytes(new byte[] {(byte) 0xFF, 0});

        assertThat(headerMap(codec.encode(message)).get("#cid")).containsExactly(10, 0xFF, 0);
        assertThat(roundTrip(message).getJMSCorrelationIDAsBytes()).containsExactly(0xFF, 0);
    }

    @Test
    void shouldCountTheEncodedSizeInBytes() throws JMSException {
        final StrandTextMessage message = new StrandTextMessage("abc");
        message.setIntProperty("é", 1);
        message.setStringProperty("JMSXGroupID", "g");

        // key 1 + value 3 + "#t" 2+2 + "é" 2+5
        assertThat(codec.encode(message).sizeInBytes()).isEqualTo(15);
    }

    @Test
    void shouldKeepNullAndEmptyTextApart() throws JMSException {
        assertThat(codec.encode(new StrandTextMessage(null)).value()).isNull();
        assertThat(codec.encode(new StrandTextMessage("")).value().remaining()).isZero();
        assertThat(((StrandTextMessage) roundTrip(new StrandTextMessage(null))).getText()).isNull();
        assertThat(((StrandTextMessage) roundTrip(new StrandTextMessage(""))).getText()).isEmpty();
    }

    @Test
    void shouldWriteBodiesInTheDocumentedEncodings() throws JMSException {
        final StrandTextMessage text = new StrandTextMessage("hé");
        final StrandMapMessage map = new StrandMapMessage();
        map.setInt("a", 1);
        map.setString("bc", "x");
        final StrandStreamMessage stream = new StrandStreamMessage();
        stream.writeString("hi");
        stream.writeBoolean(true);
        stream.writeChar('A');
        stream.writeBytes(new byte[] {7});
        stream.writeObject(null);
        final StrandBytesMessage bytesMessage = new StrandBytesMessage();
        bytesMessage.writeShort((short) 1);

        assertThat(bytes(codec.encode(text).value())).containsExactly('h', 0xC3, 0xA9);
        assertThat(bytes(codec.encode(map).value())).containsExactly(1, 'a', 5, 0, 0, 0, 1, 2, 'b', 'c', 9, 1, 'x');
        assertThat(bytes(codec.encode(stream).value())).containsExactly(9, 2, 'h', 'i', 1, 1, 4, 0, 'A', 10, 1, 7, 0);
        assertThat(bytes(codec.encode(bytesMessage).value())).containsExactly(0, 1);
        assertThat(bytes(codec.encode(new StrandMapMessage()).value())).isEmpty();
        assertThat(bytes(codec.encode(new StrandStreamMessage()).value())).isEmpty();
    }

    @Test
    void shouldKeepAnEncodedBytesBodyUnchangedWhateverTheMessageDoesNext() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeInt(1);
        final EncodedMessage encoded = codec.encode(message);

        message.writeInt(2);
        message.clearBody();
        message.writeInt(3);

        assertThat(bytes(encoded.value())).containsExactly(0, 0, 0, 1);
        assertThat(encoded.value().isReadOnly()).isTrue();
    }

    @Test
    void shouldNotSerializeAnObjectBodyASecondTime() throws JMSException {
        final StrandObjectMessage message = new StrandObjectMessage();
        message.setObject(new CountsSerializations());
        final int afterSetObject = CountsSerializations.COUNT.get();

        final EncodedMessage encoded = codec.encode(message);

        assertThat(CountsSerializations.COUNT.get()).isEqualTo(afterSetObject);
        assertThat(bytes(encoded.value())).isEqualTo(message.serializedBody());
    }

    @Test
    void shouldDecodeIntoTheStateAConsumerReceivesAMessageIn() throws JMSException {
        final StrandBytesMessage bytesMessage = new StrandBytesMessage();
        bytesMessage.writeInt(5);
        bytesMessage.setIntProperty("p", 1);
        final StrandBytesMessage decoded = (StrandBytesMessage) roundTrip(bytesMessage);

        assertThat(decoded.readInt()).isEqualTo(5);
        assertThat(decoded.getBodyLength()).isEqualTo(4);
        assertThatThrownBy(() -> decoded.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> decoded.setIntProperty("q", 1)).isInstanceOf(MessageNotWriteableException.class);
        final StrandStreamMessage stream = new StrandStreamMessage();
        stream.writeLong(6L);
        assertThat(((StrandStreamMessage) roundTrip(stream)).readLong()).isEqualTo(6L);
    }

    @Test
    void shouldLetAReceivedMessageBeSentAgainWithTheNewSendersStamp() throws JMSException {
        final StrandTextMessage original = new StrandTextMessage("forward me");
        original.setStringProperty("p", "v");
        final EncodedMessage first = NoLocal.stamp(codec.encode(original), "first-connection");
        final StrandMessage received = codec.decode(first.keyBuffer(), first.value(), first.headerViews());
        assertThat(received.getStringProperty(PropertyNames.STRAND_CONNECTION_ID)).isEqualTo("first-connection");

        final EncodedMessage again = NoLocal.stamp(codec.encode(received), "second-connection");
        final StrandMessage forwarded = codec.decode(again.keyBuffer(), again.value(), again.headerViews());

        assertThat(again.headers()).filteredOn(h -> h.getKey().equals(PropertyNames.STRAND_CONNECTION_ID)).hasSize(1);
        assertThat(NoLocal.sentBy(forwarded, "second-connection")).isTrue();
        assertThat(((StrandTextMessage) forwarded).getText()).isEqualTo("forward me");
        assertThat(forwarded.getStringProperty("p")).isEqualTo("v");
        assertThat(PropertyNames.STRAND_CONNECTION_ID).isEqualTo(NoLocal.CONNECTION_ID_PROPERTY);
    }

    @Test
    void shouldNotForwardTheMarksOfARedriveToOneSharedSubscription() throws JMSException {
        final EncodedMessage encoded = codec.encode(new StrandTextMessage("redriven"));
        final List<Map.Entry<String, byte[]>> headers = new ArrayList<>(encoded.headers());
        headers.add(MessageCodec.providerPropertyHeader(PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION, "settle"));
        headers.add(MessageCodec.providerPropertyHeader(PropertyNames.STRAND_REDRIVEN_TO_CLIENT_ID, "backoffice"));
        final EncodedMessage marked = new EncodedMessage(encoded.key(), encoded.value(), headers);
        final StrandMessage received = codec.decode(marked.keyBuffer(), marked.value(), marked.headerViews());
        assertThat(received.getStringProperty(PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION)).isEqualTo("settle");

        // Sent on to another topic, the message must reach that topic's subscribers, not just one subscription.
        assertThat(codec.encode(received).headers()).extracting(Map.Entry::getKey)
                .doesNotContain(PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION, PropertyNames.STRAND_REDRIVEN_TO_CLIENT_ID);
    }

    @Test
    void shouldAcceptForeignDestinationsThatStrandCanName() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setJMSReplyTo((Queue) () -> "their.queue");
        message.setJMSDestination((Topic) () -> "their.topic");

        final StrandMessage decoded = roundTrip(message);

        assertThat(decoded.getJMSReplyTo()).isEqualTo(new StrandQueue("their.queue"));
        assertThat(decoded.getJMSDestination()).isEqualTo(new StrandTopic("their.topic"));
        message.setJMSReplyTo((Queue) () -> "bad/name");
        assertThatThrownBy(() -> codec.encode(message)).isInstanceOf(InvalidDestinationException.class);
        message.setJMSReplyTo(new jakarta.jms.Destination() { });
        assertThatThrownBy(() -> codec.encode(message)).isInstanceOf(InvalidDestinationException.class);
    }

    @Test
    void shouldNotMoveThePositionsOfTheBuffersItDecodes() throws JMSException {
        final StrandTextMessage message = new StrandTextMessage("abc");
        message.setStringProperty("JMSXGroupID", "g");
        final EncodedMessage encoded = codec.encode(message);
        final var key = encoded.keyBuffer();
        final var value = encoded.value();

        codec.decode(key, value, encoded.headerViews());

        assertThat(key.position()).isZero();
        assertThat(value.remaining()).isEqualTo(3);
    }

    static StrandMessage fullMessage(MessageKind kind) throws JMSException {
        final StrandMessage message = kind.newMessage();
        message.setJMSMessageID("ID:strand-1");
        message.setJMSTimestamp(1_700_000_000_000L);
        message.setJMSCorrelationID("corr-1");
        message.setJMSReplyTo(new StrandTemporaryTopic("tmp.1"));
        message.setJMSDestination(new StrandQueue("orders"));
        message.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        message.setJMSType("order");
        message.setJMSExpiration(Long.MAX_VALUE);
        message.setJMSDeliveryTime(-1L);
        message.setJMSPriority(0);
        message.setBooleanProperty("bo", false);
        message.setByteProperty("by", Byte.MIN_VALUE);
        message.setShortProperty("sh", Short.MAX_VALUE);
        message.setIntProperty("it", Integer.MIN_VALUE);
        message.setLongProperty("lo", Long.MIN_VALUE);
        message.setFloatProperty("fl", Float.NaN);
        message.setDoubleProperty("do", Double.NEGATIVE_INFINITY);
        message.setStringProperty("st", "𝄞 clef");
        message.setStringProperty("nu", null);
        message.setStringProperty("JMSXGroupID", "g1");
        message.setIntProperty("JMSXGroupSeq", 1);
        message.setProviderProperty("JMS_Strand_Test", "p");
        fillBody(message);
        return message;
    }

    private static void fillBody(StrandMessage message) throws JMSException {
        switch (message.kind()) {
            case MESSAGE -> { }
            case TEXT -> ((StrandTextMessage) message).setText("text ✓");
            case BYTES -> ((StrandBytesMessage) message).writeUTF("bytes");
            case OBJECT -> ((StrandObjectMessage) message).setObject(new java.util.ArrayList<>(List.of(1, "two")));
            case MAP -> {
                final StrandMapMessage map = (StrandMapMessage) message;
                for (ValueType type : ValueType.values()) {
                    MapMessageTest.set(map, type.name(), type, type.sample());
                }
                map.setObject("null", null);
            }
            case STREAM -> {
                final StrandStreamMessage stream = (StrandStreamMessage) message;
                for (ValueType type : ValueType.values()) {
                    StreamMessageTest.write(stream, type, type.sample());
                }
                stream.writeObject(null);
            }
        }
    }

    static final class CountsSerializations implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger COUNT = new AtomicInteger();

        private void writeObject(ObjectOutputStream out) throws IOException {
            COUNT.incrementAndGet();
            out.defaultWriteObject();
        }
    }
}
