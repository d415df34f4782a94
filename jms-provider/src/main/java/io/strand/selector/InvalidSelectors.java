package io.strand.selector;

import jakarta.jms.InvalidSelectorException;

/** Builds the exceptions for malformed selectors, all naming the problem and where it is. */
final class InvalidSelectors {
    private InvalidSelectors() {
    }

    /**
     * An {@link InvalidSelectorException} for {@code problem} found at UTF-16 {@code index} of {@code source}
     * (the length of the source for its end). The position shown is 1-based and counts characters as a reader does,
     * so a character outside the Basic Multilingual Plane counts once.
     */
    static InvalidSelectorException at(String source, int index, String problem) {
        return new InvalidSelectorException(problem + " at position " + position(source, index));
    }

    /** The 1-based character position of UTF-16 {@code index} in {@code source}. */
    static int position(String source, int index) {
        return source.codePointCount(0, Math.min(index, source.length())) + 1;
    }
}
