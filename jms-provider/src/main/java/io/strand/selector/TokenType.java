package io.strand.selector;

/** The kinds of token in a selector. */
enum TokenType {
    IDENTIFIER,
    STRING,
    /** An exact numeric literal; its value is a Long, or the BigInteger 2^63 that only a minus sign makes valid. */
    EXACT_NUMBER,
    /** An approximate numeric literal; its value is a Double, or a Float when written with an F suffix. */
    APPROXIMATE_NUMBER,
    NULL,
    TRUE,
    FALSE,
    NOT,
    AND,
    OR,
    BETWEEN,
    LIKE,
    IN,
    IS,
    ESCAPE,
    EQUAL,
    NOT_EQUAL,
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL,
    PLUS,
    MINUS,
    TIMES,
    DIVIDE,
    LEFT_PARENTHESIS,
    RIGHT_PARENTHESIS,
    COMMA,
    END;

    /**
     * The reserved word spelled by {@code word} in any letter case, or null. Only ASCII letters fold, so that no
     * other alphabet's case mapping (a dotless i upper-cases to I) turns an identifier into a reserved word.
     */
    static TokenType reservedWord(String word) {
        if (word.length() < 2 || word.length() > 7) {
            return null;
        }
        char[] upper = new char[word.length()];
        for (int i = 0; i < upper.length; i++) {
            char c = word.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - 'a' + 'A');
            } else if (c < 'A' || c > 'Z') {
                return null;
            }
            upper[i] = c;
        }
        return switch (new String(upper)) {
            case "NULL" -> NULL;
            case "TRUE" -> TRUE;
            case "FALSE" -> FALSE;
            case "NOT" -> NOT;
            case "AND" -> AND;
            case "OR" -> OR;
            case "BETWEEN" -> BETWEEN;
            case "LIKE" -> LIKE;
            case "IN" -> IN;
            case "IS" -> IS;
            case "ESCAPE" -> ESCAPE;
            default -> null;
        };
    }

    boolean isReservedWord() {
        return compareTo(NULL) >= 0 && compareTo(ESCAPE) <= 0;
    }

    /** The comparison operator this token stands for, or null. */
    ComparisonOperator comparisonOperator() {
        return switch (this) {
            case EQUAL -> ComparisonOperator.EQUAL;
            case NOT_EQUAL -> ComparisonOperator.NOT_EQUAL;
            case LESS -> ComparisonOperator.LESS;
            case LESS_OR_EQUAL -> ComparisonOperator.LESS_OR_EQUAL;
            case GREATER -> ComparisonOperator.GREATER;
            case GREATER_OR_EQUAL -> ComparisonOperator.GREATER_OR_EQUAL;
            default -> null;
        };
    }
}
