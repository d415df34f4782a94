package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Message.getBody and isBodyAssignableTo for every message type, with and without a body. */
class GetBodyTest {

    private static final List<Class<?>> UNRELATED = List.of(Integer.class, List.class, byte[].class, String.class,
            Map.class);

    @Test
    void shouldReturnNullForAPlainMessageWhateverTheType() throws JMSException {
        final StrandMessage message = new StrandMessage();

        for (Class<?> type : UNRELATED) {
            assertThat(message.getBody(type)).isNull();
            assertThat(message.isBodyAssignableTo(type)).isTrue();
        }
    }

    @Test
    void shouldReturnTextAsStringOrASupertype() throws JMSException {
        final StrandTextMessage message = new StrandTextMessage("hi");

        assertThat(message.getBody(String.class)).isEqualTo("hi");
        assertThat(message.getBody(CharSequence.class)).isEqualTo("hi");
        assertThat(message.getBody(Object.class)).isEqualTo("hi");
        assertThat(message.isBodyAssignableTo(Comparable.class)).isTrue();
        assertThat(message.isBodyAssignableTo(Integer.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(Integer.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void shouldReturnTheBytesBodyAsACopyAndLeaveTheMessageReset() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeInt(7);

        final byte[] body = message.getBody(byte[].class);
        assertThat(body).containsExactly(0, 0, 0, 7);
        body[3] = 1;
        // The javadoc asks getBody to reset the message before and after: it is now readable from the start.
        assertThat(message.readInt()).isEqualTo(7);
        assertThat(message.getBody(Object.class)).isEqualTo(new byte[] {0, 0, 0, 7});
        assertThat(message.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(String.class)).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
    }

    @Test
    void shouldReturnTheMapBodyAsAMapCopy() throws JMSException {
        final StrandMapMessage message = new StrandMapMessage();
        message.setInt("a", 1);
        message.setBytes("b", new byte[] {2});

        @SuppressWarnings("unchecked")
        final Map<String, Object> body = message.getBody(Map.class);
        assertThat(body).containsEntry("a", 1).containsKey("b");
        ((byte[]) body.get("b"))[0] = 9;
        body.put("c", 3);
        assertThat(message.getBytes("b")).containsExactly(2);
        assertThat(message.itemExists("c")).isFalse();
        assertThat(message.isBodyAssignableTo(Object.class)).isTrue();
        assertThat(message.isBodyAssignableTo(java.util.HashMap.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(List.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReturnTheObjectBodyAsAFreshCopyOfItsClassOrASupertype() throws JMSException {
        final StrandObjectMessage message = new StrandObjectMessage();
        final ArrayList<String> list = new ArrayList<>(List.of("a"));
        message.setObject(list);
        list.add("changed after setObject");

        final List<Object> body = message.getBody(List.class);
        assertThat(body).containsExactly("a");
        assertThat(message.getBody(Serializable.class)).isNotSameAs(body).isEqualTo(body);
        assertThat(message.isBodyAssignableTo(ArrayList.class)).isTrue();
        assertThat(message.isBodyAssignableTo(Map.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(Map.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void shouldReturnNullForEveryTypeWhenThereIsNoBody() throws JMSException {
        final List<StrandMessage> empty = List.of(new StrandTextMessage(), new StrandBytesMessage(),
                new StrandMapMessage(), new StrandObjectMessage());

        for (StrandMessage message : empty) {
            for (Class<?> type : UNRELATED) {
                assertThat(message.getBody(type)).as(message.kind() + " as " + type).isNull();
                assertThat(message.isBodyAssignableTo(type)).isTrue();
            }
        }
    }

    @Test
    void shouldNeverGiveTheBodyOfAStreamMessage() throws JMSException {
        final StrandStreamMessage empty = new StrandStreamMessage();
        final StrandStreamMessage full = new StrandStreamMessage();
        full.writeInt(1);

        for (StrandStreamMessage message : List.of(empty, full)) {
            assertThatThrownBy(() -> message.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
            assertThat(message.isBodyAssignableTo(Object.class)).isFalse();
        }
    }

    @Test
    void shouldTurnDeserializationFailureIntoMessageFormatException() throws JMSException {
        final StrandObjectMessage message = new StrandObjectMessage();
        message.setObject(new RefusesDeserialization());

        assertThatThrownBy(message::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("cannot be deserialized");
        assertThatThrownBy(() -> message.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
        assertThat(message.isBodyAssignableTo(Object.class)).isFalse();
    }

    @Test
    void shouldTurnSerializationFailureIntoMessageFormatException() {
        final StrandObjectMessage message = new StrandObjectMessage();

        assertThatThrownBy(() -> message.setObject(new HoldsSomethingUnserializable()))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("cannot serialize");
    }

    @Test
    void shouldClearAnObjectBodyAndAllowNull() throws JMSException {
        final StrandObjectMessage message = new StrandObjectMessage();
        message.setObject("x");
        message.makeReadOnly();
        assertThatThrownBy(() -> message.setObject("y")).isInstanceOf(MessageNotWriteableException.class);
        message.clearBody();
        assertThat(message.getObject()).isNull();
        message.setObject(null);
        assertThat(message.getObject()).isNull();
    }

    static final class RefusesDeserialization implements Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(ObjectInputStream in) throws IOException {
            throw new InvalidObjectException("refused on purpose");
        }
    }

    static final class HoldsSomethingUnserializable implements Serializable {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("unused")
        private final Object notSerializable = new Object();
    }
}
