package io.strand.selector;

/**
 * The type an arithmetic operation or a numeric comparison is carried out in, chosen by Java's binary numeric
 * promotion: double if either operand is a Double, else float if either is a Float, else long if either is a Long,
 * else int (Byte and Short widen to int).
 */
enum NumericKind {
    INT,
    LONG,
    FLOAT,
    DOUBLE;

    /** The kind of one value, or null when it is not a number of a selector type. */
    static NumericKind of(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return INT;
        }
        if (value instanceof Long) {
            return LONG;
        }
        if (value instanceof Double) {
            return DOUBLE;
        }
        return value instanceof Float ? FLOAT : null;
    }

    /** The kind two operands are promoted to. */
    static NumericKind promote(NumericKind left, NumericKind right) {
        return left.compareTo(right) >= 0 ? left : right;
    }
}
