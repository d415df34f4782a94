package io.strand.selector;

import java.util.Set;

/**
 * {@code identifier [NOT] IN ('a', 'b', ...)}. The specification defines IN as equality with any of the strings,
 * and NOT IN as its negation; so NULL is unknown, and a value that is not a string (which no string equals) is
 * FALSE for IN and TRUE for NOT IN.
 */
final class InList extends Condition {
    private final boolean negated;
    private final IdentifierReference identifier;
    private final Set<String> strings;

    InList(boolean negated, IdentifierReference identifier, Set<String> strings) {
        this.negated = negated;
        this.identifier = identifier;
        this.strings = strings;
    }

    @Override
    Truth truth(SelectorValues values) {
        Object value = identifier.value(values);
        if (value == null) {
            return Truth.UNKNOWN;
        }
        boolean found = value instanceof String s && strings.contains(s);
        return Truth.of(found != negated);
    }
}
