package io.strand.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jakarta Messaging 3.1 §3.5, message properties: names, value types, the conversion table, read-only
 * properties of received messages, the JMSX properties and property iteration. The checks run on messages
 * that went through a broker, where the wire encoding could lose a type or a null.
 */
class MessagePropertiesConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("properties");

    /** One property per row of Table 3-2 under the row's name, plus a string per column for the String row. */
    private static Message messageWithOnePropertyPerRow(jakarta.jms.Session session) throws JMSException {
        Message m = session.createMessage();
        for (ValueType row : ValueType.PROPERTY_TYPES) {
            m.setObjectProperty(row.name(), row.sample());
        }
        for (ValueType column : ValueType.PROPERTY_TYPES) {
            m.setStringProperty("text_" + column.name(), ValueType.textOf(column));
        }
        return m;
    }

    private static String nameOfCell(ValueType row, ValueType column) {
        return row == ValueType.STRING ? "text_" + column.name() : row.name();
    }

    private static Object read(Message m, String name, ValueType type) throws JMSException {
        return switch (type) {
            case BOOLEAN -> m.getBooleanProperty(name);
            case BYTE -> m.getByteProperty(name);
            case SHORT -> m.getShortProperty(name);
            case INT -> m.getIntProperty(name);
            case LONG -> m.getLongProperty(name);
            case FLOAT -> m.getFloatProperty(name);
            case DOUBLE -> m.getDoubleProperty(name);
            case STRING -> m.getStringProperty(name);
            case CHAR, BYTES -> throw new IllegalArgumentException(type + " is not a property type");
        };
    }

    /** §3.5.4 Table 3-2: every marked cell converts, every unmarked cell throws MessageFormatException. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyCellOfTheConversionTableHoldsOnAReceivedMessage(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, MessagePropertiesConformanceTest::messageWithOnePropertyPerRow);

        SoftAssertions softly = new SoftAssertions();
        for (ValueType row : ValueType.PROPERTY_TYPES) {
            for (ValueType column : ValueType.PROPERTY_TYPES) {
                String name = nameOfCell(row, column);
                String cell = row + " read as " + column;
                if (row.readableAs().contains(column)) {
                    softly.assertThat(read(received, name, column)).as(cell).isEqualTo(row.expectedWhenReadAs(column));
                } else {
                    softly.assertThat(catchThrowable(() -> read(received, name, column))).as(cell)
                            .isInstanceOf(MessageFormatException.class);
                }
            }
        }
        softly.assertAll();
    }

    /** §3.5.2 and §3.5.5: each property type arrives as the same object type, and null stays null. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyPropertyTypeArrivesAsItWasSet(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setBooleanProperty("aBoolean", false);
            m.setByteProperty("aByte", Byte.MIN_VALUE);
            m.setShortProperty("aShort", Short.MAX_VALUE);
            m.setIntProperty("anInt", Integer.MIN_VALUE);
            m.setLongProperty("aLong", Long.MAX_VALUE);
            m.setFloatProperty("aFloat", Float.NaN);
            m.setDoubleProperty("aDouble", -0.0d);
            m.setStringProperty("aString", "naïve ✓ \uD834\uDD1E");
            m.setStringProperty("anEmptyString", "");
            m.setStringProperty("aNullString", null);
            m.setObjectProperty("aNullObject", null);
            return m;
        });

        assertThat(received.getObjectProperty("aBoolean")).isEqualTo(Boolean.FALSE);
        assertThat(received.getObjectProperty("aByte")).isEqualTo(Byte.MIN_VALUE);
        assertThat(received.getObjectProperty("aShort")).isEqualTo(Short.MAX_VALUE);
        assertThat(received.getObjectProperty("anInt")).isEqualTo(Integer.MIN_VALUE);
        assertThat(received.getObjectProperty("aLong")).isEqualTo(Long.MAX_VALUE);
        assertThat(received.getObjectProperty("aFloat")).isEqualTo(Float.NaN);
        assertThat(received.getObjectProperty("aDouble")).isEqualTo(-0.0d);
        assertThat(received.getObjectProperty("aString")).isEqualTo("naïve ✓ \uD834\uDD1E");
        assertThat(received.getObjectProperty("anEmptyString")).isEqualTo("");
        assertThat(received.propertyExists("aNullString")).isTrue();
        assertThat(received.getObjectProperty("aNullString")).isNull();
        assertThat(received.getStringProperty("aNullObject")).isNull();
    }

    /**
     * §3.5.4 and §3.5.8: a missing or null property reads as the primitive's valueOf(null) would:
     * false for boolean, NumberFormatException for the integral types, NullPointerException for float
     * and double (what Float.valueOf and Double.valueOf do with null), null for String and Object.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void missingAndNullPropertiesReadAsValueOfNull(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setStringProperty("nothing", null);
            return m;
        });

        for (String name : List.of("nothing", "missing")) {
            assertThat(received.getBooleanProperty(name)).isFalse();
            assertThatThrownBy(() -> received.getByteProperty(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getShortProperty(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getIntProperty(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getLongProperty(name)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> received.getFloatProperty(name)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> received.getDoubleProperty(name)).isInstanceOf(NullPointerException.class);
            assertThat(received.getStringProperty(name)).isNull();
            assertThat(received.getObjectProperty(name)).isNull();
        }
        assertThat(received.propertyExists("missing")).isFalse();
    }

    /** §3.5.4: a String that its numeric type's valueOf does not accept throws NumberFormatException. */
    @Test
    void unparsableStringsThrowNumberFormatException() throws Exception {
        Message received = BROKER.roundTrip(Transport.VM, session -> {
            Message m = session.createMessage();
            m.setStringProperty("word", "twelve");
            m.setStringProperty("fraction", "1.5");
            return m;
        });

        assertThatThrownBy(() -> received.getByteProperty("word")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> received.getShortProperty("word")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> received.getIntProperty("fraction")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> received.getLongProperty("fraction")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> received.getFloatProperty("word")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> received.getDoubleProperty("word")).isInstanceOf(NumberFormatException.class);
        // Boolean.valueOf accepts any string: everything but "true" in any case reads false.
        assertThat(received.getBooleanProperty("word")).isFalse();
        assertThat(received.getFloatProperty("fraction")).isEqualTo(1.5f);
    }

    /** §3.5.5: setObjectProperty accepts only the eight property types and must refuse the rest. */
    @Test
    void setObjectPropertyRefusesEveryOtherType() throws Exception {
        try (Connection connection = BROKER.factory(Transport.VM).createConnection()) {
            Message m = connection.createSession().createMessage();
            for (Object wrongType : List.of('c', new byte[] {1}, new Object(), new ArrayList<>(), new StringBuilder("s"))) {
                assertThatThrownBy(() -> m.setObjectProperty("p", wrongType)).as(wrongType.getClass().getName())
                        .isInstanceOf(MessageFormatException.class);
            }
            assertThat(m.propertyExists("p")).isFalse();
        }
    }

    /**
     * §3.5.3 and §3.10: the properties of a received message are read-only until clearProperties, which
     * empties them and leaves headers and body alone (§3.5.7).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void receivedPropertiesAreReadOnlyUntilCleared(Transport transport) throws Exception {
        TextMessage received = (TextMessage) BROKER.roundTrip(transport, session -> {
            TextMessage m = session.createTextMessage("body");
            m.setStringProperty("color", "red");
            m.setJMSType("paint");
            return m;
        });

        assertThatThrownBy(() -> received.setBooleanProperty("p", true)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setByteProperty("p", (byte) 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setShortProperty("p", (short) 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setIntProperty("p", 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setLongProperty("p", 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setFloatProperty("p", 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setDoubleProperty("p", 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setStringProperty("color", "blue")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setObjectProperty("p", 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(received.getStringProperty("color")).isEqualTo("red");

        received.clearProperties();
        assertThat(received.propertyExists("color")).isFalse();
        assertThat(Collections.list(received.getPropertyNames())).isEmpty();
        assertThat(received.getText()).isEqualTo("body");
        assertThat(received.getJMSType()).isEqualTo("paint");
        received.setStringProperty("color", "blue");
        received.setIntProperty("count", 2);
        assertThat(received.getStringProperty("color")).isEqualTo("blue");
        assertThat(received.getLongProperty("count")).isEqualTo(2L);
    }

    /** §3.5.6: getPropertyNames lists every property, the JMSX ones the provider set included, and no header. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void propertyNamesListThePropertiesAndNoHeaders(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setStringProperty("a", "1");
            m.setIntProperty("b", 2);
            m.setObjectProperty("c", null);
            m.setJMSType("t");
            m.setJMSCorrelationID("c");
            return m;
        });

        List<String> names = new ArrayList<>();
        for (var e = received.getPropertyNames(); e.hasMoreElements(); ) {
            names.add((String) e.nextElement());
        }
        assertThat(names).contains("a", "b", "c", "JMSXDeliveryCount").doesNotHaveDuplicates()
                .noneMatch(n -> List.of("JMSMessageID", "JMSType", "JMSCorrelationID", "JMSDestination",
                        "JMSTimestamp", "JMSPriority", "JMSDeliveryMode", "JMSExpiration", "JMSRedelivered",
                        "JMSReplyTo", "JMSDeliveryTime").contains(n));
        assertThat(names).filteredOn(n -> !n.startsWith("JMS")).containsExactlyInAnyOrder("a", "b", "c");
    }

    /**
     * §3.5.9 and §3.5.11: JMSXDeliveryCount is mandatory, set on receipt, 1 on the first delivery; the
     * group properties are the client's and travel as set; the metadata lists the supported JMSX names.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void jmsxPropertiesAreSetAsTheSpecificationSays(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setStringProperty("JMSXGroupID", "basket-7");
            m.setIntProperty("JMSXGroupSeq", 3);
            return m;
        });

        assertThat(received.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(received.getObjectProperty("JMSXDeliveryCount")).isInstanceOf(Integer.class);
        assertThat(received.getStringProperty("JMSXGroupID")).isEqualTo("basket-7");
        assertThat(received.getIntProperty("JMSXGroupSeq")).isEqualTo(3);

        try (Connection connection = BROKER.factory(transport).createConnection()) {
            ConnectionMetaData metaData = connection.getMetaData();
            assertThat(Collections.list(metaData.getJMSXPropertyNames()))
                    .contains("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq");
        }
    }

    /** §3.5.1 and the Message javadoc: a null or empty property name must throw IllegalArgumentException. */
    @Test
    void nullAndEmptyNamesAreRefused() throws Exception {
        try (Connection connection = BROKER.factory(Transport.VM).createConnection()) {
            Message m = connection.createSession().createMessage();
            for (String name : new String[] {null, ""}) {
                assertThatThrownBy(() -> m.setStringProperty(name, "v")).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> m.setIntProperty(name, 1)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> m.setObjectProperty(name, 1)).isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    /**
     * §3.5.1 and §3.8.1.1: a property name must be a selector identifier: a Java identifier that is not
     * NULL, TRUE, FALSE, NOT, AND, OR, BETWEEN, LIKE, IN, IS or ESCAPE. Strand refuses other names when
     * they are set, with IllegalArgumentException, so that every property can be selected on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1st", "two words", "a-b", "a.b", "NULL", "true", "False", "not", "And", "OR", "between",
            "LIKE", "in", "Is", "escape"})
    void namesThatAreNotSelectorIdentifiersAreRefused(String name) throws Exception {
        try (Connection connection = BROKER.factory(Transport.VM).createConnection()) {
            Message m = connection.createSession().createMessage();
            assertThatThrownBy(() -> m.setStringProperty(name, "v")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }
    }

    /** §3.8.1.1: identifiers are Java identifiers (letters of any script, '_' and '$') and are case sensitive. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void selectorIdentifiersAreValidNamesAndCaseSensitive(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setStringProperty("color", "red");
            m.setStringProperty("Color", "blue");
            m.setStringProperty("_private", "u");
            m.setStringProperty("$dollar", "d");
            m.setStringProperty("größe", "L");
            m.setStringProperty("nullable", "keyword inside a longer name is fine");
            m.setStringProperty("JMSApplicationThing", "JMS, but neither JMSX nor JMS_");
            return m;
        });

        assertThat(received.getStringProperty("color")).isEqualTo("red");
        assertThat(received.getStringProperty("Color")).isEqualTo("blue");
        assertThat(received.getStringProperty("_private")).isEqualTo("u");
        assertThat(received.getStringProperty("$dollar")).isEqualTo("d");
        assertThat(received.getStringProperty("größe")).isEqualTo("L");
        assertThat(received.getStringProperty("nullable")).startsWith("keyword");
        assertThat(received.getStringProperty("JMSApplicationThing")).startsWith("JMS,");
    }

    /** §3.5: setting a property again replaces its value, and its type. */
    @Test
    void settingAPropertyAgainReplacesValueAndType() throws Exception {
        try (Connection connection = BROKER.factory(Transport.VM).createConnection()) {
            Message m = connection.createSession().createMessage();
            m.setIntProperty("p", 1);
            m.setStringProperty("p", "two");

            assertThat(m.getObjectProperty("p")).isEqualTo("two");
            assertThatThrownBy(() -> m.getIntProperty("p")).isInstanceOf(NumberFormatException.class);
            assertThat(Collections.list(m.getPropertyNames())).containsExactly("p");
        }
    }
}
