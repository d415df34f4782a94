package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** MapMessage: every cell of its conversion table, missing and null items, names, copies, read-only. */
class MapMessageTest {

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
        final StrandMapMessage message = new StrandMapMessage();
        set(message, "item", writer, writer.valueToWriteFor(reader));

        if (writer.readableAs().contains(reader)) {
            assertThat(get(message, "item", reader)).isEqualTo(writer.expectedWhenReadAs(reader));
        } else {
            assertThatThrownBy(() -> get(message, "item", reader)).isInstanceOf(MessageFormatException.class)
                    .hasMessageContaining("map item item");
        }
    }

    @Test
    void shouldReadAMissingItemAsValueOfNull() throws JMSException {
        final StrandMapMessage message = new StrandMapMessage();

        assertThat(message.getBoolean("m")).isFalse();
        assertThat(message.getString("m")).isNull();
        assertThat(message.getBytes("m")).isNull();
        assertThat(message.getObject("m")).isNull();
        assertThat(message.itemExists("m")).isFalse();
        assertThatThrownBy(() -> message.getByte("m")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getShort("m")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getInt("m")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getLong("m")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getFloat("m")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> message.getDouble("m")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> message.getChar("m")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldKeepANullItemAsAnExistingItem() throws JMSException {
        final StrandMapMessage message = new StrandMapMessage();
        message.setString("s", null);
        message.setObject("o", null);
        message.setBytes("b", null);

        assertThat(message.itemExists("s")).isTrue();
        assertThat(Collections.list(message.getMapNames())).containsExactly("s", "o", "b");
        assertThat(message.getString("o")).isNull();
        assertThatThrownBy(() -> message.getChar("b")).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void shouldRefuseNullAndEmptyNames(String name) {
        final StrandMapMessage message = new StrandMapMessage();

        assertThatThrownBy(() -> message.setInt(name, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> message.setObject(name, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAcceptAnyNonEmptyNameBecauseMapNamesAreNotIdentifiers() throws JMSException {
        final StrandMapMessage message = new StrandMapMessage();
        message.setInt("not an identifier - NULL", 1);

        assertThat(message.getInt("not an identifier - NULL")).isEqualTo(1);
    }

    @Test
    void shouldRefuseObjectsOfOtherTypes() {
        assertThatThrownBy(() -> new StrandMapMessage().setObject("x", new Object()))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("map item x");
        assertThatThrownBy(() -> new StrandMapMessage().setObject("x", new Byte[0]))
                .isInstanceOf(MessageFormatException.class);
    }

    @Test
    void shouldCopyArraysInAndOut() throws JMSException {
        final StrandMapMessage message = new StrandMapMessage();
        final byte[] original = {1, 2, 3};
        message.setBytes("a", original);
        message.setObject("b", original);
        message.setBytes("c", original, 1, 2);
        original[0] = 9;

        assertThat(message.getBytes("a")).containsExactly(1, 2, 3);
        assertThat((byte[]) message.getObject("b")).containsExactly(1, 2, 3);
        assertThat(message.getBytes("c")).containsExactly(2, 3);
        message.getBytes("a")[0] = 7;
        assertThat(message.getBytes("a")).containsExactly(1, 2, 3);
    }

    @Test
    void shouldBeReadOnlyWhenReceivedAndWritableAfterClearBody() throws JMSException {
        final StrandMapMessage message = new StrandMapMessage();
        message.setInt("a", 1);
        message.makeReadOnly();

        assertThatThrownBy(() -> message.setInt("b", 2)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(message.getInt("a")).isEqualTo(1);
        message.clearBody();
        assertThat(message.itemExists("a")).isFalse();
        message.setInt("b", 2);
        assertThat(message.getInt("b")).isEqualTo(2);
    }

    static void set(StrandMapMessage m, String name, ValueType type, Object value) throws JMSException {
        switch (type) {
            case BOOLEAN -> m.setBoolean(name, (Boolean) value);
            case BYTE -> m.setByte(name, (Byte) value);
            case SHORT -> m.setShort(name, (Short) value);
            case CHAR -> m.setChar(name, (Character) value);
            case INT -> m.setInt(name, (Integer) value);
            case LONG -> m.setLong(name, (Long) value);
            case FLOAT -> m.setFloat(name, (Float) value);
            case DOUBLE -> m.setDouble(name, (Double) value);
            case STRING -> m.setString(name, (String) value);
            case BYTES -> m.setBytes(name, (byte[]) value);
        }
    }

    static Object get(StrandMapMessage m, String name, ValueType type) throws JMSException {
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
}
