package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of the property conversion table of the Message javadoc, plus nulls and bad strings. */
class PropertyConversionTest {

    static Stream<Arguments> everyCell() {
        final List<Arguments> cells = new ArrayList<>();
        for (ValueType writer : ValueType.PROPERTY_TYPES) {
            for (ValueType reader : ValueType.PROPERTY_TYPES) {
                cells.add(Arguments.of(writer, reader));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("everyCell")
    void shouldConvertExactlyAsTheTableSays(ValueType writer, ValueType reader) throws JMSException {
        final StrandMessage message = new StrandMessage();
        write(message, "p", writer, writer.valueToWriteFor(reader));

        if (writer.readableAs().contains(reader)) {
            assertThat(read(message, "p", reader)).isEqualTo(writer.expectedWhenReadAs(reader));
        } else {
            assertThatThrownBy(() -> read(message, "p", reader)).isInstanceOf(MessageFormatException.class)
                    .hasMessageContaining("property p");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"BOOLEAN", "BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE", "STRING"})
    void shouldReturnTheObjectAsWrittenFromGetObjectProperty(ValueType writer) throws JMSException {
        final StrandMessage message = new StrandMessage();
        write(message, "p", writer, writer.sample());

        assertThat(message.getObjectProperty("p")).isEqualTo(writer.sample()).isExactlyInstanceOf(writer.sample().getClass());
    }

    @Test
    void shouldReadAMissingPropertyAsValueOfNull() throws JMSException {
        final StrandMessage message = new StrandMessage();

        assertThat(message.getBooleanProperty("missing")).isFalse();
        assertThat(message.getStringProperty("missing")).isNull();
        assertThat(message.getObjectProperty("missing")).isNull();
        assertThatThrownBy(() -> message.getByteProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getShortProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getIntProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getLongProperty("missing")).isInstanceOf(NumberFormatException.class);
        // Float.valueOf(null) and Double.valueOf(null) throw NullPointerException, and the spec says to
        // behave as they do.
        assertThatThrownBy(() -> message.getFloatProperty("missing")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> message.getDoubleProperty("missing")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldTreatANullValuedPropertyAsPresentButReadLikeAMissingOne() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setStringProperty("s", null);
        message.setObjectProperty("o", null);

        assertThat(message.propertyExists("s")).isTrue();
        assertThat(message.propertyExists("o")).isTrue();
        assertThat(Collections.list(message.getPropertyNames())).containsExactly("s", "o");
        assertThat(message.getStringProperty("s")).isNull();
        assertThat(message.getBooleanProperty("s")).isFalse();
        assertThatThrownBy(() -> message.getIntProperty("o")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void shouldThrowNumberFormatExceptionForAStringThatDoesNotParse() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setStringProperty("p", "twelve");

        assertThatThrownBy(() -> message.getByteProperty("p")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getShortProperty("p")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getIntProperty("p")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getLongProperty("p")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getFloatProperty("p")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> message.getDoubleProperty("p")).isInstanceOf(NumberFormatException.class);
        assertThat(message.getBooleanProperty("p")).isFalse(); // Boolean.valueOf accepts anything
    }

    @Test
    void shouldRefuseObjectPropertiesOfOtherTypes() {
        final StrandMessage message = new StrandMessage();

        assertThatThrownBy(() -> message.setObjectProperty("c", 'c')).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("property c");
        assertThatThrownBy(() -> message.setObjectProperty("b", new byte[1])).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.setObjectProperty("l", List.of())).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void shouldEnumerateNamesAsASnapshotAndForgetThemOnClear() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setIntProperty("a", 1);
        message.setIntProperty("b", 2);
        final var names = message.getPropertyNames();
        message.setIntProperty("c", 3);

        assertThat(Collections.list(names)).containsExactly("a", "b");
        message.clearProperties();
        assertThat(message.getPropertyNames().hasMoreElements()).isFalse();
        assertThat(message.propertyExists("a")).isFalse();
    }

    static void write(StrandMessage m, String name, ValueType type, Object value) throws JMSException {
        switch (type) {
            case BOOLEAN -> m.setBooleanProperty(name, (Boolean) value);
            case BYTE -> m.setByteProperty(name, (Byte) value);
            case SHORT -> m.setShortProperty(name, (Short) value);
            case INT -> m.setIntProperty(name, (Integer) value);
            case LONG -> m.setLongProperty(name, (Long) value);
            case FLOAT -> m.setFloatProperty(name, (Float) value);
            case DOUBLE -> m.setDoubleProperty(name, (Double) value);
            case STRING -> m.setStringProperty(name, (String) value);
            default -> throw new IllegalArgumentException("not a property type: " + type);
        }
    }

    static Object read(StrandMessage m, String name, ValueType type) throws JMSException {
        return switch (type) {
            case BOOLEAN -> m.getBooleanProperty(name);
            case BYTE -> m.getByteProperty(name);
            case SHORT -> m.getShortProperty(name);
            case INT -> m.getIntProperty(name);
            case LONG -> m.getLongProperty(name);
            case FLOAT -> m.getFloatProperty(name);
            case DOUBLE -> m.getDoubleProperty(name);
            case STRING -> m.getStringProperty(name);
            default -> throw new IllegalArgumentException("not a property type: " + type);
        };
    }
}
