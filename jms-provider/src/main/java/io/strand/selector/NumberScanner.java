package io.strand.selector;

import jakarta.jms.InvalidSelectorException;
import java.math.BigInteger;

/**
 * Reads one numeric literal in the Java syntax the specification names (§3.8.1.1): exact literals are Java integer
 * literals (decimal, {@code 0x} hexadecimal, {@code 0b} binary or {@code 0} octal, optional {@code L} suffix,
 * underscores between digits) of the range of {@code long}; approximate literals are Java floating-point literals
 * (decimal or hexadecimal, optional exponent, optional {@code F} or {@code D} suffix) of the range of
 * {@code double}.
 *
 * <p>As in Java, a sign is not part of a literal but a unary operator, and an integer literal may exceed the type's
 * maximum by one only under a minus sign: {@code -9223372036854775808} is valid, {@code 9223372036854775808} is not.
 * Hexadecimal, octal and binary literals cover all 64 bits, as Java long literals do ({@code 0xFFFFFFFFFFFFFFFF}
 * is -1). Exact literals are longs even without the {@code L}, since selectors support the whole long range; a
 * literal with an {@code F} suffix is a float, like a float literal in Java.
 */
final class NumberScanner {
    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.ONE.shiftLeft(63);

    private final String source;
    private final int start;
    private int index;

    private NumberScanner(String source, int start) {
        this.source = source;
        this.start = start;
        this.index = start;
    }

    /** Scans the literal starting at {@code start}, which is a digit, or a dot followed by a digit. */
    static Token scan(String source, int start) throws InvalidSelectorException {
        return new NumberScanner(source, start).scan();
    }

    private Token scan() throws InvalidSelectorException {
        if (lookingAtRadixPrefix('x')) {
            return hexadecimal();
        }
        if (lookingAtRadixPrefix('b')) {
            return binary();
        }
        String whole = digits(10);
        boolean floating = false;
        String fraction = "";
        String exponent = "";
        if (peek() == '.') {
            index++;
            floating = true;
            fraction = digits(10);
        }
        if (peek() == 'e' || peek() == 'E') {
            index++;
            floating = true;
            exponent = signedExponent("an exponent");
        }
        char suffix = floatSuffix();
        if (floating || suffix != 0) {
            String text = whole + "." + fraction + (exponent.isEmpty() ? "" : "e" + exponent);
            return finish(TokenType.APPROXIMATE_NUMBER, approximate(text, suffix, hasNonZeroDigit(whole + fraction)));
        }
        skipLongSuffix();
        Object value = whole.length() > 1 && whole.charAt(0) == '0' ? octal(whole) : decimal(whole);
        return finish(TokenType.EXACT_NUMBER, value);
    }

    private Token hexadecimal() throws InvalidSelectorException {
        index += 2;
        String whole = digits(16);
        if (peek() == '.' || peek() == 'p' || peek() == 'P') {
            String fraction = "";
            if (peek() == '.') {
                index++;
                fraction = digits(16);
            }
            if (whole.isEmpty() && fraction.isEmpty()) {
                throw error("hexadecimal literal " + text() + " has no digits");
            }
            if (peek() != 'p' && peek() != 'P') {
                throw error("hexadecimal floating-point literal " + text() + " needs a binary exponent (p)");
            }
            index++;
            String exponent = signedExponent("a binary exponent");
            char suffix = floatSuffix();
            String text = "0x" + whole + "." + fraction + "p" + exponent;
            return finish(TokenType.APPROXIMATE_NUMBER, approximate(text, suffix, hasNonZeroDigit(whole + fraction)));
        }
        if (whole.isEmpty()) {
            throw error("hexadecimal literal " + text() + " has no digits");
        }
        skipLongSuffix();
        return finish(TokenType.EXACT_NUMBER, unsigned(whole, 16));
    }

    private Token binary() throws InvalidSelectorException {
        index += 2;
        String digits = digits(2);
        if (digits.isEmpty()) {
            throw error("binary literal " + text() + " has no digits");
        }
        skipLongSuffix();
        return finish(TokenType.EXACT_NUMBER, unsigned(digits, 2));
    }

    private boolean lookingAtRadixPrefix(char letter) {
        return source.charAt(index) == '0' && index + 1 < source.length()
                && Character.toLowerCase(source.charAt(index + 1)) == letter;
    }

