package io.strand.selector;

/**
 * {@code identifier [NOT] LIKE 'pattern' [ESCAPE 'c']}. NULL is unknown. A value that is not a string is a
 * comparison of unlike types, FALSE for LIKE, and NOT LIKE is its negation, as NOT IN is for IN.
 */
final class Like extends Condition {
    private final boolean negated;
    private final IdentifierReference identifier;
    private final LikePattern pattern;

    Like(boolean negated, IdentifierReference identifier, LikePattern pattern) {
        this.negated = negated;
        this.identifier = identifier;
        this.pattern = pattern;
    }

    @Override
    Truth truth(SelectorValues values) {
        Object value = identifier.value(values);
        if (value == null) {
            return Truth.UNKNOWN;
        }
        boolean matched = value instanceof String s && pattern.matches(s);
        return Truth.of(matched != negated);
    }
}
