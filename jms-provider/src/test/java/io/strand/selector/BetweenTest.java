package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.evaluate;
import static io.strand.selector.Selectors.matches;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.Selectors.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code [NOT] BETWEEN}: defined by the specification as {@code >= AND <=}, and {@code < OR >}. */
class BetweenTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "14 | FALSE", "15 | TRUE", "17 | TRUE", "19 | TRUE", "20 | FALSE",
    })
    void theSpecificationsExample(int age, Result expected) {
        assertThat(evaluate("age BETWEEN 15 AND 19", "age", age)).isEqualTo(expected);
        assertThat(evaluate("age >= 15 AND age <= 19", "age", age)).isEqualTo(expected);
        Result negated = expected == Result.TRUE ? Result.FALSE : Result.TRUE;
        assertThat(evaluate("age NOT BETWEEN 15 AND 19", "age", age)).isEqualTo(negated);
        assertThat(evaluate("age < 15 OR age > 19", "age", age)).isEqualTo(negated);
    }

    @Test
    void operandsAndBoundsAreArithmeticOfAnyNumericTypes() {
        assertThat(matches("age BETWEEN 15 AND 19", "age", 19.5)).isFalse();
        assertThat(matches("age BETWEEN 15.5 AND 19", "age", (short) 16)).isTrue();
        assertThat(matches("a BETWEEN b - 1 AND b + 1", "a", 5L, "b", 6f)).isTrue();
        assertThat(matches("a + 1 BETWEEN 2 * 2 AND 5", "a", 3)).isTrue();
        assertThat(matches("-a BETWEEN -5 AND -1", "a", 3)).isTrue();
        assertThat(matches("3 BETWEEN 1 AND 5")).isTrue();
        assertThat(matches("a BETWEEN 5 AND 1", "a", 3)).as("an empty range").isFalse();
    }

    @Test
    void betweenIsFollowedByFurtherConditions() {
        assertThat(matches("a BETWEEN 1 AND 10 AND b", "a", 5, "b", true)).isTrue();
        assertThat(matches("a BETWEEN 1 AND 10 AND b", "a", 5, "b", false)).isFalse();
        assertThat(matches("a NOT BETWEEN 1 AND 10 OR b", "a", 5, "b", true)).isTrue();
        assertThat(matches("NOT a BETWEEN 1 AND 10", "a", 11)).isTrue();
    }

    @Test
    void nullsFollowTheDefinition() {
        assertThat(evaluate("a BETWEEN 1 AND 10", "a", null)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a NOT BETWEEN 1 AND 10", "a", null)).isEqualTo(Result.UNKNOWN);
        // With a NULL bound the other comparison can still decide: 20 <= 10 is FALSE, so the AND is FALSE.
        assertThat(evaluate("a BETWEEN x AND 10", "a", 20)).isEqualTo(Result.FALSE);
        assertThat(evaluate("a BETWEEN x AND 10", "a", 5)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a NOT BETWEEN x AND 10", "a", 20)).isEqualTo(Result.TRUE);
        assertThat(evaluate("a NOT BETWEEN x AND 10", "a", 5)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a BETWEEN 1 AND x", "a", 0)).isEqualTo(Result.FALSE);
        assertThat(evaluate("a BETWEEN 1 AND x", "a", 5)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("a BETWEEN x AND y", "a", 5)).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void aValueOfAnotherTypeMakesBothFormsFalse() {
        // Each comparison of the definition is between unlike types, so each is FALSE.
        assertThat(evaluate("s BETWEEN 15 AND 19", "s", "17")).isEqualTo(Result.FALSE);
        assertThat(evaluate("s NOT BETWEEN 15 AND 19", "s", "17")).isEqualTo(Result.FALSE);
        assertThat(evaluate("b BETWEEN 0 AND 1", "b", true)).isEqualTo(Result.FALSE);
    }

    @Test
    void nanIsNeverBetweenAndNeverOutside() {
        assertThat(evaluate("n BETWEEN 0 AND 1", "n", Double.NaN)).isEqualTo(Result.FALSE);
        assertThat(evaluate("n NOT BETWEEN 0 AND 1", "n", Double.NaN)).isEqualTo(Result.FALSE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "s BETWEEN 'a' AND 'z' | 11 | BETWEEN needs numeric operands, but this is a string",
            "'m' BETWEEN 1 AND 2 | 1 | BETWEEN needs numeric operands, but this is a string",
            "a BETWEEN 1 AND TRUE | 17 | BETWEEN needs numeric operands, but this is a boolean value",
            "a BETWEEN 1 OR 2 | 13 | expected AND between the bounds of BETWEEN but found OR",
            "a BETWEEN 1 | 12 | expected AND between the bounds of BETWEEN but found the end of the selector",
            "a BETWEEN AND 2 | 11 | expected an operand but found AND",
            "a NOT 1 | 7 | expected BETWEEN, IN or LIKE after NOT but found number 1",
            "a NOT | 6 | expected BETWEEN, IN or LIKE after NOT but found the end of the selector",
            "a BETWEEN 1 AND 2 BETWEEN 3 AND 4 | 19 | comparisons do not chain",
    })
    void malformedBetweenIsInvalid(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }
}
