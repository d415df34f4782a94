package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.evaluate;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.Selectors.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code identifier [NOT] IN (string-literal, ...)}: equality with any of the strings, or its negation. */
class InTest {

    @Test
    void theSpecificationsExample() {
        String in = "Country IN ('UK', 'US', 'France')";
        String notIn = "Country NOT IN ('UK', 'US', 'France')";
        assertThat(evaluate(in, "Country", "UK")).isEqualTo(Result.TRUE);
        assertThat(evaluate(in, "Country", "France")).isEqualTo(Result.TRUE);
        assertThat(evaluate(in, "Country", "Peru")).isEqualTo(Result.FALSE);
        assertThat(evaluate(notIn, "Country", "UK")).isEqualTo(Result.FALSE);
        assertThat(evaluate(notIn, "Country", "Peru")).isEqualTo(Result.TRUE);
    }

    @Test
    void stringsMatchExactly() {
        assertThat(evaluate("c IN ('uk')", "c", "UK")).isEqualTo(Result.FALSE);
        assertThat(evaluate("c IN (' UK')", "c", "UK")).isEqualTo(Result.FALSE);
        assertThat(evaluate("c IN ('O''Brien', '')", "c", "O'Brien")).isEqualTo(Result.TRUE);
        assertThat(evaluate("c IN ('O''Brien', '')", "c", "")).isEqualTo(Result.TRUE);
        assertThat(evaluate("c IN ('a', 'a', 'b')", "c", "a")).isEqualTo(Result.TRUE);
        assertThat(evaluate("c in ('x')", "c", "x")).isEqualTo(Result.TRUE);
        assertThat(evaluate("c IN ('%', '_')", "c", "x")).as("no wildcards in IN").isEqualTo(Result.FALSE);
    }

    @Test
    void aNullIdentifierIsUnknown() {
        assertThat(evaluate("c IN ('UK')")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("c NOT IN ('UK')")).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void aValueOfAnotherTypeEqualsNoneOfTheStrings() {
        assertThat(evaluate("c IN ('1')", "c", 1)).isEqualTo(Result.FALSE);
        assertThat(evaluate("c NOT IN ('1')", "c", 1)).isEqualTo(Result.TRUE);
        assertThat(evaluate("c IN ('true')", "c", true)).isEqualTo(Result.FALSE);
    }

    @Test
    void aLongListIsOneSetLookup() {
        StringBuilder list = new StringBuilder("c IN (");
        for (int i = 0; i < 5_000; i++) {
            list.append(i == 0 ? "" : ", ").append('\'').append("v").append(i).append('\'');
        }
        String selector = list.append(')').toString();
        assertThat(evaluate(selector, "c", "v4999")).isEqualTo(Result.TRUE);
        assertThat(evaluate(selector, "c", "v5000")).isEqualTo(Result.FALSE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "c IN () | 7 | the list of IN is empty",
            "c IN (1, 2) | 7 | the list of IN holds string literals only, but found number 1",
            "c IN ('a', b) | 12 | the list of IN holds string literals only, but found identifier b",
            "c IN ('a',) | 11 | the list of IN holds string literals only, but found ')'",
            "c IN ('a' 'b') | 11 | expected ',' or ')' in the list of IN but found string literal 'b'",
            "c IN ('a' | 10 | expected ',' or ')' in the list of IN but found the end of the selector",
            "c IN 'a' | 6 | expected '(' to open the list of IN but found string literal 'a'",
            "'a' IN ('a') | 1 | IN applies to an identifier only, but this is a string",
            "c + 1 IN ('a') | 1 | IN applies to an identifier only, but this is a number",
            "c NOT IN (NULL) | 11 | but found NULL",
    })
    void malformedInIsInvalid(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }
}
