package io.strand.selector;

/**
 * A chain {@code c1 AND c2 AND ...}, held flat so that a long chain evaluates in a loop rather than by recursion.
 * It stops at the first FALSE, which decides the result whatever follows, since evaluation has no side effects.
 */
final class And extends Condition {
    private final Expression[] operands;

    And(Expression[] operands) {
        this.operands = operands;
    }

    @Override
    Truth truth(SelectorValues values) {
        Truth result = Truth.TRUE;
        for (Expression operand : operands) {
            result = result.and(operand.truth(values));
            if (result == Truth.FALSE) {
                return Truth.FALSE;
            }
        }
        return result;
    }
}
