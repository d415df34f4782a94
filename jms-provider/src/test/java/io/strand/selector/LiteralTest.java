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

/** Literals (§3.8.1.1): strings, exact and approximate numbers in Java syntax, TRUE and FALSE. */
class LiteralTest {

    @Test
    void stringLiteralsDoubleTheirQuotes() {
        assertThat(matches("s = 'literal'", "s", "literal")).isTrue();
        assertThat(matches("s = 'literal''s'", "s", "literal's")).isTrue();
        assertThat(matches("s = ''''", "s", "'")).isTrue();
        assertThat(matches("s = ''", "s", "")).isTrue();
        assertThat(matches("s = ''", "s", " ")).isFalse();
    }

    @Test
    void stringLiteralsHoldAnyCharacterVerbatim() {
        assertThat(matches("s = 'héllo ✓ 😀 日本'", "s", "héllo ✓ 😀 日本")).isTrue();
        assertThat(matches("s = 'a AND b OR NOT c'", "s", "a AND b OR NOT c")).isTrue();
        assertThat(matches("s = 'line\nbreak\ttab'", "s", "line\nbreak\ttab")).isTrue();
        assertThat(matches("s = '\\n'", "s", "\\n")).as("no backslash escapes").isTrue();
        assertThat(matches("s = '\"'", "s", "\"")).isTrue();
    }

    @Test
    void stringsCompareCaseSensitively() {
        assertThat(matches("s = 'Car'", "s", "car")).isFalse();
        assertThat(matches("s <> 'Car'", "s", "car")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "57 | 57",
            "-957 | -957",
            "+62 | 62",
            "- 5 | -5",
            "0 | 0",
            "57L | 57",
            "57l | 57",
            "1_000_000 | 1000000",
            "0x1F | 31",
            "0X1f | 31",
            "0xFFFF_FFFF | 4294967295",
            "017 | 15",
            "0_17 | 15",
            "00 | 0",
            "0b101 | 5",
            "0B1_0_1L | 5",
            "9223372036854775807 | 9223372036854775807",
            "-9223372036854775808 | -9223372036854775808",
            "0x7FFFFFFFFFFFFFFF | 9223372036854775807",
            "0x8000000000000000 | -9223372036854775808",
            "0xFFFFFFFFFFFFFFFFL | -1",
            "-0x8000000000000000 | -9223372036854775808",
            "01777777777777777777777 | -1",
            "0b1111111111111111111111111111111111111111111111111111111111111111 | -1",
    })
    void exactLiteralsFollowJavaIntegerSyntaxAsLongs(String literal, long value) {
        assertThat(matches("x = " + literal, "x", value)).as(literal).isTrue();
        assertThat(matches("x = " + literal, "x", value + 1)).as(literal).isFalse();
    }

    @Test
    void exactLiteralsAreLongsEvenWithoutTheSuffix() {
        // An int property plus a literal is long arithmetic: it does not wrap at the int range.
        assertThat(matches("i + 2147483647 = 2147483648", "i", 1)).isTrue();
        assertThat(matches("4294967296 > 0")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "9223372036854775808 | 1",
            "a = 9223372036854775808 | 5",
            "a = -9223372036854775809 | 6",
            "a = 99999999999999999999 | 5",
            "a = 0x1_0000_0000_0000_0000 | 5",
            "a = 0b11111111111111111111111111111111111111111111111111111111111111111 | 5",
            "a = 02000000000000000000000 | 5",
            "a = 1 - 9223372036854775808 | 9",
    })
    void exactLiteralsOutsideTheLongRangeAreInvalid(String selector, int position) {
        assertInvalid(selector, position, "outside the range of long");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "7E3 | 7000",
            "7e3 | 7000",
            "-57.9E2 | -5790",
            "7. | 7",
            "-95.7 | -95.7",
            "+6.2 | 6.2",
            ".5 | 0.5",
            "1e-3 | 0.001",
            "1E+3 | 1000",
            "7.e1 | 70",
            "1_0.2_5 | 10.25",
            "1d | 1",
            "2.5D | 2.5",
            "09.5 | 9.5",
            "0x1.8p1 | 3",
            "0x.8P1 | 1",
            "0x1p-2 | 0.25",
            "1.7976931348623157E308 | 1.7976931348623157E308",
            "4.9e-324 | 4.9e-324",
            "0e-400 | 0",
    })
    void approximateLiteralsFollowJavaFloatingPointSyntaxAsDoubles(String literal, double value) {
        assertThat(matches("x = " + literal, "x", value)).as(literal).isTrue();
    }

    @Test
    void aFloatSuffixMakesAFloatLiteral() {
        assertThat(matches("x = 0.1F", "x", 0.1f)).isTrue();
        assertThat(matches("x = 0.1f", "x", (double) 0.1f)).isTrue();
        // As in Java, the double 0.1 is not the float 0.1 widened.
        assertThat(matches("x = 0.1", "x", 0.1f)).isFalse();
        assertThat(matches("x = 0.1", "x", 0.1d)).isTrue();
        assertThat(matches("x = 3f", "x", 3)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x = 1e309 | 5 | outside the range of double",
            "x = 3.5e38f | 5 | outside the range of float",
            "x = 1e-400 | 5 | round to zero",
            "x = 1e-50f | 5 | round to zero",
            "x = 1e | 5 | exponent",
            "x = 1e+ | 5 | exponent",
            "x = 0x1.8 | 5 | binary exponent",
            "x = 0x | 5 | no digits",
            "x = 0b | 5 | no digits",
            "x = 0x.p1 | 5 | no digits",
            "x = 09 | 5 | octal",
            "x = 1_ | 5 | underscore",
            "x = 1_.5 | 5 | underscore",
            "x = 1._5 | 5 | underscore",
            "x = 0x_1 | 5 | underscore",
            "x = 12ab | 5 | malformed numeric literal 12ab",
            "x = 1L2 | 5 | malformed",
            "x = 0b102 | 5 | malformed",
            "x = 1e5L | 5 | malformed",
            "x = 1.5.5 | 8 | unexpected number .5",
    })
    void malformedNumbersAreInvalid(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }

    @Test
    void booleanLiteralsInAnyCase() {
        assertThat(matches("TRUE")).isTrue();
        assertThat(matches("true")).isTrue();
        assertThat(matches("tRuE")).isTrue();
        assertThat(matches("FALSE")).isFalse();
        assertThat(evaluate("false")).isEqualTo(Result.FALSE);
        assertThat(matches("b = TRUE", "b", true)).isTrue();
        assertThat(matches("b = false", "b", false)).isTrue();
        assertThat(matches("b <> FALSE", "b", true)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRUE = TRUE", "FALSE <> TRUE", "'a' = 'a'", "'a' <> 'b'", "1 = 1.0", "2 > 1"})
    void literalsCompareWithLiterals(String selector) {
        assertThat(matches(selector)).isTrue();
    }
}
