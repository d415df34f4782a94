package io.strand.selector;

/** A literal, or arithmetic on literals folded when the selector was compiled. */
final class Constant extends Expression {
    private final Object value;
    private final Truth truth;

    Constant(Object value) {
        this.value = value;
        this.truth = Truth.ofValue(value);
    }

    Object constantValue() {
        return value;
    }

    @Override
    Object value(SelectorValues values) {
        return value;
    }

    @Override
    Truth truth(SelectorValues values) {
        return truth;
    }
}
