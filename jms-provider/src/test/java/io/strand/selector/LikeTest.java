package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.evaluate;
import static io.strand.selector.Selectors.matches;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.Selectors.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code identifier [NOT] LIKE pattern [ESCAPE c]}: {@code _} one character, {@code %} any run, escapes. */
class LikeTest {

    private static boolean like(String value, String pattern) {
        return matches("s LIKE '" + pattern.replace("'", "''") + "'", "s", value);
    }

    private static boolean like(String value, String pattern, String escape) {
        return matches("s LIKE '" + pattern.replace("'", "''") + "' ESCAPE '" + escape.replace("'", "''") + "'",
                "s", value);
    }

    @Test
    void theSpecificationsExamples() {
        assertThat(like("123", "12%3")).isTrue();
        assertThat(like("12993", "12%3")).isTrue();
        assertThat(like("1234", "12%3")).isFalse();
        assertThat(like("lose", "l_se")).isTrue();
        assertThat(like("loose", "l_se")).isFalse();
        assertThat(like("_foo", "\\_%", "\\")).isTrue();
        assertThat(like("bar", "\\_%", "\\")).isFalse();
        assertThat(evaluate("phone NOT LIKE '12%3'", "phone", "123")).isEqualTo(Result.FALSE);
        assertThat(evaluate("phone NOT LIKE '12%3'", "phone", "12993")).isEqualTo(Result.FALSE);
        assertThat(evaluate("phone NOT LIKE '12%3'", "phone", "1234")).isEqualTo(Result.TRUE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', emptyValue = "", value = {
            "'' | '' | true",
            "'' | 'a' | false",
            "'a' | '' | false",
            "'%' | '' | true",
            "'%' | 'anything at all' | true",
            "'%%' | '' | true",
            "'_' | '' | false",
            "'_' | 'a' | true",
            "'_' | 'ab' | false",
            "'_%_' | 'a' | false",
            "'_%_' | 'ab' | true",
            "'a%' | 'abc' | true",
            "'a%' | 'ba' | false",
            "'%c' | 'abc' | true",
            "'%c' | 'cab' | false",
            "'%b%' | 'abc' | true",
            "'%b%' | 'ac' | false",
            "'a%b%c' | 'abc' | true",
            "'a%b%c' | 'aXbYc' | true",
            "'a%b%c' | 'acb' | false",
            "'%ab%ab' | 'abab' | true",
            "'%ab%ab' | 'aabab' | true",
            "'%ab%ab' | 'ababa' | false",
            "'a%a' | 'a' | false",
            "'a%a' | 'aa' | true",
            "'%aa%aa%' | 'aaa' | false",
            "'%aa%aa%' | 'aaaa' | true",
            "'_b%' | 'abba' | true",
            "'%_b' | 'ab' | true",
            "'%_b' | 'b' | false",
            "'%a_c%' | 'xxabcxx' | true",
            "'%a_c%' | 'xxacxx' | false",
            "'abc' | 'ABC' | false",
    })
    void wildcards(String quotedPattern, String quotedValue, boolean expected) {
        String pattern = quotedPattern.substring(1, quotedPattern.length() - 1);
        String value = quotedValue.substring(1, quotedValue.length() - 1);
        assertThat(like(value, pattern)).as("'%s' LIKE '%s'", value, pattern).isEqualTo(expected);
    }

    @Test
    void regularExpressionCharactersStandForThemselves() {
        for (String special : new String[] {".", "*", "+", "?", "[", "]", "(", ")", "{", "}", "^", "$", "|", "\\",
                "\\E", "\\Q", "\\d", ".*", "[a-z]"}) {
            assertThat(like("a" + special + "b", "a" + special + "b")).as(special).isTrue();
            assertThat(like("axb", "a" + special + "b")).as(special).isFalse();
            assertThat(like("a" + special + "b", "a%" + special + "%")).as(special).isTrue();
        }
        assertThat(like("abc", "a.c")).isFalse();
        assertThat(like("a", "[a]")).isFalse();
        assertThat(like("aaa", "a*")).isFalse();
    }