    /**
     * A run of digits of {@code radix} with the underscores removed; empty when there is none. As in Java,
     * underscores may only stand between digits.
     */
    private String digits(int radix) throws InvalidSelectorException {
        int from = index;
        StringBuilder digits = new StringBuilder();
        while (index < source.length()) {
            char c = source.charAt(index);
            if (c == '_' && digits.isEmpty()) {
                throw misplacedUnderscore(index + 1);
            }
            if (c != '_' && !isDigit(c, radix)) {
                break;
            }
            if (c != '_') {
                digits.append(c);
            }
            index++;
        }
        if (index > from && source.charAt(index - 1) == '_') {
            throw misplacedUnderscore(index);
        }
        return digits.toString();
    }

    private InvalidSelectorException misplacedUnderscore(int end) {
        return error("misplaced underscore in numeric literal " + text(end) + " (underscores may only separate digits)");
    }

    /** An exponent after its letter: an optional sign and decimal digits, which must be there. */
    private String signedExponent(String what) throws InvalidSelectorException {
        String sign = "";
        if (peek() == '+' || peek() == '-') {
            sign = String.valueOf(source.charAt(index));
            index++;
        }
        String digits = digits(10);
        if (digits.isEmpty()) {
            throw error(what + " in numeric literal " + text() + " has no digits");
        }
        return sign + digits;
    }

    private char floatSuffix() {
        char c = peek();
        if (c == 'f' || c == 'F' || c == 'd' || c == 'D') {
            index++;
            return Character.toUpperCase(c);
        }
        return 0;
    }

    private void skipLongSuffix() {
        if (peek() == 'l' || peek() == 'L') {
            index++;
        }
    }

    private Object approximate(String text, char suffix, boolean nonZero) throws InvalidSelectorException {
        boolean isFloat = suffix == 'F';
        double value = isFloat ? Float.parseFloat(text) : Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw error("approximate numeric literal " + text() + " is outside the range of "
                    + (isFloat ? "float" : "double"));
        }
        if (value == 0 && nonZero) {
            throw error("approximate numeric literal " + text() + " is too small for a "
                    + (isFloat ? "float" : "double") + " and would round to zero");
        }
        return isFloat ? (Object) (float) value : (Object) value;
    }

    private Object decimal(String digits) throws InvalidSelectorException {
        BigInteger value = new BigInteger(digits);
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        if (value.equals(LONG_MIN_MAGNITUDE)) {
            return value; // valid only under a minus sign, which the parser checks
        }
        throw error("exact numeric literal " + text() + " is outside the range of long");
    }

    private Object octal(String digits) throws InvalidSelectorException {
        for (int i = 0; i < digits.length(); i++) {
            if (!isDigit(digits.charAt(i), 8)) {
                throw error("'" + digits.charAt(i) + "' is not an octal digit in " + text()
                        + " (a leading 0 makes an octal literal)");
            }
        }
        return unsigned(digits, 8);
    }

    private long unsigned(String digits, int radix) throws InvalidSelectorException {
        BigInteger value = new BigInteger(digits, radix);
        if (value.bitLength() > 64) {
            throw error("exact numeric literal " + text() + " is outside the range of long");
        }
        return value.longValue();
    }

    /** The literal must end here: a letter or digit right after it means it is malformed ({@code 12ab}, {@code 1L2}). */
    private Token finish(TokenType type, Object value) throws InvalidSelectorException {
        if (index < source.length() && Character.isJavaIdentifierPart(source.codePointAt(index))) {
            int end = index;
            while (end < source.length() && Character.isJavaIdentifierPart(source.codePointAt(end))) {
                end += Character.charCount(source.codePointAt(end));
            }
            throw error("malformed numeric literal " + text(end));
        }
        return new Token(type, start, text(), value);
    }

    private static boolean hasNonZeroDigit(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c, int radix) {
        return c < 128 && Character.digit(c, radix) >= 0;
    }

    private char peek() {
        return peekAt(index);
    }

    private char peekAt(int i) {
        return i < source.length() ? source.charAt(i) : 0;
    }

    private String text() {
        return text(index);
    }

    private String text(int end) {
        return source.substring(start, Math.min(end, source.length()));
    }

    private InvalidSelectorException error(String problem) {
        return InvalidSelectors.at(source, start, problem);
    }
}
