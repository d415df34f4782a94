package io.strand.selector;

/** {@code left op right} for one of {@code = <> < <= > >=}; the rules are in {@link ComparisonOperator}. */
final class Comparison extends Condition {
    private final ComparisonOperator operator;
    private final Expression left;
    private final Expression right;

    Comparison(ComparisonOperator operator, Expression left, Expression right) {
        this.operator = operator;
        this.left = left;
        this.right = right;
    }

    @Override
    Truth truth(SelectorValues values) {
        return operator.compare(left.value(values), right.value(values));
    }
}
