package io.strand.selector;

/** {@code identifier IS [NOT] NULL}: never unknown, it turns a missing value into TRUE or FALSE. */
final class IsNull extends Condition {
    private final boolean negated;
    private final IdentifierReference identifier;

    IsNull(boolean negated, IdentifierReference identifier) {
        this.negated = negated;
        this.identifier = identifier;
    }

    @Override
    Truth truth(SelectorValues values) {
        return Truth.of((identifier.value(values) == null) != negated);
    }
}
