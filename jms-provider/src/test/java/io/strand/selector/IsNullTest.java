package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.evaluate;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.Selectors.Result;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code identifier IS [NOT] NULL}: never unknown. */
class IsNullTest {

    @Test
    void aMissingValueIsNull() {
        assertThat(evaluate("prop_name IS NULL")).isEqualTo(Result.TRUE);
        assertThat(evaluate("prop_name IS NOT NULL")).isEqualTo(Result.FALSE);
        assertThat(evaluate("prop_name is not null")).isEqualTo(Result.FALSE);
    }

    @Test
    void aValueOfAnySelectorTypeIsNotNull() {
        for (Object value : List.of("", "x", true, false, (byte) 0, (short) 0, 0, 0L, 0f, 0d, Double.NaN)) {
            assertThat(evaluate("p IS NULL", "p", value)).as("%s", value).isEqualTo(Result.FALSE);
            assertThat(evaluate("p IS NOT NULL", "p", value)).as("%s", value).isEqualTo(Result.TRUE);
        }
    }

    @Test
    void notAppliesToTheWholeTest() {
        assertThat(evaluate("NOT p IS NULL", "p", 1)).isEqualTo(Result.TRUE);
        assertThat(evaluate("NOT p IS NOT NULL", "p", 1)).isEqualTo(Result.FALSE);
        assertThat(evaluate("p IS NULL OR p > 1", "p", 2)).isEqualTo(Result.TRUE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1 IS NULL | 1 | IS NULL applies to an identifier only, but this is a number",
            "'a' IS NOT NULL | 1 | IS NOT NULL applies to an identifier only, but this is a string",
            "(p + 1) IS NULL | 1 | IS NULL applies to an identifier only",
            "(p = 1) IS NULL | 1 | IS NULL applies to an identifier only, but this is a boolean value",
            "p IS | 5 | expected NULL or NOT NULL after IS but found the end of the selector",
            "p IS NOT | 9 | expected NULL after IS NOT but found the end of the selector",
            "p IS 1 | 6 | expected NULL or NOT NULL after IS but found number 1",
            "p IS TRUE | 6 | expected NULL or NOT NULL after IS but found TRUE",
            "p IS NOT NOT NULL | 10 | expected NULL after IS NOT but found NOT",
            "p NOT IS NULL | 7 | expected BETWEEN, IN or LIKE after NOT but found IS",
            "p IS NULL IS NULL | 11 | comparisons do not chain",
    })
    void malformedIsNullIsInvalid(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }
}
