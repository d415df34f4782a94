package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** BytesMessage: DataOutput encodings, EOF without moving, readBytes, writeObject, modes. */
class BytesMessageTest {

    @Test
    void shouldReadBackEveryTypeItWrote() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeBoolean(true);
        message.writeByte((byte) -2);
        message.writeShort((short) -3);
        message.writeChar('é');
        message.writeInt(-4);
        message.writeLong(-5L);
        message.writeFloat(6.5f);
        message.writeDouble(7.25);
        message.writeUTF("héllo");
        message.writeBytes(new byte[] {8, 9});
        message.writeBytes(new byte[] {0, 10, 0}, 1, 1);
        message.reset();

        assertThat(message.readBoolean()).isTrue();
        assertThat(message.readByte()).isEqualTo((byte) -2);
        assertThat(message.readShort()).isEqualTo((short) -3);
        assertThat(message.readChar()).isEqualTo('é');
        assertThat(message.readInt()).isEqualTo(-4);
        assertThat(message.readLong()).isEqualTo(-5L);
        assertThat(message.readFloat()).isEqualTo(6.5f);
        assertThat(message.readDouble()).isEqualTo(7.25);
        assertThat(message.readUTF()).isEqualTo("héllo");
        final byte[] rest = new byte[10];
        assertThat(message.readBytes(rest)).isEqualTo(3);
        assertThat(rest).startsWith(8, 9, 10);
        assertThat(message.readBytes(rest)).isEqualTo(-1);
    }

    @Test
    void shouldUseTheDataOutputStreamEncodingSoOtherClientsCanReadIt() throws JMSException, IOException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeInt(0x01020304);
        message.writeUTF("ab");
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeInt(0x01020304);
            out.writeUTF("ab");
        }

        assertThat(message.getBody(byte[].class)).containsExactly(expected.toByteArray());
    }

    @Test
    void shouldReadUnsignedValues() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeByte((byte) -1);
        message.writeShort((short) -1);
        message.reset();

        assertThat(message.readUnsignedByte()).isEqualTo(255);
        assertThat(message.readUnsignedShort()).isEqualTo(65535);
    }

    @Test
    void shouldThrowEofAndStayPutWhenTooFewBytesRemain() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeShort((short) 7);
        message.reset();

        assertThatThrownBy(message::readInt).isInstanceOf(MessageEOFException.class);
        assertThatThrownBy(message::readLong).isInstanceOf(MessageEOFException.class);
        assertThat(message.readShort()).isEqualTo((short) 7);
        assertThatThrownBy(message::readBoolean).isInstanceOf(MessageEOFException.class);
        assertThatThrownBy(message::readUTF).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void shouldReadBytesAsTheSpecificationDescribes() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeBytes(new byte[] {1, 2, 3, 4, 5});
        message.reset();
        final byte[] buffer = new byte[4];

        assertThatThrownBy(() -> message.readBytes(buffer, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> message.readBytes(buffer, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(message.readBytes(buffer, 2)).isEqualTo(2);
        assertThat(buffer).startsWith(1, 2);
        assertThat(message.readBytes(buffer)).isEqualTo(3);
        assertThat(buffer).startsWith(3, 4, 5);
        assertThat(message.readBytes(buffer)).isEqualTo(-1);
    }

    @Test
    void shouldWriteObjectsOfTheAllowedTypesOnly() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeObject(1);
        message.writeObject("s");
        message.writeObject(new byte[] {5});
        message.writeObject('c');
        message.writeObject(true);

        assertThatThrownBy(() -> message.writeObject(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> message.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
        message.reset();
        assertThat(message.readInt()).isEqualTo(1);
        assertThat(message.readUTF()).isEqualTo("s");
        assertThat(message.readByte()).isEqualTo((byte) 5);
        assertThat(message.readChar()).isEqualTo('c');
        assertThat(message.readBoolean()).isTrue();
    }

    @Test
    void shouldRefuseAStringTooLongForWriteUtf() {
        final String tooLong = "x".repeat(65536);

        assertThatThrownBy(() -> new StrandBytesMessage().writeUTF(tooLong)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void shouldThrowEofAndStayPutWhenAStringRunsPastTheEnd() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeUTF("complete");
        message.writeShort((short) 10); // a length that promises more than the three bytes that follow
        message.writeBytes(new byte[] {'a', 'b', 'c'});
        message.reset();

        assertThat(message.readUTF()).isEqualTo("complete");
        assertThatThrownBy(message::readUTF).isInstanceOf(MessageEOFException.class);
        assertThat(message.readShort()).isEqualTo((short) 10);
        assertThat(message.readUnsignedByte()).isEqualTo('a');
    }

    @Test
    void shouldReportMalformedModifiedUtf8AsAFormatError() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeShort((short) 1);
        message.writeByte((byte) 0xC0); // starts a two-byte sequence that never ends
        message.reset();

        assertThatThrownBy(message::readUTF).isInstanceOf(MessageFormatException.class);
        assertThat(message.readShort()).isEqualTo((short) 1);
    }

    @Test
    void shouldBeWriteOnlyUntilResetAndReadOnlyAfter() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeInt(1);

        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(message::getBodyLength).isInstanceOf(MessageNotReadableException.class);
        message.reset();
        assertThat(message.getBodyLength()).isEqualTo(4);
        assertThatThrownBy(() -> message.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(message.readInt()).isEqualTo(1);
        assertThat(message.getBodyLength()).isEqualTo(4);
        message.reset();
        assertThat(message.readInt()).isEqualTo(1);
        message.clearBody();
        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        message.writeByte((byte) 3);
        message.reset();
        assertThat(message.getBodyLength()).isEqualTo(1);
    }

    @Test
    void shouldBeReadableFromTheStartWhenReceived() throws JMSException {
        final StrandBytesMessage message = new StrandBytesMessage();
        message.writeLong(11L);
        message.makeReadOnly();

        assertThat(message.readLong()).isEqualTo(11L);
        assertThatThrownBy(() -> message.writeLong(1L)).isInstanceOf(MessageNotWriteableException.class);
    }
}
