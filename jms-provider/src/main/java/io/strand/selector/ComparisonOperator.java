package io.strand.selector;

/**
 * The comparison operators and the specification's rules for comparing two selector values (§3.8.1.1): numbers
 * of any types compare after Java's numeric promotion; strings and booleans compare only for equality; values of
 * unlike types, and strings or booleans under an ordering operator, make the comparison {@code FALSE}; NULL on
 * either side makes it unknown.
 */
enum ComparisonOperator {
    EQUAL("="),
    NOT_EQUAL("<>"),
    LESS("<"),
    LESS_OR_EQUAL("<="),
    GREATER(">"),
    GREATER_OR_EQUAL(">=");

    private final String symbol;

    ComparisonOperator(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    /** Whether this operator applies to strings and booleans too, not only to numbers. */
    boolean isEquality() {
        return this == EQUAL || this == NOT_EQUAL;
    }

    Truth compare(Object left, Object right) {
        if (left == null || right == null) {
            return Truth.UNKNOWN;
        }
        NumericKind leftKind = NumericKind.of(left);
        NumericKind rightKind = NumericKind.of(right);
        if (leftKind != null && rightKind != null) {
            return Truth.of(compareNumbers((Number) left, (Number) right, NumericKind.promote(leftKind, rightKind)));
        }
        if (isEquality() && (left instanceof String && right instanceof String
                || left instanceof Boolean && right instanceof Boolean)) {
            return Truth.of(left.equals(right) == (this == EQUAL));
        }
        return Truth.FALSE;
    }

    private boolean compareNumbers(Number left, Number right, NumericKind kind) {
        return switch (kind) {
            case INT, LONG -> test(left.longValue(), right.longValue());
            // A float widens to double exactly, so comparing the widened floats is comparing the floats.
            case FLOAT -> test((double) left.floatValue(), (double) right.floatValue());
            case DOUBLE -> test(left.doubleValue(), right.doubleValue());
        };
    }

    private boolean test(long l, long r) {
        return switch (this) {
            case EQUAL -> l == r;
            case NOT_EQUAL -> l != r;
            case LESS -> l < r;
            case LESS_OR_EQUAL -> l <= r;
            case GREATER -> l > r;
            case GREATER_OR_EQUAL -> l >= r;
        };
    }

    /** Java's primitive comparisons, so NaN is unequal to everything and unordered, as in Java. */
    private boolean test(double l, double r) {
        return switch (this) {
            case EQUAL -> l == r;
            case NOT_EQUAL -> l != r;
            case LESS -> l < r;
            case LESS_OR_EQUAL -> l <= r;
            case GREATER -> l > r;
            case GREATER_OR_EQUAL -> l >= r;
        };
    }
}
