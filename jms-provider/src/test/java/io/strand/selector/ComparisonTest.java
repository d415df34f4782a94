package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.evaluate;
import static io.strand.selector.Selectors.matches;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.Selectors.Result;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Comparisons (§3.8.1.1): numbers of any types after Java promotion, strings and booleans for equality only, unlike
 * types FALSE, NULL unknown.
 */
class ComparisonTest {
    private static final List<Object> ONES = List.of((byte) 1, (short) 1, 1, 1L, 1f, 1d);
    private static final List<Object> TWOS = List.of((byte) 2, (short) 2, 2, 2L, 2f, 2d);

    @Test
    void numbersOfEveryTypeCompareWithEachOther() {
        for (Object one : ONES) {
            for (Object two : TWOS) {
                String types = one.getClass().getSimpleName() + " vs " + two.getClass().getSimpleName();
                assertThat(evaluate("one = two", "one", one, "two", two)).as(types).isEqualTo(Result.FALSE);
                assertThat(evaluate("one <> two", "one", one, "two", two)).as(types).isEqualTo(Result.TRUE);
                assertThat(evaluate("one < two", "one", one, "two", two)).as(types).isEqualTo(Result.TRUE);
                assertThat(evaluate("one <= two", "one", one, "two", two)).as(types).isEqualTo(Result.TRUE);
                assertThat(evaluate("one > two", "one", one, "two", two)).as(types).isEqualTo(Result.FALSE);
                assertThat(evaluate("one >= two", "one", one, "two", two)).as(types).isEqualTo(Result.FALSE);
                assertThat(evaluate("two - one = one", "one", one, "two", two)).as(types).isEqualTo(Result.TRUE);
            }
            for (Object other : ONES) {
                assertThat(matches("a = b AND a <= b AND a >= b", "a", one, "b", other)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x = 5 | 5 | TRUE",
            "x = 5 | 6 | FALSE",
            "x <> 5 | 6 | TRUE",
            "x <> 5 | 5 | FALSE",
            "x < 5 | 4 | TRUE",
            "x < 5 | 5 | FALSE",
            "x <= 5 | 5 | TRUE",
            "x <= 5 | 6 | FALSE",
            "x > 5 | 6 | TRUE",
            "x > 5 | 5 | FALSE",
            "x >= 5 | 5 | TRUE",
            "x >= 5 | 4 | FALSE",
            "5 < x | 6 | TRUE",
            "x = 5.0 | 5 | TRUE",
            "x < 5.5 | 5 | TRUE",
    })
    void everyComparisonOperator(String selector, long x, Result expected) {
        assertThat(evaluate(selector, "x", x)).as(selector).isEqualTo(expected);
    }

    @Test
    void promotionIsJavas() {
        // long and float compare as float, where 2^24 + 1 rounds to 2^24.
        assertThat(matches("l = f", "l", 16_777_217L, "f", 16_777_216f)).isTrue();
        assertThat(matches("l = 16777216.0", "l", 16_777_217L)).isFalse();
        // long and double compare as double, where 2^53 + 1 rounds to 2^53.
        assertThat(matches("l = 9007199254740992.0", "l", 9_007_199_254_740_993L)).isTrue();
        assertThat(matches("l = 9007199254740992", "l", 9_007_199_254_740_993L)).isFalse();
        assertThat(matches("9223372036854775807 > 9223372036854775806")).isTrue();
        assertThat(matches("x = -0.0", "x", 0.0)).isTrue();
    }

    @Test
    void nanAndInfinitiesCompareAsInJava() {
        for (Object nan : List.of(Double.NaN, Float.NaN)) {
            assertThat(evaluate("n = n", "n", nan)).isEqualTo(Result.FALSE);
            assertThat(evaluate("n <> n", "n", nan)).isEqualTo(Result.TRUE);
            assertThat(evaluate("n < 1", "n", nan)).isEqualTo(Result.FALSE);
            assertThat(evaluate("n >= 1", "n", nan)).isEqualTo(Result.FALSE);
        }
        assertThat(matches("x > 1e308 AND y < -1e308", "x", Double.POSITIVE_INFINITY, "y", Float.NEGATIVE_INFINITY))
                .isTrue();
    }

    @Test
    void stringsCompareForEqualityOnly() {
        assertThat(evaluate("s = 'abc'", "s", "abc")).isEqualTo(Result.TRUE);
        assertThat(evaluate("s <> 'abc'", "s", "abd")).isEqualTo(Result.TRUE);
        assertThat(evaluate("s = t", "s", "x", "t", "x")).isEqualTo(Result.TRUE);
        assertThat(evaluate("s = t", "s", "x", "t", "X")).isEqualTo(Result.FALSE);
        // Ordering two string values is not a valid comparison, so it is FALSE.
        assertThat(evaluate("s < t", "s", "a", "t", "b")).isEqualTo(Result.FALSE);
        assertThat(evaluate("s >= t", "s", "a", "t", "a")).isEqualTo(Result.FALSE);
    }

    @Test
    void booleansCompareForEqualityOnly() {
        assertThat(evaluate("b = TRUE", "b", true)).isEqualTo(Result.TRUE);
        assertThat(evaluate("b = FALSE", "b", true)).isEqualTo(Result.FALSE);
        assertThat(evaluate("b <> c", "b", true, "c", false)).isEqualTo(Result.TRUE);
        assertThat(evaluate("b > c", "b", true, "c", false)).isEqualTo(Result.FALSE);
    }

    @Test
    void conditionsCompareAsBooleans() {
        assertThat(evaluate("(a > 1) = TRUE", "a", 2)).isEqualTo(Result.TRUE);
        assertThat(evaluate("(a > 1) = FALSE", "a", 2)).isEqualTo(Result.FALSE);
        assertThat(evaluate("(a > 1) <> (b > 1)", "a", 2, "b", 0)).isEqualTo(Result.TRUE);
        assertThat(evaluate("(a > 1) = TRUE", "a", null)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("(a > 1) = flag", "a", 2, "flag", true)).isEqualTo(Result.TRUE);
    }

    @Test
    void valuesOfUnlikeTypesCompareFalseWhateverTheOperator() {
        // The specification's own example: a numeric comparison with a string property is false.
        assertThat(evaluate("NumberOfOrders > 1", "NumberOfOrders", "2")).isEqualTo(Result.FALSE);
        assertThat(evaluate("s = 5", "s", "5")).isEqualTo(Result.FALSE);
        assertThat(evaluate("s <> 5", "s", "5")).isEqualTo(Result.FALSE);
        assertThat(evaluate("b = 1", "b", true)).isEqualTo(Result.FALSE);
        assertThat(evaluate("b = 'true'", "b", true)).isEqualTo(Result.FALSE);
        assertThat(evaluate("n = TRUE", "n", 1)).isEqualTo(Result.FALSE);
        assertThat(evaluate("n <> FALSE", "n", 0)).isEqualTo(Result.FALSE);
        assertThat(evaluate("s = n", "s", "1", "n", 1)).isEqualTo(Result.FALSE);
        assertThat(evaluate("NOT (s = 5)", "s", "5")).isEqualTo(Result.TRUE);
    }

    @Test
    void nullMakesEveryComparisonUnknown() {
        for (String operator : List.of("=", "<>", "<", "<=", ">", ">=")) {
            assertThat(evaluate("x " + operator + " 1")).as(operator).isEqualTo(Result.UNKNOWN);
            assertThat(evaluate("1 " + operator + " x")).as(operator).isEqualTo(Result.UNKNOWN);
            assertThat(evaluate("x " + operator + " x")).as(operator).isEqualTo(Result.UNKNOWN);
        }
        assertThat(evaluate("x = 'a'")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("x = TRUE")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("s = x", "s", "a")).isEqualTo(Result.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "'a' < 'b' | 1 | '<' orders numbers only (strings and boolean values allow only = and <>), but this is a string",
            "s > 'a' | 5 | '>' orders numbers only",
            "TRUE >= FALSE | 1 | but this is a boolean value",
            "a <= (b = 1) | 6 | but this is a boolean value",
            "1 = 'one' | 3 | cannot compare a number with a string",
            "'one' <> 1 | 7 | cannot compare a string with a number",
            "TRUE = 1 | 6 | cannot compare a boolean value with a number",
            "'a' = TRUE | 5 | cannot compare a string with a boolean value",
            "(a > 1) = 1 | 9 | cannot compare a boolean value with a number",
            "a = 1 = TRUE | 7 | comparisons do not chain",
            "a < b < c | 7 | comparisons do not chain",
            "a = 1 IS NULL | 7 | comparisons do not chain",
            "a == 1 | 4 | expected an operand but found '='",
            "a =< 1 | 4 | expected an operand but found '<'",
            "a != 1 | 3 | not-equal is written <>",
            "a ! 1 | 3 | negation is written NOT",
    })
    void typeAndOperatorErrorsAreInvalid(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }
}
