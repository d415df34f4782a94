package io.strand.selector;

/**
 * A chain {@code c1 OR c2 OR ...}, held flat so that a long chain evaluates in a loop rather than by recursion.
 * It stops at the first TRUE, which decides the result whatever follows, since evaluation has no side effects.
 */
final class Or extends Condition {
    private final Expression[] operands;

    Or(Expression[] operands) {
        this.operands = operands;
    }

    @Override
    Truth truth(SelectorValues values) {
        Truth result = Truth.FALSE;
        for (Expression operand : operands) {
            result = result.or(operand.truth(values));
            if (result == Truth.TRUE) {
                return Truth.TRUE;
            }
        }
        return result;
    }
}
