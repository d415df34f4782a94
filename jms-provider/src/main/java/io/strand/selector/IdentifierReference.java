package io.strand.selector;

/** An identifier: a header field or property, read from the {@link SelectorValues} on every evaluation. */
final class IdentifierReference extends Expression {
    private final String name;

    IdentifierReference(String name) {
        this.name = name;
    }

    @Override
    Object value(SelectorValues values) {
        Object value = values.valueOf(name);
        return isSelectorType(value) ? value : null;
    }

    /** Values of other types (a Character, a byte array, ...) are not selector values and count as NULL. */
    private static boolean isSelectorType(Object value) {
        return value instanceof String || value instanceof Boolean || NumericKind.of(value) != null;
    }
}
