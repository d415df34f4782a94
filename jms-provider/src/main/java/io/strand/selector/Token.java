package io.strand.selector;

/**
 * One token of a selector: its type, where it starts (a UTF-16 index into the selector), its source text, and for
 * literals their value.
 */
record Token(TokenType type, int start, String text, Object value) {

    /** How an error message names this token. */
    String describe() {
        return switch (type) {
            case END -> "the end of the selector";
            case IDENTIFIER -> "identifier " + text;
            case STRING -> "string literal " + text;
            case EXACT_NUMBER, APPROXIMATE_NUMBER -> "number " + text;
            default -> type.isReservedWord() ? type.name() : "'" + text + "'";
        };
    }
}
