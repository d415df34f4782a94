package io.strand.selector;

/**
 * Unary plus on an identifier. It leaves a number as it is but, being arithmetic, turns a string or boolean into
 * NULL, so {@code +s = 'x'} is unknown rather than a string comparison.
 */
final class UnaryPlus extends Expression {
    private final Expression operand;

    UnaryPlus(Expression operand) {
        this.operand = operand;
    }

    @Override
    Object value(SelectorValues values) {
        Object value = operand.value(values);
        return NumericKind.of(value) != null ? value : null;
    }
}
