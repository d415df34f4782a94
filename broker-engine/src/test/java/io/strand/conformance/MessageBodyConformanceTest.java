package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 §3.11 (message bodies) with §3.9 (access to sent messages), §3.12 (copy and null
 * rules of the setters and getters) and the {@code getBody}/{@code isBodyAssignableTo} rules of the
 * Message javadoc: the five body types, their read-only and write-only modes, the StreamMessage and
 * MapMessage conversions (Table 3-7), and that a body arrives as it was written.
 */
class MessageBodyConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("body");

    /** A serializable value type of the application, as ObjectMessage bodies usually are. */
    record Point(int x, int y) implements Serializable {
    }

    private static Session session(Connection connection) throws JMSException {
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    // ---- every type --------------------------------------------------------------------------

    /** §3.11.4: a message arrives as the type it was sent as. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyMessageTypeArrivesAsItsOwnType(Transport transport) throws Exception {
        assertThat(BROKER.roundTrip(transport, Session::createMessage))
                .isNotInstanceOfAny(TextMessage.class, BytesMessage.class, MapMessage.class, StreamMessage.class,
                        ObjectMessage.class);
        assertThat(BROKER.roundTrip(transport, Session::createTextMessage)).isInstanceOf(TextMessage.class);
        assertThat(BROKER.roundTrip(transport, Session::createBytesMessage)).isInstanceOf(BytesMessage.class);
        assertThat(BROKER.roundTrip(transport, Session::createMapMessage)).isInstanceOf(MapMessage.class);
        assertThat(BROKER.roundTrip(transport, Session::createStreamMessage)).isInstanceOf(StreamMessage.class);
        assertThat(BROKER.roundTrip(transport, Session::createObjectMessage)).isInstanceOf(ObjectMessage.class);
    }

    // ---- TextMessage -------------------------------------------------------------------------

    /** §3.11: a text body arrives unchanged: null stays null, empty stays empty, any Unicode text, any size. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void textArrivesUnchanged(Transport transport) throws Exception {
        String unicode = "ascii, accents éèà, CJK 漢字, emoji 😀, supplementary \uD834\uDD1E, NUL \u0000.";
        String large = "0123456789".repeat(20_000);

        assertThat(((TextMessage) BROKER.roundTrip(transport, s -> s.createTextMessage(null))).getText()).isNull();
        assertThat(((TextMessage) BROKER.roundTrip(transport, s -> s.createTextMessage(""))).getText()).isEmpty();
        assertThat(((TextMessage) BROKER.roundTrip(transport, s -> s.createTextMessage(unicode))).getText())
                .isEqualTo(unicode);
        assertThat(((TextMessage) BROKER.roundTrip(transport, s -> s.createTextMessage(large))).getText())
                .isEqualTo(large);
    }

    /** §3.11.2 and §3.11.1: a received body is read-only; clearBody empties it and makes it writable. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReceivedTextBodyIsReadOnlyUntilCleared(Transport transport) throws Exception {
        TextMessage received = (TextMessage) BROKER.roundTrip(transport, s -> {
            TextMessage m = s.createTextMessage("original");
            m.setStringProperty("kept", "yes");
            return m;
        });

        assertThatThrownBy(() -> received.setText("changed")).isInstanceOf(MessageNotWriteableException.class);
        assertThat(received.getText()).isEqualTo("original");
        received.clearBody();
        assertThat(received.getText()).isNull();
        assertThat(received.getStringProperty("kept")).as("clearBody keeps the properties").isEqualTo("yes");
        received.setText("changed");
        assertThat(received.getText()).isEqualTo("changed");
    }

    // ---- BytesMessage ------------------------------------------------------------------------

    /** BytesMessage javadoc: the DataOutputStream encodings, read back in order with the DataInputStream ones. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBytesBodyArrivesAsWrittenAndReadsBackInOrder(Transport transport) throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(expected);
        data.writeBoolean(true);
        data.writeByte(200);
        data.writeShort(60_000);
        data.writeChar('é');
        data.writeInt(-7);
        data.writeLong(Long.MIN_VALUE);
        data.writeFloat(1.5f);
        data.writeDouble(Math.PI);
        data.writeUTF("naïve");
        data.write(new byte[] {9, 8, 7});
        data.write(new byte[] {2, 3}, 0, 2);
        data.writeInt(42); // written with writeObject(Integer)

        BytesMessage received = (BytesMessage) BROKER.roundTrip(transport, s -> {
            BytesMessage m = s.createBytesMessage();
            m.writeBoolean(true);
            m.writeByte((byte) 200);
            m.writeShort((short) 60_000);
            m.writeChar('é');
            m.writeInt(-7);
            m.writeLong(Long.MIN_VALUE);
            m.writeFloat(1.5f);
            m.writeDouble(Math.PI);
            m.writeUTF("naïve");
            m.writeBytes(new byte[] {9, 8, 7});
            m.writeBytes(new byte[] {1, 2, 3, 4}, 1, 2);
            m.writeObject(42);
            return m;
        });

        assertThat(received.getBodyLength()).isEqualTo(expected.size());
        assertThat(received.getBody(byte[].class)).isEqualTo(expected.toByteArray());
        assertThat(received.readBoolean()).isTrue();
        assertThat(received.readUnsignedByte()).isEqualTo(200);
        assertThat(received.readUnsignedShort()).isEqualTo(60_000);
        assertThat(received.readChar()).isEqualTo('é');
        assertThat(received.readInt()).isEqualTo(-7);
        assertThat(received.readLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(received.readFloat()).isEqualTo(1.5f);
        assertThat(received.readDouble()).isEqualTo(Math.PI);
        assertThat(received.readUTF()).isEqualTo("naïve");
        byte[] three = new byte[3];
        assertThat(received.readBytes(three)).isEqualTo(3);
        assertThat(three).containsExactly(9, 8, 7);
        byte[] two = new byte[2];
        assertThat(received.readBytes(two, 2)).isEqualTo(2);
        assertThat(two).containsExactly(2, 3);
        assertThat(received.readInt()).isEqualTo(42);
        assertThatThrownBy(received::readByte).isInstanceOf(MessageEOFException.class);
        assertThat(received.readBytes(new byte[4])).as("readBytes at the end of the body").isEqualTo(-1);
    }

    /** BytesMessage.readBytes: fills the array, then a shorter count, then -1; length is checked. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void readBytesHandsOutTheBodyInPiecesThenMinusOne(Transport transport) throws Exception {
        BytesMessage received = (BytesMessage) BROKER.roundTrip(transport, s -> {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(new byte[] {1, 2, 3, 4, 5});
            return m;
        });

        byte[] buffer = new byte[2];
        assertThat(received.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(1, 2);
        assertThat(received.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(3, 4);
        assertThat(received.readBytes(buffer)).isEqualTo(1);
        assertThat(buffer[0]).isEqualTo((byte) 5);
        assertThat(received.readBytes(buffer)).isEqualTo(-1);
        assertThatThrownBy(() -> received.readBytes(buffer, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> received.readBytes(buffer, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * BytesMessage javadoc: write-only when created and after clearBody, read-only after reset and on
     * receipt; reading a write-only body throws MessageNotReadableException (getBodyLength too), writing a
     * read-only one MessageNotWriteableException.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void bytesBodyModes(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            BytesMessage created = session(connection).createBytesMessage();
            created.writeInt(5);
            assertThatThrownBy(created::readInt).isInstanceOf(MessageNotReadableException.class);
            assertThatThrownBy(created::getBodyLength).isInstanceOf(MessageNotReadableException.class);
            created.reset();
            assertThat(created.getBodyLength()).isEqualTo(4);
            assertThat(created.readInt()).isEqualTo(5);
            assertThatThrownBy(() -> created.writeInt(6)).isInstanceOf(MessageNotWriteableException.class);
            created.reset();
            assertThat(created.readInt()).as("reset rewinds").isEqualTo(5);
        }

        BytesMessage received = (BytesMessage) BROKER.roundTrip(transport, s -> {
            BytesMessage m = s.createBytesMessage();
            m.writeInt(7);
            return m;
        });
        assertThatThrownBy(() -> received.writeInt(8)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(received.readInt()).isEqualTo(7);
        received.clearBody();
        assertThatThrownBy(received::readInt).isInstanceOf(MessageNotReadableException.class);
        received.writeShort((short) 3);
        received.reset();
        assertThat(received.getBodyLength()).isEqualTo(2);
        assertThat(received.readShort()).isEqualTo((short) 3);
    }

    /** §3.12 and BytesMessage.writeObject: a bytes body has no null; other classes are a format error. */
    @Test
    void bytesMessageRefusesNullAndUnsupportedObjects() throws Exception {
        try (Connection connection = BROKER.factory(Transport.VM).createConnection()) {
            BytesMessage m = session(connection).createBytesMessage();
            assertThatThrownBy(() -> m.writeObject(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> m.writeBytes(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> m.writeUTF(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> m.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
            assertThatThrownBy(() -> m.writeObject(List.of())).isInstanceOf(MessageFormatException.class);
        }
    }

    /** An empty bytes body arrives with length zero and counts as "no body" for getBody. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEmptyBytesBodyArrivesEmpty(Transport transport) throws Exception {
        BytesMessage received = (BytesMessage) BROKER.roundTrip(transport, Session::createBytesMessage);

        assertThat(received.getBodyLength()).isZero();
        assertThatThrownBy(received::readByte).isInstanceOf(MessageEOFException.class);
        assertThat(received.readBytes(new byte[1])).isEqualTo(-1);
    }

    // ---- MapMessage --------------------------------------------------------------------------

    private static Object readMap(MapMessage m, String name, ValueType type) throws JMSException {
        return switch (type) {
            case BOOLEAN -> m.getBoolean(name);
            case BYTE -> m.getByte(name);
            case SHORT -> m.getShort(name);
            case CHAR -> m.getChar(name);
            case INT -> m.getInt(name);
            case LONG -> m.getLong(name);
            case FLOAT -> m.getFloat(name);
            case DOUBLE -> m.getDouble(name);
            case STRING -> m.getString(name);
            case BYTES -> m.getBytes(name);
        };
    }

    /** The item a cell of Table 3-7 is read from: the row's sample, or for the String row a parsable text. */
    private static String mapItemOfCell(ValueType row, ValueType column) {
        return row == ValueType.STRING && ValueType.PROPERTY_TYPES.contains(column) ? "text_" + column : row.name();
    }

    /** §3.11.3 Table 3-7 for MapMessage, on a received message. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyCellOfTheMapConversionTableHolds(Transport transport) throws Exception {
        MapMessage received = (MapMessage) BROKER.roundTrip(transport, s -> {
            MapMessage m = s.createMapMessage();
            for (ValueType row : ValueType.values()) {
                m.setObject(row.name(), row.sample());
            }
            for (ValueType column : ValueType.PROPERTY_TYPES) {
                m.setString("text_" + column, ValueType.textOf(column));
            }
            return m;
        });

        SoftAssertions softly = new SoftAssertions();
        for (ValueType row : ValueType.values()) {
            for (ValueType column : ValueType.values()) {
                String item = mapItemOfCell(row, column);
                String cell = row + " read as " + column;
                if (row.readableAs().contains(column)) {
                    softly.assertThat(readMap(received, item, column)).as(cell).isEqualTo(row.expectedWhenReadAs(column));
                } else {
                    softly.assertThat(catchThrowable(() -> readMap(received, item, column))).as(cell)
                            .isInstanceOf(MessageFormatException.class);
                }
            }
        }
        softly.assertAll();
    }

    /**
     * §3.11.3: a missing item reads as a null one, and null reads as valueOf(null) would; char, which has no
     * String conversion, throws NullPointerException.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void missingAndNullMapItemsReadAsValueOfNull(Transport transport) throws Exception {
        MapMessage received = (MapMessage) BROKER.roundTrip(transport, s -> {
            MapMessage m = s.createMapMessage();
            m.setString("nothing", null);
            m.setBytes("noBytes", null);
            return m;
        });

        assertThat(received.itemExists("nothing")).isTrue();
        assertThat(received.itemExists("noBytes")).isTrue();
        assertThat(received.itemExists("missing")).isFalse();
        for (String name : List.of("nothing", "missing")) {
            assertThat(received.getBoolean(name)).isFalse();
            assertThatThrownBy(() -> received.getByte(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getShort(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getInt(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getLong(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getFloat(name)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> received.getDouble(name)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> received.getChar(name)).isInstanceOf(NullPointerException.class);
            assertThat(received.getString(name)).isNull();
            assertThat(received.getBytes(name)).isNull();
            assertThat(received.getObject(name)).isNull();
        }
        assertThat(received.getBytes("noBytes")).isNull();
    }

    /** MapMessage: names, exists, byte[] copies in and out (§3.12), and a slice of an array. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void mapItemsArriveWithTheirNamesAndCopiesOfArrays(Transport transport) throws Exception {
        byte[] whole = {1, 2, 3, 4, 5};
        MapMessage received = (MapMessage) BROKER.roundTrip(transport, s -> {
            MapMessage m = s.createMapMessage();
            m.setBytes("whole", whole);
            m.setBytes("slice", whole, 1, 3);
            whole[0] = 99; // the message holds its own copy
            m.setChar("char", 'ü');
            m.setObject("object", 7L);
            return m;
        });

        assertThat(Collections.list(received.getMapNames())).containsExactlyInAnyOrder("whole", "slice", "char", "object");
        assertThat(received.getBytes("whole")).containsExactly(1, 2, 3, 4, 5);
        assertThat(received.getBytes("slice")).containsExactly(2, 3, 4);
        received.getBytes("whole")[0] = 42;
        ((byte[]) received.getObject("whole"))[1] = 42;
        assertThat(received.getBytes("whole")).as("getters return copies").containsExactly(1, 2, 3, 4, 5);
        assertThat(received.getObject("char")).isEqualTo('ü');
        assertThat(received.getObject("object")).isEqualTo(7L);
    }

    /** MapMessage: read-only on receipt until clearBody; bad names and types are refused. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void mapBodyModesAndRefusals(Transport transport) throws Exception {
        MapMessage received = (MapMessage) BROKER.roundTrip(transport, s -> {
            MapMessage m = s.createMapMessage();
            m.setInt("n", 1);
            return m;
        });

        assertThatThrownBy(() -> received.setInt("n", 2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setObject("o", "x")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setBytes("b", new byte[1])).isInstanceOf(MessageNotWriteableException.class);
        received.clearBody();
        assertThat(Collections.list(received.getMapNames())).isEmpty();
        assertThat(received.itemExists("n")).isFalse();
        received.setInt("n", 2);
        assertThat(received.getInt("n")).isEqualTo(2);

        assertThatThrownBy(() -> received.setObject("bad", new Object())).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> received.setObject("bad", List.of(1))).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> received.setInt(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> received.setString("", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- StreamMessage -----------------------------------------------------------------------

    private static Object readStream(StreamMessage m, ValueType type) throws JMSException {
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
            case BYTES -> {
                byte[] buffer = new byte[64];
                int count = m.readBytes(buffer);
                yield count < 0 ? null : Arrays.copyOf(buffer, count);
            }
        };
    }

    /**
     * §3.11.3 Table 3-7 for StreamMessage, on a received message, with the rule that a read throwing
     * MessageFormatException or NumberFormatException leaves the read position where it was.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyCellOfTheStreamConversionTableHolds(Transport transport) throws Exception {
        List<ValueType> rows = List.of(ValueType.values());
        List<ValueType> textColumns = List.copyOf(ValueType.PROPERTY_TYPES);
        StreamMessage received = (StreamMessage) BROKER.roundTrip(transport, s -> {
            StreamMessage m = s.createStreamMessage();
            for (ValueType row : rows) {
                m.writeObject(row.sample());
            }
            for (ValueType column : textColumns) {
                m.writeString(ValueType.textOf(column));
            }
            return m;
        });

        SoftAssertions softly = new SoftAssertions();
        for (ValueType row : rows) {
            for (ValueType column : ValueType.values()) {
                int field = row == ValueType.STRING && textColumns.contains(column)
                        ? rows.size() + textColumns.indexOf(column) : rows.indexOf(row);
                received.reset();
                for (int i = 0; i < field; i++) {
                    received.readObject();
                }
                String cell = row + " read as " + column;
                if (row.readableAs().contains(column)) {
                    softly.assertThat(readStream(received, column)).as(cell).isEqualTo(row.expectedWhenReadAs(column));
                } else {
                    softly.assertThat(catchThrowable(() -> readStream(received, column))).as(cell)
                            .isInstanceOf(MessageFormatException.class);
                    softly.assertThat(received.readObject()).as(cell + ": the failed read did not move on")
                            .isEqualTo(row.sample());
                }
            }
        }
        softly.assertAll();
    }

    /** §3.11.3: a NumberFormatException does not move the read position either. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFailedReadLeavesThePositionForAnotherTry(Transport transport) throws Exception {
        StreamMessage received = (StreamMessage) BROKER.roundTrip(transport, s -> {
            StreamMessage m = s.createStreamMessage();
            m.writeString("twelve");
            m.writeInt(5);
            return m;
        });

        assertThatThrownBy(received::readInt).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(received::readChar).isInstanceOf(MessageFormatException.class);
        assertThat(received.readString()).isEqualTo("twelve");
        assertThat(received.readInt()).isEqualTo(5);
        assertThatThrownBy(received::readInt).isInstanceOf(MessageEOFException.class);
    }

    /** §3.11.3 and §3.12: null fields, written directly or as null arrays, read as valueOf(null) would. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nullStreamFieldsReadAsValueOfNull(Transport transport) throws Exception {
        StreamMessage received = (StreamMessage) BROKER.roundTrip(transport, s -> {
            StreamMessage m = s.createStreamMessage();
            m.writeString(null);
            m.writeObject(null);
            m.writeBytes(null);
            return m;
        });

        assertThat(received.readObject()).isNull();
        assertThat(received.readObject()).isNull();
        assertThat(received.readObject()).as("writeBytes(null) writes a null field").isNull();
        assertThatThrownBy(received::readObject).isInstanceOf(MessageEOFException.class);

        received.reset();
        assertThat(received.readString()).isNull();
        assertThat(received.readBoolean()).isFalse();
        assertThat(received.readBytes(new byte[4])).as("a null byte[] field").isEqualTo(-1);
        received.reset();
        assertThatThrownBy(received::readByte).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(received::readShort).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(received::readInt).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(received::readLong).isInstanceOf(NumberFormatException.class);
        received.reset();
        assertThatThrownBy(received::readFloat).isInstanceOf(NullPointerException.class);
        received.reset();
        assertThatThrownBy(received::readDouble).isInstanceOf(NullPointerException.class);
        received.reset();
        assertThatThrownBy(received::readChar).isInstanceOf(NullPointerException.class);
    }

    /**
     * StreamMessage.readBytes: a byte[] field is read in pieces until a count below the buffer length, or
     * -1 after a count equal to it; an empty field reads 0; another read in the middle of a field is a
     * MessageFormatException; readObject returns a copy of the whole field.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void byteArrayFieldsFollowTheReadBytesRules(Transport transport) throws Exception {
        StreamMessage received = (StreamMessage) BROKER.roundTrip(transport, s -> {
            StreamMessage m = s.createStreamMessage();
            m.writeBytes(new byte[] {1, 2, 3, 4, 5});
            m.writeBytes(new byte[] {6, 7, 8, 9});
            m.writeBytes(new byte[0]);
            m.writeBytes(new byte[] {0, 10, 11, 0}, 1, 2);
            m.writeInt(12);
            return m;
        });

        byte[] buffer = new byte[2];
        assertThat(received.readBytes(buffer)).isEqualTo(2);
        assertThatThrownBy(received::readInt).as("in the middle of a byte[] field").isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(received::readObject).isInstanceOf(MessageFormatException.class);
        assertThat(received.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(3, 4);
        assertThat(received.readBytes(buffer)).as("fewer than the buffer: the field is done").isEqualTo(1);
        assertThat(buffer[0]).isEqualTo((byte) 5);

        assertThat(received.readBytes(buffer)).isEqualTo(2);
        assertThat(received.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(8, 9);
        assertThat(received.readBytes(buffer)).as("a full buffer is followed by -1").isEqualTo(-1);

        assertThat(received.readBytes(buffer)).as("an empty byte[] field").isZero();
        byte[] slice = (byte[]) received.readObject();
        assertThat(slice).containsExactly(10, 11);
        assertThat(received.readInt()).isEqualTo(12);

        received.reset();
        byte[] first = (byte[]) received.readObject();
        first[0] = 99;
        received.reset();
        assertThat((byte[]) received.readObject()).as("readObject returns a copy").startsWith(1);
    }

    /** StreamMessage: write-only until reset, read-only on receipt until clearBody; end of stream; bad types. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void streamBodyModes(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            StreamMessage created = session(connection).createStreamMessage();
            created.writeInt(1);
            assertThatThrownBy(created::readInt).isInstanceOf(MessageNotReadableException.class);
            assertThatThrownBy(() -> created.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
            assertThatThrownBy(() -> created.writeObject(List.of())).isInstanceOf(MessageFormatException.class);
            created.reset();
            assertThatThrownBy(() -> created.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
            assertThat(created.readInt()).isEqualTo(1);
            assertThatThrownBy(created::readInt).isInstanceOf(MessageEOFException.class);
        }

        StreamMessage received = (StreamMessage) BROKER.roundTrip(transport, s -> {
            StreamMessage m = s.createStreamMessage();
            m.writeLong(3);
            return m;
        });
        assertThatThrownBy(() -> received.writeLong(4)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(received.readLong()).isEqualTo(3);
        received.clearBody();
        assertThatThrownBy(received::readLong).isInstanceOf(MessageNotReadableException.class);
        received.writeLong(4);
        received.reset();
        assertThat(received.readLong()).isEqualTo(4);
    }

    // ---- ObjectMessage -----------------------------------------------------------------------

    /** ObjectMessage: setObject takes a snapshot, getObject hands out copies, null stays null. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anObjectBodyIsASnapshotAndArrivesEqual(Transport transport) throws Exception {
        ArrayList<Point> points = new ArrayList<>(List.of(new Point(1, 2)));
        ObjectMessage received = (ObjectMessage) BROKER.roundTrip(transport, s -> {
            ObjectMessage m = s.createObjectMessage(points);
            points.add(new Point(3, 4)); // after setObject: not part of the body
            return m;
        });

        @SuppressWarnings("unchecked")
        List<Point> body = (List<Point>) received.getObject();
        assertThat(body).containsExactly(new Point(1, 2));
        body.clear();
        assertThat((List<?>) received.getObject()).as("getObject returns a copy").hasSize(1);
        assertThat(((ObjectMessage) BROKER.roundTrip(transport, s -> s.createObjectMessage(null))).getObject()).isNull();
    }

    /** ObjectMessage: read-only on receipt until clearBody, which leaves a null object. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReceivedObjectBodyIsReadOnlyUntilCleared(Transport transport) throws Exception {
        ObjectMessage received = (ObjectMessage) BROKER.roundTrip(transport, s -> s.createObjectMessage(new Point(5, 6)));

        assertThatThrownBy(() -> received.setObject(new Point(0, 0))).isInstanceOf(MessageNotWriteableException.class);
        received.clearBody();
        assertThat(received.getObject()).isNull();
        received.setObject(new Point(7, 8));
        assertThat(received.getObject()).isEqualTo(new Point(7, 8));
    }

    // ---- getBody and isBodyAssignableTo --------------------------------------------------------

    /** Message.getBody and isBodyAssignableTo, for each type with a body, on received messages. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void getBodyReturnsTheBodyAsAnyTypeItIsAssignableTo(Transport transport) throws Exception {
        Message text = BROKER.roundTrip(transport, s -> s.createTextMessage("t"));
        assertThat(text.getBody(String.class)).isEqualTo("t");
        assertThat(text.getBody(CharSequence.class)).isEqualTo("t");
        assertThat(text.getBody(Object.class)).isEqualTo("t");
        assertThat(text.isBodyAssignableTo(String.class)).isTrue();
        assertThat(text.isBodyAssignableTo(Integer.class)).isFalse();
        assertThatThrownBy(() -> text.getBody(Integer.class)).isInstanceOf(MessageFormatException.class);

        Message map = BROKER.roundTrip(transport, s -> {
            MapMessage m = s.createMapMessage();
            m.setInt("n", 1);
            m.setString("s", "x");
            return m;
        });
        assertThat(map.getBody(Map.class)).isEqualTo(Map.of("n", 1, "s", "x"));
        assertThat(map.getBody(Object.class)).isInstanceOf(Map.class);
        assertThat(map.isBodyAssignableTo(Map.class)).isTrue();
        assertThat(map.isBodyAssignableTo(HashMap.class)).as("the body is a Map, not necessarily a HashMap").isFalse();
        assertThatThrownBy(() -> map.getBody(String.class)).isInstanceOf(MessageFormatException.class);
        map.getBody(Map.class).clear();
        assertThat(((MapMessage) map).getInt("n")).as("getBody returns a copy").isEqualTo(1);

        Message object = BROKER.roundTrip(transport, s -> s.createObjectMessage(new Point(1, 1)));
        assertThat(object.getBody(Point.class)).isEqualTo(new Point(1, 1));
        assertThat(object.getBody(Serializable.class)).isEqualTo(new Point(1, 1));
        assertThat(object.isBodyAssignableTo(Record.class)).isTrue();
        assertThat(object.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> object.getBody(String.class)).isInstanceOf(MessageFormatException.class);
    }

    /** Message.getBody: a BytesMessage is reset before and after, so reading starts again afterwards. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void getBodyOfABytesMessageResetsIt(Transport transport) throws Exception {
        BytesMessage bytes = (BytesMessage) BROKER.roundTrip(transport, s -> {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(new byte[] {4, 5, 6});
            return m;
        });

        assertThat(bytes.readByte()).isEqualTo((byte) 4);
        assertThat(bytes.getBody(byte[].class)).containsExactly(4, 5, 6);
        assertThat(bytes.getBody(Object.class)).isEqualTo(new byte[] {4, 5, 6});
        assertThat(bytes.readByte()).isEqualTo((byte) 4);
        assertThat(bytes.isBodyAssignableTo(byte[].class)).isTrue();
        assertThat(bytes.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> bytes.getBody(String.class)).isInstanceOf(MessageFormatException.class);
    }

    /**
     * Message.getBody: a plain Message, and a message of another type without a body, return null for any
     * type and are assignable to any type; a StreamMessage is never (getBody throws MessageFormatException).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void messagesWithoutABodyAndStreamMessagesFollowTheGetBodyRules(Transport transport) throws Exception {
        List<Message> withoutBody = List.of(
                BROKER.roundTrip(transport, Session::createMessage),
                BROKER.roundTrip(transport, s -> s.createTextMessage(null)),
                BROKER.roundTrip(transport, Session::createMapMessage),
                BROKER.roundTrip(transport, Session::createBytesMessage),
                BROKER.roundTrip(transport, s -> s.createObjectMessage(null)));
        for (Message m : withoutBody) {
            assertThat(m.getBody(Integer.class)).as(m.getClass().getSimpleName()).isNull();
            assertThat(m.isBodyAssignableTo(Integer.class)).as(m.getClass().getSimpleName()).isTrue();
        }

        Message stream = BROKER.roundTrip(transport, s -> {
            StreamMessage m = s.createStreamMessage();
            m.writeInt(1);
            return m;
        });
        assertThatThrownBy(() -> stream.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
        assertThat(stream.isBodyAssignableTo(Object.class)).isFalse();
    }

    // ---- §3.9 ----------------------------------------------------------------------------------

    /** §3.9: after a send the client may change and resend the message without affecting what was sent. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSentMessageMayBeChangedAndSentAgain(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue queue = session.createQueue(BROKER.unique("resend"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);

            TextMessage text = session.createTextMessage("v1");
            text.setIntProperty("version", 1);
            producer.send(text);
            text.setText("v2");
            text.setIntProperty("version", 2);
            producer.send(text);

            BytesMessage bytes = session.createBytesMessage();
            bytes.writeByte((byte) 1);
            producer.send(bytes);
            bytes.writeByte((byte) 2);
            producer.send(bytes);

            MapMessage map = session.createMapMessage();
            map.setInt("n", 1);
            producer.send(map);
            map.setInt("n", 2);
            producer.send(map);

            StreamMessage stream = session.createStreamMessage();
            stream.writeInt(1);
            producer.send(stream);
            stream.writeInt(2);
            producer.send(stream);

            TextMessage t1 = (TextMessage) consumer.receive(WAIT_MS);
            TextMessage t2 = (TextMessage) consumer.receive(WAIT_MS);
            assertThat(List.of(t1.getText(), t1.getIntProperty("version"), t2.getText(), t2.getIntProperty("version")))
                    .containsExactly("v1", 1, "v2", 2);
            assertThat(t1.getJMSMessageID()).isNotEqualTo(t2.getJMSMessageID());
            assertThat(consumer.receive(WAIT_MS).getBody(byte[].class)).containsExactly(1);
            assertThat(consumer.receive(WAIT_MS).getBody(byte[].class)).containsExactly(1, 2);
            assertThat(((MapMessage) consumer.receive(WAIT_MS)).getInt("n")).isEqualTo(1);
            assertThat(((MapMessage) consumer.receive(WAIT_MS)).getInt("n")).isEqualTo(2);
            StreamMessage s1 = (StreamMessage) consumer.receive(WAIT_MS);
            assertThat(s1.readInt()).isEqualTo(1);
            assertThatThrownBy(s1::readInt).isInstanceOf(MessageEOFException.class);
            StreamMessage s2 = (StreamMessage) consumer.receive(WAIT_MS);
            assertThat(List.of(s2.readInt(), s2.readInt())).containsExactly(1, 2);
        }
    }
}
