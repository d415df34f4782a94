package io.strand.conformance;

import java.util.EnumSet;
import java.util.Set;

/**
 * The value types of the Jakarta Messaging 3.1 conversion tables, with the tables written out here as the
 * specification prints them, so the tests compare Strand with the specification and not with itself:
 * Table 3-7 (§3.11.3, StreamMessage and MapMessage) and Table 3-2 (§3.5.4, properties), which is Table 3-7
 * without {@code char} and {@code byte[]}.
 *
 * <p>The integral samples are all 12 and the floating-point ones 1.5, so reading any sample as a wider type
 * gives that type's own sample, and a string holding a type's sample reads back as the sample.
 */
enum ValueType {
    BOOLEAN(Boolean.TRUE),
    BYTE((byte) 12),
    SHORT((short) 12),
    CHAR('x'),
    INT(12),
    LONG(12L),
    FLOAT(1.5f),
    DOUBLE(1.5d),
    STRING("text"),
    BYTES(new byte[] {1, 2, 3});

    /** The types a message property may hold (Table 3-2). */
    static final Set<ValueType> PROPERTY_TYPES = EnumSet.of(BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, STRING);

    private final Object sample;

    ValueType(Object sample) {
        this.sample = sample;
    }

    /** @return the sample value of this type; a fresh array for {@link #BYTES} */
    Object sample() {
        return sample instanceof byte[] bytes ? bytes.clone() : sample;
    }

    /** @return the columns a value written as this row type may be read as (Table 3-7) */
    Set<ValueType> readableAs() {
        return switch (this) {
            case BOOLEAN -> EnumSet.of(BOOLEAN, STRING);
            case BYTE -> EnumSet.of(BYTE, SHORT, INT, LONG, STRING);
            case SHORT -> EnumSet.of(SHORT, INT, LONG, STRING);
            case CHAR -> EnumSet.of(CHAR, STRING);
            case INT -> EnumSet.of(INT, LONG, STRING);
            case LONG -> EnumSet.of(LONG, STRING);
            case FLOAT -> EnumSet.of(FLOAT, DOUBLE, STRING);
            case DOUBLE -> EnumSet.of(DOUBLE, STRING);
            case STRING -> EnumSet.of(BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, STRING);
            case BYTES -> EnumSet.of(BYTES);
        };
    }

    /**
     * @param reader a column this row type is readable as
     * @return what reading this type's sample as {@code reader} gives; a {@link #STRING} row is read from
     *         the text of the reader's sample (see {@link #textOf})
     */
    Object expectedWhenReadAs(ValueType reader) {
        if (reader == STRING) {
            return this == STRING ? sample : String.valueOf(sample);
        }
        return reader.sample();
    }

    /** @return the string a {@link #STRING} value holds so that reading it as {@code reader} is defined */
    static String textOf(ValueType reader) {
        return reader == STRING ? (String) STRING.sample : String.valueOf(reader.sample);
    }
}
