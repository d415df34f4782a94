package io.strand.selector;

import static io.strand.selector.Selectors.assertInvalid;
import static io.strand.selector.Selectors.evaluate;
import static io.strand.selector.Selectors.invalid;
import static io.strand.selector.Selectors.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.selector.Selectors.Result;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Identifiers (§3.8.1.1): Java identifier rules, case sensitivity, reserved words, and what values they take. */
class IdentifierTest {
    private static final List<String> RESERVED_WORDS =
            List.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

    @ParameterizedTest
    @ValueSource(strings = {"x", "_x", "$x", "x1", "a$b_c", "_", "$", "ñandú", "日本", "Ωmega", "\uD835\uDCB3",
            "JMSXDeliveryCount", "JMS_vendor_flag", "JMSType", "ANDY", "nullable", "Order", "isActive", "INdex",
            "escapeRoute", "notes", "TRUEish", "\u0131n", "\u0131s", "x\u00A2"})
    void javaIdentifiersAreIdentifiers(String name) throws Exception {
        assertThat(matches(name + " = 1", name, 1)).as(name).isTrue();
        assertThat(MessageSelector.parse(name + " IS NULL").identifiers()).containsExactly(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#x", "@x", "x#", "\\x", "`x`", "x.y", "1x"})
    void otherCharactersAreNotIdentifiers(String name) {
        invalid(name + " = 1");
    }

    @Test
    void identifiersAreCaseSensitive() {
        assertThat(matches("Color = 'red'", "color", "red")).isFalse();
        assertThat(matches("color = 'red'", "color", "red")).isTrue();
        assertThat(evaluate("COLOR = 'red'", "color", "red")).isEqualTo(Result.UNKNOWN);
    }

    @Test
    void reservedWordsInAnyCaseCannotBeIdentifiers() {
        List<String> spellings = new ArrayList<>();
        for (String word : RESERVED_WORDS) {
            spellings.add(word);
            spellings.add(word.toLowerCase(Locale.ROOT));
            spellings.add(word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT));
        }
        for (String word : spellings) {
            String message = invalid(word + " IS NULL").getMessage();
            // NOT is read as the operator, and then IS cannot start its operand.
            assertThat(message).as(word).endsWith(word.equalsIgnoreCase("NOT") ? " at position 5" : " at position 1");
        }
        assertInvalid("x = 1 AND in = 2", 11, "expected an operand but found IN (reserved words cannot be identifiers)");
        assertInvalid("escape > 1", 1, "ESCAPE");
    }

    @Test
    void onlyAsciiLettersFoldIntoReservedWords() {
        // A dotless i upper-cases to I, and a long s to S; neither makes "in" or "is" out of an identifier.
        assertThat(matches("\u0131n = 1 AND \u0131\u017F = 2", "\u0131n", 1, "\u0131\u017F", 2)).isTrue();
    }

    @Test
    void anAbsentIdentifierIsNull() {
        assertThat(evaluate("missing = 1")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("missing IS NULL")).isEqualTo(Result.TRUE);
    }

    @Test
    void headerNamesArePassedToTheValuesAsTheyAre() {
        // Which header fields a selector can see is the caller's decision; the selector asks for any name.
        assertThat(matches("JMSDeliveryMode = 'PERSISTENT' AND JMSPriority > 4 AND JMSXDeliveryCount = 1",
                "JMSDeliveryMode", "PERSISTENT", "JMSPriority", 7, "JMSXDeliveryCount", 1)).isTrue();
        assertThat(evaluate("JMSDestination = 'queue'")).isEqualTo(Result.UNKNOWN);
        assertThat(matches("JMSCorrelationID IS NULL")).isTrue();
    }

    @Test
    void valuesOfOtherTypesAreNull() {
        for (Object unsupported : List.of('x', BigDecimal.ONE, new byte[] {1}, new Object(), List.of("a"),
                new StringBuilder("a"), java.math.BigInteger.ONE, new java.util.concurrent.atomic.AtomicInteger(1))) {
            assertThat(matches("x IS NULL", "x", unsupported)).as("%s", unsupported.getClass()).isTrue();
            assertThat(evaluate("x = 1", "x", unsupported)).isEqualTo(Result.UNKNOWN);
            assertThat(evaluate("x = 'a'", "x", unsupported)).isEqualTo(Result.UNKNOWN);
            assertThat(evaluate("x", "x", unsupported)).isEqualTo(Result.UNKNOWN);
            assertThat(evaluate("x + 1 > 0", "x", unsupported)).isEqualTo(Result.UNKNOWN);
        }
    }

    @Test
    void aBareIdentifierIsAConditionTrueOnlyForBooleanTrue() {
        assertThat(evaluate("flag", "flag", true)).isEqualTo(Result.TRUE);
        assertThat(evaluate("flag", "flag", false)).isEqualTo(Result.FALSE);
        assertThat(evaluate("flag", "flag", null)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("flag", "flag", "true")).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("flag", "flag", 1)).isEqualTo(Result.UNKNOWN);
        assertThat(evaluate("(flag)", "flag", true)).isEqualTo(Result.TRUE);
        assertThat(evaluate("flag AND other", "flag", true, "other", true)).isEqualTo(Result.TRUE);
    }

    @Test
    void identifiersListsEveryNameReadInOrderOfFirstAppearance() throws Exception {
        MessageSelector selector = MessageSelector.parse("b = 1 AND (a + c) * b > d OR e LIKE 'x%' OR f IN ('y')"
                + " OR g IS NOT NULL OR h BETWEEN i AND j OR NOT k OR -l < 0");
        assertThat(selector.identifiers()).containsExactly("b", "a", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
        assertThatThrownBy(() -> selector.identifiers().add("z")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(MessageSelector.parse("TRUE").identifiers()).isEmpty();
    }
}