    @Test
    void theEscapeCharacterMakesWildcardsAndItselfLiteral() {
        assertThat(like("100%", "100!%", "!")).isTrue();
        assertThat(like("100x", "100!%", "!")).isFalse();
        assertThat(like("a_b", "a!_b", "!")).isTrue();
        assertThat(like("axb", "a!_b", "!")).isFalse();
        assertThat(like("a!b", "a!!b", "!")).isTrue();
        assertThat(like("50% off", "%!%%", "!")).isTrue();
        assertThat(like("50 off", "%!%%", "!")).isFalse();
        // Escape characters that are special elsewhere.
        assertThat(like("a_b", "a\\_b", "\\")).isTrue();
        assertThat(like("a%b", "a.%b", ".")).isTrue();
        assertThat(like("a%", "a'%", "'")).as("a doubled quote as the escape").isTrue();
        assertThat(like("a%", "a%%", "%")).as("% as its own escape").isTrue();
        assertThat(like("ab", "a%%", "%")).isFalse();
        assertThat(like("x_y", "x😀_y", "😀")).as("an escape outside the BMP").isTrue();
        // Without ESCAPE, a backslash is an ordinary character.
        assertThat(like("a\\b", "a\\_")).isTrue();
    }

    @Test
    void charactersAreCodePoints() {
        assertThat(like("😀", "_")).isTrue();
        assertThat(like("a😀b", "a_b")).isTrue();
        assertThat(like("a😀b", "a__b")).isFalse();
        assertThat(like("😀😀", "%_😀")).isTrue();
        assertThat(like("x😀", "%😀")).isTrue();
        assertThat(like("\uD83D\uDE00", "\uD83D%")).as("half a pair is not a character of the value").isFalse();
        assertThat(like("é", "_")).isTrue();
    }

    @Test
    void wildcardsMatchLineBreaks() {
        assertThat(like("a\nb", "a%b")).isTrue();
        assertThat(like("a\nb", "a_b")).isTrue();
        assertThat(like("\r\n", "%")).isTrue();
    }

    @Test
    void nullIsUnknownAndOtherTypesDoNotMatch() {
        assertThat(evaluate("s LIKE '%'")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("s NOT LIKE '%'")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("s LIKE '1%'", "s", 12)).isEqualTo(Result.FALSE);
        assertThat(evaluate("s NOT LIKE '1%'", "s", 12)).isEqualTo(Result.TRUE);
        assertThat(evaluate("s LIKE 'true'", "s", true)).isEqualTo(Result.FALSE);
    }

    @Test
    void reservedWordsInAnyCase() {
        assertThat(matches("s like 'a!%' escape '!' and s not like 'b%'", "s", "a%")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "s LIKE 5 | 8 | LIKE needs a string literal as its pattern, but found number 5",
            "s LIKE t | 8 | LIKE needs a string literal as its pattern, but found identifier t",
            "s LIKE | 7 | LIKE needs a string literal as its pattern, but found the end of the selector",
            "s LIKE 'a' ESCAPE '' | 19 | ESCAPE needs a string literal of exactly one character, but found string literal ''",
            "s LIKE 'a' ESCAPE 'ab' | 19 | ESCAPE needs a string literal of exactly one character",
            "s LIKE 'a' ESCAPE 5 | 19 | ESCAPE needs a string literal of exactly one character, but found number 5",
            "s LIKE 'a' ESCAPE | 18 | ESCAPE needs a string literal of exactly one character",
            "s LIKE 'ab!' ESCAPE '!' | 8 | the LIKE pattern ends with its escape character",
            "s LIKE 'a!b' ESCAPE '!' | 8 | the escape character in a LIKE pattern may only precede _, % or itself, not 'b'",
            "'abc' LIKE 'a%' | 1 | LIKE applies to an identifier only, but this is a string",
            "(s) + 1 LIKE 'a%' | 1 | LIKE applies to an identifier only, but this is a number",
            "s LIKE 'a' 'b' | 12 | unexpected string literal 'b'",
            "s ESCAPE '!' | 3 | unexpected ESCAPE",
    })
    void malformedLikeIsInvalid(String selector, int position, String problem) {
        assertInvalid(selector, position, problem);
    }

    @Test
    void aParenthesizedIdentifierIsStillAnIdentifier() {
        assertThat(matches("(s) LIKE 'a%'", "s", "abc")).isTrue();
    }
}
