package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.evaluate;
import static io.strand.selector.Selectors.matches;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.Selectors.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Arithmetic (§3.8.1.1): precedence, Java numeric promotion, division, and NULL or non-numeric operands. */
class ArithmeticTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "2 + 3 * 4 = 14",
            "(2 + 3) * 4 = 20",
            "2 * 3 + 4 = 10",
            "10 - 4 - 3 = 3",
            "10 - (4 - 3) = 9",
            "100 / 10 / 5 = 2",
            "100 / (10 / 5) = 50",
            "-2 * -3 = 6",
            "- - 5 = 5",
            "-(2 + 3) = -5",
            "+(2 + 3) = 5",
            "-3 / 2 = -1",
            "7 / 2 = 3",
            "-7 / 2 = -3",
            "7 / 2.0 = 3.5",
            "7.0 / 2 = 3.5",
            "1 + 2 * 3 - 4 / 2 = 5",
            "2 * 3 > 5 AND 2 + 3 < 6",
            "9223372036854775807 + 1 = -9223372036854775808",
            "-9223372036854775808 / -1 = -9223372036854775808",
            "-9223372036854775808 - 1 = 9223372036854775807",
            "0.1 + 0.2 <> 0.3",
            "1 / 0.0 > 1.7976931348623157E308",
            "-1 / 0.0 < -1.7976931348623157E308",
    })
    void arithmeticFollowsPrecedenceAndJavaSemantics(String selector) {
        assertThat(matches(selector)).as(selector).isTrue();
    }

    @Test
    void identifiersTakePartInArithmetic() {
        assertThat(matches("a * 2 + b = 13", "a", 5, "b", 3L)).isTrue();
        assertThat(matches("-a = -5", "a", 5)).isTrue();
        assertThat(matches("+a = 5", "a", (byte) 5)).isTrue();
        assertThat(matches("a + 0.5 = 5.5", "a", 5L)).isTrue();
        assertThat(matches("(userid + 10000) / (callerid - 10000) < 1.0", "userid", 1, "callerid", 20_002)).isTrue();
    }

    @Test
    void twoIntValuesAddAsIntAndWrapAsInJava() {
        assertThat(matches("i + one < 0", "i", Integer.MAX_VALUE, "one", 1)).isTrue();
        assertThat(matches("i * i = 0", "i", 65_536)).isTrue();
        // A literal is a long, so the same sum with a literal does not wrap.
        assertThat(matches("i + 1 = 2147483648", "i", Integer.MAX_VALUE)).isTrue();
        // Unary minus of Integer.MIN_VALUE is itself in int arithmetic.
        assertThat(matches("-i = i", "i", Integer.MIN_VALUE)).isTrue();
        assertThat(matches("-i = i", "i", Long.MIN_VALUE)).isTrue();
        assertThat(matches("-i = 2147483648", "i", (long) Integer.MIN_VALUE)).isTrue();
    }

    @Test
    void bytesAndShortsWidenToInt() {
        assertThat(matches("b + b = 200", "b", (byte) 100)).isTrue();
        assertThat(matches("s * s = 1073676289", "s", Short.MAX_VALUE)).isTrue();
        assertThat(matches("-b = 128", "b", Byte.MIN_VALUE)).isTrue();
    }

    @Test
    void floatsComputeInFloat() {
        float f = 0.1f;
        assertThat(matches("f + f = expected", "f", f, "expected", f + f)).isTrue();
        assertThat(matches("f * 3 = expected", "f", f, "expected", f * 3L)).isTrue();
        assertThat(matches("f * 3 = expected", "f", f, "expected", 0.1d * 3)).isFalse();
        assertThat(matches("f + d = expected", "f", f, "d", 0.2d, "expected", (double) f + 0.2d)).isTrue();
        assertThat(matches("l / f = expected", "l", 10L, "f", 4f, "expected", 2.5f)).isTrue();
    }

    @Test
    void integerDivisionByZeroIsUnknown() {
        assertThat(evaluate("a / 0 = 1", "a", 5)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a / 0 <> 1", "a", 5)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a / z > 0", "a", 5L, "z", 0)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a / z > 0", "a", 5, "z", (short) 0)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("1 / 0 = 1")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a / 0 = 1 OR a = 5", "a", 5)).isEqualTo(Result.TRUE);
        assertThat(evaluate("(a / 0) * 0 = 0", "a", 5)).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void floatingPointDivisionByZeroIsJavaDivision() {
        assertThat(matches("a / 0.0 > 1e308", "a", 5)).isTrue();
        assertThat(matches("d / 0 > 1e308", "d", 2.5)).isTrue();
        assertThat(matches("f / z < -1e38", "f", -1f, "z", 0)).isTrue();
        // 0/0 is NaN, which equals nothing, not even itself.
        assertThat(evaluate("d / 0 = d / 0", "d", 0.0)).isEqualTo(Result.FALSE);
        assertThat(evaluate("d / 0 <> d / 0", "d", 0.0)).isEqualTo(Result.TRUE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "x + 1 = 2 | null",
            "1 + x = 2 | null",
            "x * 0 = 0 | null",
            "-x = 0 | null",
            "x + 1 = 2 | 1",
            "1 + x = 2 | 1",
            "-x = -1 | 1",
            "+x = 1 | 1",
            "x / 1 = 1 | 1",
    })
    void nullOrStringOperandsMakeArithmeticNull(String selector, String stringValue) {
        assertThat(evaluate(selector, "x", stringValue)).as(selector).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void booleanOperandsMakeArithmeticNull() {
        assertThat(evaluate("b + 1 = 2", "b", true)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("-b = 0", "b", false)).isEqualTo(Result.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "'abc' + 1 > 0 | 1 | '+' needs numeric operands, but this is a string",
            "1 + 'abc' > 0 | 5 | '+' needs numeric operands, but this is a string",
            "a * TRUE > 0 | 5 | '*' needs numeric operands, but this is a boolean value",
            "-'a' = 1 | 2 | unary '-' needs a numeric operand, but this is a string",
            "+FALSE = 1 | 2 | unary '+' needs a numeric operand",
            "(a > 1) + 1 > 0 | 1 | '+' needs numeric operands, but this is a boolean value",
            "5 + 3 | 1 | a selector must be a condition, but this is a number",
            "a + 1 | 1 | a selector must be a condition, but this is a number",
            "-a | 1 | a selector must be a condition, but this is a number",
            "(5) | 1 | a selector must be a condition, but this is a number",
            "'yes' | 1 | a selector must be a condition, but this is a string",
    })
    void typeErrorsVisibleWithoutAMessageAreInvalid(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }
}
