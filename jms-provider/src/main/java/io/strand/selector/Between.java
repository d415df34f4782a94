package io.strand.selector;

/**
 * {@code value [NOT] BETWEEN low AND high}, exactly as the specification defines it: {@code value >= low AND
 * value <= high}, and for NOT BETWEEN {@code value < low OR value > high}. The operand is evaluated once.
 * Following the definition literally, a bound whose value is NULL does not always make the result unknown
 * ({@code a BETWEEN x AND 10} is FALSE for a = 20 and x NULL, since 20 <= 10 is FALSE), and an operand of an
 * unlike type makes both forms FALSE.
 */
final class Between extends Condition {
    private final boolean negated;
    private final Expression operand;
    private final Expression low;
    private final Expression high;

    Between(boolean negated, Expression operand, Expression low, Expression high) {
        this.negated = negated;
        this.operand = operand;
        this.low = low;
        this.high = high;
    }

    @Override
    Truth truth(SelectorValues values) {
        Object value = operand.value(values);
        Object lowValue = low.value(values);
        Object highValue = high.value(values);
        if (negated) {
            return ComparisonOperator.LESS.compare(value, lowValue)
                    .or(ComparisonOperator.GREATER.compare(value, highValue));
        }
        return ComparisonOperator.GREATER_OR_EQUAL.compare(value, lowValue)
                .and(ComparisonOperator.LESS_OR_EQUAL.compare(value, highValue));
    }
}
