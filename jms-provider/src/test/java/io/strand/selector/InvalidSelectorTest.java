package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.invalid;
import static io.strand.selector.Selectors.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed selectors are {@link jakarta.jms.InvalidSelectorException}s that name the problem and its 1-based
 * position; blank ones are not selectors at all.
 */
class InvalidSelectorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a = | 4 | the selector ends where an operand was expected",
            "a = 'abc | 5 | unterminated string literal",
            "a = 'it''s | 5 | unterminated string literal",
            "(a = 1 | 7 | expected ')' to close the parenthesis opened as character 1, but found the end of the selector",
            "((a = 1) OR (b = 2) | 20 | expected ')' to close the parenthesis opened as character 1",
            "a = 1) | 6 | unexpected ')' (expected AND, OR or the end of the selector)",
            "a = 1 b = 2 | 7 | unexpected identifier b",
            "a = 1 AND | 10 | the selector ends where an operand was expected",
            "a = 1 AND OR b | 11 | expected an operand but found OR",
            "AND a = 1 | 1 | expected an operand but found AND",
            "a # 1 | 3 | unexpected character '#' (U+0023)",
            "a = 1 \u00A0 | 7 | unexpected character U+00A0",
            "a = 1 ; | 7 | unexpected character ';'",
            "a = \"x\" | 5 | string literals are enclosed in single quotes",
            "x > 1 AND 'abc' | 11 | AND needs conditions as operands, but this is a string",
            "1 OR x | 1 | OR needs conditions as operands, but this is a number",
            "NOT 5 | 5 | NOT needs conditions as operands, but this is a number",
            "NOT - a | 5 | NOT needs conditions as operands, but this is a number",
            "x = NULL | 5 | NULL may only appear in IS NULL or IS NOT NULL",
            "NULL | 1 | NULL may only appear in IS NULL or IS NOT NULL",
            "() | 2 | expected an operand but found ')'",
            "a IN ('x') = TRUE | 12 | comparisons do not chain",
            "a -- comment | 1 | a selector must be a condition, but this is a number",
            "a = 1 /* x */ | 8 | expected an operand but found '*'",
    })
    void errorsNameTheProblemAndItsPosition(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }

    @Test
    void positionsCountCharactersNotUtf16Units() {
        // The emoji is two UTF-16 units but one character: '#' is the 13th character.
        assertInvalid("s = '😀' AND #", 13, "unexpected character '#'");
        assertInvalid("😀 = 1", 1, "unexpected character '😀' (U+1F600)");
        assertInvalid("\uD835\uDCB3 = 1 AND \uD835\uDCB3 = ", 15, "the selector ends where an operand was expected");
    }

    @Test
    void whiteSpaceIsJavas() {
        assertThat(matches("\ta\n=\r1\f\r\nAND  b = 2 ", "a", 1, "b", 2)).isTrue();
        assertInvalid("a =\u2003 1", 4, "unexpected character U+2003");
        assertInvalid("a =\u000B1", 4, "unexpected character U+000B");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t\n", "\r\n \f"})
    void aBlankSelectorIsNoSelector(String blank) {
        assertThatThrownBy(() -> MessageSelector.parse(blank))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank selector means no selector");
    }

    @Test
    void nestingIsBoundedSoParsingCannotExhaustTheStack() {
        String hundred = "(".repeat(100) + "a = 1" + ")".repeat(100);
        assertThat(matches(hundred, "a", 1)).isTrue();
        assertInvalid("(".repeat(101) + "a = 1" + ")".repeat(101), 101, "nests parentheses, NOT and signs more than 100");
        assertThat(matches("NOT ".repeat(100) + "a", "a", true)).isTrue();
        assertInvalid("NOT ".repeat(101) + "a", 401, "more than 100 levels deep");
        assertThat(matches("a = " + "-".repeat(100) + "1", "a", 1)).isTrue();
        invalid("a = " + "-".repeat(101) + "1");
        assertThat(invalid("(".repeat(100_000)).getMessage()).endsWith(" at position 101");
    }

    @Test
    void depthIsBoundedSoEvaluationCannotExhaustTheStack() {
        String sum = "a" + " + 1".repeat(998) + " = 999";
        assertThat(matches(sum, "a", 1)).isTrue();
        assertInvalid("a" + " + 1".repeat(1_000) + " = 1001", 1, "nests more than 1000 operations inside one another");
    }

    @Test
    void longAndOrChainsAreFlatAndUnbounded() {
        StringBuilder or = new StringBuilder("a = 0");
        StringBuilder and = new StringBuilder("a <> 0");
        for (int i = 1; i < 20_000; i++) {
            or.append(" OR a = ").append(i);
            and.append(" AND a <> ").append(i);
        }
        assertThat(matches(or.toString(), "a", 19_999)).isTrue();
        assertThat(matches(or.toString(), "a", 20_000)).isFalse();
        assertThat(matches(and.toString(), "a", 20_000)).isTrue();
        assertThat(matches(and.toString(), "a", 7)).isFalse();
    }
}
