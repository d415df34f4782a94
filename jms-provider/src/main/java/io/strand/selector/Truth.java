package io.strand.selector;

/**
 * The three truth values of SQL92 logic, with the {@code AND}, {@code OR} and {@code NOT} tables of the Jakarta
 * Messaging specification (§3.8.1.2, "Null values").
 */
enum Truth {
    TRUE,
    FALSE,
    UNKNOWN;

    static Truth of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** A value used as a condition: a Boolean is itself, anything else (NULL included) is unknown. */
    static Truth ofValue(Object value) {
        return value instanceof Boolean b ? of(b) : UNKNOWN;
    }

    Truth not() {
        return switch (this) {
            case TRUE -> FALSE;
            case FALSE -> TRUE;
            case UNKNOWN -> UNKNOWN;
        };
    }

    Truth and(Truth other) {
        if (this == FALSE || other == FALSE) {
            return FALSE;
        }
        return this == TRUE && other == TRUE ? TRUE : UNKNOWN;
    }

    Truth or(Truth other) {
        if (this == TRUE || other == TRUE) {
            return TRUE;
        }
        return this == FALSE && other == FALSE ? FALSE : UNKNOWN;
    }

    /** The truth as a selector value: unknown is NULL. */
    Boolean asBoolean() {
        return switch (this) {
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case UNKNOWN -> null;
        };
    }
}
