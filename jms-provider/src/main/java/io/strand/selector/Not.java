package io.strand.selector;

/** {@code NOT condition}: swaps TRUE and FALSE, keeps unknown. */
final class Not extends Condition {
    private final Expression operand;

    Not(Expression operand) {
        this.operand = operand;
    }

    @Override
    Truth truth(SelectorValues values) {
        return operand.truth(values).not();
    }
}
