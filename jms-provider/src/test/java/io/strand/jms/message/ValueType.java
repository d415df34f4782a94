package io.strand.jms.message;

import java.util.EnumSet;
import java.util.Set;

/**
 * The value types of the Jakarta Messaging conversion tables, with the table itself written out as the
 * specification prints it, so the tests check the code against the spec rather than against itself.
 */
enum ValueType {
    BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, STRING, BYTES;

    /** The types a property may hold (no char, no byte[]). */
    static final Set<ValueType> PROPERTY_TYPES = EnumSet.of(BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, STRING);

    /** @return the column types a value written as this row type can be read as */
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
     * A sample value. The integral samples are all 12 and the floating ones 1.5, so a widening read of any
     * sample equals the reader type's own sample.
     */
    Object sample() {
        return switch (this) {
            case BOOLEAN -> Boolean.TRUE;
            case BYTE -> (byte) 12;
            case SHORT -> (short) 12;
            case CHAR -> 'x';
            case INT -> 12;
            case LONG -> 12L;
            case FLOAT -> 1.5f;
            case DOUBLE -> 1.5d;
            case STRING -> "text";
            case BYTES -> new byte[] {1, 2, 3};
        };
    }

    /** @return what to write as this type so that reading it as {@code reader} is meaningful */
    Object valueToWriteFor(ValueType reader) {
        if (this == STRING && reader != STRING && readableAs().contains(reader)) {
            return String.valueOf(reader.sample());
        }
        return sample();
    }

    /** @return what reading {@link #valueToWriteFor} as {@code reader} must give */
    Object expectedWhenReadAs(ValueType reader) {
        if (reader == STRING) {
            return String.valueOf(sample());
        }
        return reader.sample();
    }
}
