package io.strand.selector;

/** Unary minus; NULL or a non-numeric operand makes the result NULL. */
final class Negation extends Expression {
    private final Expression operand;

    Negation(Expression operand) {
        this.operand = operand;
    }

    @Override
    Object value(SelectorValues values) {
        return ArithmeticOperator.negate(operand.value(values));
    }
}
