package io.strand.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The value conversion tables of Jakarta Messaging 3.1: the property table of {@code Message} and the wider
 * table of {@code MapMessage} and {@code StreamMessage}, which adds {@code char} and {@code byte[]}.
 * One implementation serves all three, because the property table is the wider table restricted to the
 * types a property can hold (properties never contain a {@code Character} or a {@code byte[]}).
 *
 * <p>A value written as the row type can be read as the column type; every other cell throws
 * {@link MessageFormatException}:
 * <pre>
 *          boolean byte short char int long float double String byte[]
 * boolean     X                                           X
 * byte             X    X          X    X                 X
 * short                 X          X    X                 X
 * char                       X                            X
 * int                              X    X                 X
 * long                                  X                 X
 * float                                      X     X      X
 * double                                           X      X
 * String      X    X    X          X    X    X     X      X
 * byte[]                                                         X
 * </pre>
 *
 * <p>Reading a null value (a missing property, a null item) as a primitive behaves as the primitive's
 * {@code valueOf(String)} given null, as the specification says: {@code boolean} reads false, the integral
 * types throw {@link NumberFormatException}, {@code float} and {@code double} throw
 * {@link NullPointerException} (that is what {@code Float.valueOf(null)} does), and {@code char}, which has
 * no {@code String} conversion, throws {@link NullPointerException}. A {@code String} that does not parse
 * throws {@link NumberFormatException}, which the specification singles out.
 *
 * <p>Stateless; thread-safe. The {@code what} argument names the value in error messages, e.g.
 * {@code "property color"}.
 */
final class TypeConversions {
    private TypeConversions() {
    }

    static boolean toBoolean(Object value, String what) throws MessageFormatException {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value == null || value instanceof String) {
            return Boolean.parseBoolean((String) value);
        }
        throw mismatch(value, "boolean", what);
    }

    static byte toByte(Object value, String what) throws MessageFormatException {
        if (value instanceof Byte b) {
            return b;
        }
        if (value == null || value instanceof String) {
            return Byte.parseByte((String) value);
        }
        throw mismatch(value, "byte", what);
    }

    static short toShort(Object value, String what) throws MessageFormatException {
        if (value instanceof Short s) {
            return s;
        }
        if (value instanceof Byte b) {
            return b;
        }
        if (value == null || value instanceof String) {
            return Short.parseShort((String) value);
        }
        throw mismatch(value, "short", what);
    }

    static char toChar(Object value, String what) throws MessageFormatException {
        if (value instanceof Character c) {
            return c;
        }
        if (value == null) {
            throw new NullPointerException(what + " is null and cannot be read as a char");
        }
        throw mismatch(value, "char", what);
    }

    static int toInt(Object value, String what) throws MessageFormatException {
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value == null || value instanceof String) {
            return Integer.parseInt((String) value);
        }
        throw mismatch(value, "int", what);
    }

    static long toLong(Object value, String what) throws MessageFormatException {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value == null || value instanceof String) {
            return Long.parseLong((String) value);
        }
        throw mismatch(value, "long", what);
    }

    static float toFloat(Object value, String what) throws MessageFormatException {
        if (value instanceof Float f) {
            return f;
        }
        if (value == null || value instanceof String) {
            return Float.parseFloat((String) value);
        }
        throw mismatch(value, "float", what);
    }

    static double toDouble(Object value, String what) throws MessageFormatException {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Float f) {
            return f;
        }
        if (value == null || value instanceof String) {
            return Double.parseDouble((String) value);
        }
        throw mismatch(value, "double", what);
    }

    static String toText(Object value, String what) throws MessageFormatException {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof byte[]) {
            throw mismatch(value, "String", what);
        }
        return value.toString();
    }

    /** @return the array itself, not a copy: the caller decides whether to copy */
    static byte[] toBytes(Object value, String what) throws MessageFormatException {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        throw mismatch(value, "byte[]", what);
    }

    private static MessageFormatException mismatch(Object value, String target, String what) {
        return new MessageFormatException(what + " holds a " + value.getClass().getSimpleName()
                + " and cannot be read as " + target);
    }
}
