package io.strand.selector;

/** A binary arithmetic operation; NULL or a non-numeric operand makes the result NULL. */
final class Arithmetic extends Expression {
    private final ArithmeticOperator operator;
    private final Expression left;
    private final Expression right;

    Arithmetic(ArithmeticOperator operator, Expression left, Expression right) {
        this.operator = operator;
        this.left = left;
        this.right = right;
    }

    @Override
    Object value(SelectorValues values) {
        Object l = left.value(values);
        if (l == null) {
            return null;
        }
        return operator.apply(l, right.value(values));
    }
}
