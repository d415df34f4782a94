package io.strand.selector;

import jakarta.jms.InvalidSelectorException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a selector into tokens. White space is Java's (space, tab, form feed, carriage return, line feed);
 * identifiers follow Java's identifier rules on code points; reserved words are recognised in any letter case; a
 * string literal is quoted with {@code '} and doubles a quote inside.
 */
final class SelectorLexer {
    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int index;

    private SelectorLexer(String source) {
        this.source = source;
    }

    /** The tokens of {@code source}, ending with an {@link TokenType#END} token at its length. */
    static List<Token> tokenize(String source) throws InvalidSelectorException {
        return new SelectorLexer(source).run();
    }

    private List<Token> run() throws InvalidSelectorException {
        while (true) {
            skipWhiteSpace();
            if (index >= source.length()) {
                tokens.add(new Token(TokenType.END, index, "", null));
                return tokens;
            }
            int c = source.codePointAt(index);
            Token token;
            if (c == '\'') {
                token = stringLiteral();
            } else if (isAsciiDigit(c) || c == '.' && index + 1 < source.length()
                    && isAsciiDigit(source.charAt(index + 1))) {
                token = NumberScanner.scan(source, index);
            } else if (Character.isJavaIdentifierStart(c)) {
                token = word();
            } else {
                token = operator(c);
            }
            tokens.add(token);
            index = token.start() + token.text().length();
        }
    }

    private void skipWhiteSpace() {
        while (index < source.length()) {
            char c = source.charAt(index);
            if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') {
                return;
            }
            index++;
        }
    }

    private Token stringLiteral() throws InvalidSelectorException {
        StringBuilder value = new StringBuilder();
        int i = index + 1;
        while (true) {
            int quote = source.indexOf('\'', i);
            if (quote < 0) {
                throw InvalidSelectors.at(source, index, "unterminated string literal (a string ends with ')");
            }
            value.append(source, i, quote);
            if (quote + 1 < source.length() && source.charAt(quote + 1) == '\'') {
                value.append('\'');
                i = quote + 2;
            } else {
                return new Token(TokenType.STRING, index, source.substring(index, quote + 1), value.toString());
            }
        }
    }

    private Token word() {
        int end = index + Character.charCount(source.codePointAt(index));
        while (end < source.length() && Character.isJavaIdentifierPart(source.codePointAt(end))) {
            end += Character.charCount(source.codePointAt(end));
        }
        String text = source.substring(index, end);
        TokenType reserved = TokenType.reservedWord(text);
        return new Token(reserved != null ? reserved : TokenType.IDENTIFIER, index, text, null);
    }

    private Token operator(int c) throws InvalidSelectorException {
        char next = index + 1 < source.length() ? source.charAt(index + 1) : 0;
        return switch (c) {
            case '=' -> symbol(TokenType.EQUAL, 1);
            case '<' -> next == '>' ? symbol(TokenType.NOT_EQUAL, 2)
                    : next == '=' ? symbol(TokenType.LESS_OR_EQUAL, 2)
                    : symbol(TokenType.LESS, 1);
            case '>' -> next == '=' ? symbol(TokenType.GREATER_OR_EQUAL, 2) : symbol(TokenType.GREATER, 1);
            case '+' -> symbol(TokenType.PLUS, 1);
            case '-' -> symbol(TokenType.MINUS, 1);
            case '*' -> symbol(TokenType.TIMES, 1);
            case '/' -> symbol(TokenType.DIVIDE, 1);
            case '(' -> symbol(TokenType.LEFT_PARENTHESIS, 1);
            case ')' -> symbol(TokenType.RIGHT_PARENTHESIS, 1);
            case ',' -> symbol(TokenType.COMMA, 1);
            case '!' -> throw InvalidSelectors.at(source, index, next == '='
                    ? "'!=' is not a selector operator (not-equal is written <>)"
                    : "'!' is not a selector operator (negation is written NOT)");
            case '"' -> throw InvalidSelectors.at(source, index,
                    "unexpected '\"' (string literals are enclosed in single quotes)");
            default -> throw InvalidSelectors.at(source, index, "unexpected character " + describe(c));
        };
    }

    private Token symbol(TokenType type, int length) {
        return new Token(type, index, source.substring(index, index + length), null);
    }

    /** A character as an error message shows it: itself when printable, else its code point. */
    private static String describe(int c) {
        String code = String.format("U+%04X", c);
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> code;
            default -> "'" + new String(Character.toChars(c)) + "' (" + code + ")";
        };
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
