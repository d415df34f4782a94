package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** StreamMessage: every cell of its conversion table, position rules, readBytes pieces, modes. */
class StreamMessageTest {

    static Stream<Arguments> everyCell() {
        final List<Arguments> cells = new ArrayList<>();
        for (ValueType writer : ValueType.values()) {
            for (ValueType reader : ValueType.values()) {
                cells.add(Arguments.of(writer, reader));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("everyCell")
    void shouldConvertExactlyAsTheTableSays(ValueType writer, ValueType reader) throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        write(message, writer, writer.valueToWriteFor(reader));
        message.writeInt(99);
        message.reset();

        if (writer.readableAs().contains(reader)) {
            assertThat(read(message, reader)).isEqualTo(writer.expectedWhenReadAs(reader));
        } else {
            assertThatThrownBy(() -> read(message, reader)).isInstanceOf(MessageFormatException.class)
                    .hasMessageContaining("stream field 0");
            // A failed read leaves the position alone: the field can be read again as its own type.
            assertThat(read(message, writer)).isEqualTo(writer.expectedWhenReadAs(writer));
        }
        assertThat(message.readInt()).isEqualTo(99);
    }

    @ParameterizedTest
    @EnumSource(ValueType.class)
    void shouldReadBackWithReadObjectWhatWasWritten(ValueType type) throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        write(message, type, type.sample());
        message.reset();

        assertThat(message.readObject()).isEqualTo(type.sample()).isExactlyInstanceOf(type.sample().getClass());
    }

    @Test
    void shouldReadANullFieldAsValueOfNullWithoutMovingOnFailure() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeObject(null);
        message.reset();

        assertThatThrownBy(message::readInt).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(message::readFloat).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(message::readChar).isInstanceOf(NullPointerException.class);
        assertThat(message.readBoolean()).isFalse();
        message.reset();
        assertThat(message.readString()).isNull();
        message.reset();
        assertThat(message.readBytes(new byte[4])).isEqualTo(-1);
        assertThatThrownBy(message::readObject).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void shouldWriteANullArrayAsANullField() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeBytes(null);
        message.writeInt(1);
        message.reset();

        assertThat(message.readObject()).isNull();
        message.reset();
        assertThat(message.readBytes(new byte[4])).isEqualTo(-1);
        assertThat(message.readInt()).isEqualTo(1);
    }

    @Test
    void shouldNotMoveWhenAStringDoesNotParse() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeString("nope");
        message.reset();

        assertThatThrownBy(message::readLong).isInstanceOf(NumberFormatException.class);
        assertThat(message.readString()).isEqualTo("nope");
    }

    @Test
    void shouldThrowEofAfterTheLastField() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeBoolean(true);
        message.reset();
        message.readBoolean();

        assertThatThrownBy(message::readBoolean).isInstanceOf(MessageEOFException.class);
        assertThatThrownBy(() -> message.readBytes(new byte[1])).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void shouldReadAByteArrayFieldInPieces() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeBytes(new byte[] {1, 2, 3, 4, 5});
        message.writeBytes(new byte[] {6, 7, 8, 9}, 1, 2);
        message.writeBytes(new byte[0]);
        message.writeInt(42);
        message.reset();
        final byte[] buffer = new byte[2];

        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(1, 2);
        assertThatThrownBy(message::readInt).isInstanceOf(MessageFormatException.class).hasMessageContaining("partly read");
        assertThatThrownBy(message::readObject).isInstanceOf(MessageFormatException.class);
        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(message.readBytes(buffer)).isEqualTo(1);
        assertThat(buffer[0]).isEqualTo((byte) 5);
        // A short read closed the first field; the next call reads the second, which fills the buffer exactly.
        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(7, 8);
        assertThat(message.readBytes(buffer)).isEqualTo(-1);
        assertThat(message.readBytes(buffer)).isZero(); // the empty field
        assertThat(message.readInt()).isEqualTo(42);
    }

    @Test
    void shouldMoveOnAfterAnExactlyFilledBufferWhenTheNextReadIsNotReadBytes() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeBytes(new byte[] {1, 2});
        message.writeShort((short) 5);
        message.reset();

        assertThat(message.readBytes(new byte[2])).isEqualTo(2);
        assertThat(message.readShort()).isEqualTo((short) 5);
    }

    @Test
    void shouldRefuseReadBytesOnAFieldOfAnotherType() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeString("s");
        message.reset();

        assertThatThrownBy(() -> message.readBytes(new byte[1])).isInstanceOf(MessageFormatException.class);
        assertThat(message.readString()).isEqualTo("s");
    }

    @Test
    void shouldBeWriteOnlyUntilResetAndReadOnlyAfter() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        message.writeInt(1);

        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(() -> message.readBytes(new byte[1])).isInstanceOf(MessageNotReadableException.class);
        message.reset();
        assertThatThrownBy(() -> message.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(message.readInt()).isEqualTo(1);
        message.reset();
        assertThat(message.readInt()).isEqualTo(1);
        message.clearBody();
        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        message.writeInt(3);
        message.reset();
        assertThat(message.readInt()).isEqualTo(3);
        assertThatThrownBy(message::readInt).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void shouldCopyArraysInAndOutAndRefuseOtherObjects() throws JMSException {
        final StrandStreamMessage message = new StrandStreamMessage();
        final byte[] original = {1, 2};
        message.writeBytes(original);
        message.writeObject(original);
        original[0] = 9;
        message.reset();

        assertThat((byte[]) message.readObject()).containsExactly(1, 2);
        assertThat((byte[]) message.readObject()).containsExactly(1, 2);
        assertThatThrownBy(() -> new StrandStreamMessage().writeObject(new StringBuilder()))
                .isInstanceOf(MessageFormatException.class);
    }

    static void write(StrandStreamMessage m, ValueType type, Object value) throws JMSException {
        switch (type) {
            case BOOLEAN -> m.writeBoolean((Boolean) value);
            case BYTE -> m.writeByte((Byte) value);
            case SHORT -> m.writeShort((Short) value);
            case CHAR -> m.writeChar((Character) value);
            case INT -> m.writeInt((Integer) value);
            case LONG -> m.writeLong((Long) value);
            case FLOAT -> m.writeFloat((Float) value);
            case DOUBLE -> m.writeDouble((Double) value);
            case STRING -> m.writeString((String) value);
            case BYTES -> m.writeBytes((byte[]) value);
        }
    }

    static Object read(StrandStreamMessage m, ValueType type) throws JMSException {
        return switch (type) {
            case BOOLEAN -> m.readBoolean();
            case BYTE -> m.readByte();
            case SHORT -> m.readShort();
            case CHAR -> m.readChar();
            case INT -> m.readInt();
            case LONG -> m.readLong();
            case FLOAT -> m.readFloat();
            case DOUBLE -> m.readDouble();
            case STRING -> m.readString();
            case BYTES -> readWholeBytes(m);
        };
    }

    private static byte[] readWholeBytes(StrandStreamMessage m) throws JMSException {
        final byte[] buffer = new byte[64];
        final int length = m.readBytes(buffer);
        return java.util.Arrays.copyOf(buffer, Math.max(length, 0));
    }
}
