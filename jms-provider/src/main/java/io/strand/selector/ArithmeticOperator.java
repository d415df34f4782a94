package io.strand.selector;

/**
 * The binary arithmetic operators, applied in the promoted type as Java applies them: int and long wrap on
 * overflow, float and double follow IEEE 754.
 *
 * <p>Integer division by zero, which throws in Java, yields NULL here: a selector must never fail on a message,
 * and NULL makes every comparison with the result unknown, so the message does not match whether or not the
 * comparison sits under a {@code NOT}. Floating-point division by zero keeps its Java result (an infinity or NaN),
 * since the specification asks for Java arithmetic and Java defines it.
 */
enum ArithmeticOperator {
    ADD("+"),
    SUBTRACT("-"),
    MULTIPLY("*"),
    DIVIDE("/");

    private final String symbol;

    ArithmeticOperator(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    /** The result for two operands of any selector types, or null when either is not a number. */
    Object apply(Object left, Object right) {
        NumericKind leftKind = NumericKind.of(left);
        NumericKind rightKind = NumericKind.of(right);
        if (leftKind == null || rightKind == null) {
            return null;
        }
        Number l = (Number) left;
        Number r = (Number) right;
        return switch (NumericKind.promote(leftKind, rightKind)) {
            case INT -> applyInt(l.intValue(), r.intValue());
            case LONG -> applyLong(l.longValue(), r.longValue());
            case FLOAT -> applyFloat(l.floatValue(), r.floatValue());
            case DOUBLE -> applyDouble(l.doubleValue(), r.doubleValue());
        };
    }

    private Integer applyInt(int l, int r) {
        return switch (this) {
            case ADD -> l + r;
            case SUBTRACT -> l - r;
            case MULTIPLY -> l * r;
            case DIVIDE -> r == 0 ? null : l / r;
        };
    }

    private Long applyLong(long l, long r) {
        return switch (this) {
            case ADD -> l + r;
            case SUBTRACT -> l - r;
            case MULTIPLY -> l * r;
            case DIVIDE -> r == 0 ? null : l / r;
        };
    }

    private Float applyFloat(float l, float r) {
        return switch (this) {
            case ADD -> l + r;
            case SUBTRACT -> l - r;
            case MULTIPLY -> l * r;
            case DIVIDE -> l / r;
        };
    }

    private Double applyDouble(double l, double r) {
        return switch (this) {
            case ADD -> l + r;
            case SUBTRACT -> l - r;
            case MULTIPLY -> l * r;
            case DIVIDE -> l / r;
        };
    }

    /** Unary minus with Java's unary promotion (Byte and Short become int), or null when not a number. */
    static Object negate(Object value) {
        NumericKind kind = NumericKind.of(value);
        if (kind == null) {
            return null;
        }
        Number n = (Number) value;
        return switch (kind) {
            case INT -> -n.intValue();
            case LONG -> -n.longValue();
            case FLOAT -> -n.floatValue();
            case DOUBLE -> -n.doubleValue();
        };
    }
}
