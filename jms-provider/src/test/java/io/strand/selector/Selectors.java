package io.strand.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jakarta.jms.InvalidSelectorException;
import java.util.HashMap;
import java.util.Map;

/** Test helpers: evaluate a selector to its three-valued result, and catch the errors of invalid ones. */
final class Selectors {
    /** The outcome of a selector as a three-valued result, observed through {@code matches} of it and its negation. */
    enum Result { TRUE, FALSE, UNKNOWN }

    private Selectors() {
    }

    /** Alternating names and values; values may be null. */
    static Map<String, Object> values(Object... namesAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return values;
    }

    static boolean matches(String selector, Object... namesAndValues) {
        return matches(selector, values(namesAndValues));
    }

    static boolean matches(String selector, Map<String, Object> values) {
        try {
            return MessageSelector.parse(selector).matches(values::get);
        } catch (InvalidSelectorException e) {
            throw new AssertionError("selector should be valid: " + selector, e);
        }
    }

    /**
     * TRUE when the selector matches, FALSE when its negation does, UNKNOWN when neither does (SQL NULL): the
     * specification's NOT table makes exactly one of these hold.
     */
    static Result evaluate(String selector, Object... namesAndValues) {
        return evaluate(selector, values(namesAndValues));
    }

    static Result evaluate(String selector, Map<String, Object> values) {
        boolean matches = matches(selector, values);
        boolean negationMatches = matches("NOT (" + selector + ")", values);
        assertThat(matches && negationMatches).as("%s and its negation both match", selector).isFalse();
        return matches ? Result.TRUE : negationMatches ? Result.FALSE : Result.UNKNOWN;
    }

    /** The exception for a selector that must be invalid. */
    static InvalidSelectorException invalid(String selector) {
        InvalidSelectorException e = catchThrowableOfType(InvalidSelectorException.class,
                () -> MessageSelector.parse(selector));
        assertThat(e).as("selector should be invalid: %s", selector).isNotNull();
        return e;
    }

    static void assertInvalid(String selector, int position, String problem) {
        assertThat(invalid(selector).getMessage())
                .as("error for %s", selector)
                .contains(problem)
                .endsWith(" at position " + position);
    }
}
