package io.strand.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.SelectorTree.And;
import io.strand.selector.SelectorTree.Arithmetic;
import io.strand.selector.SelectorTree.Between;
import io.strand.selector.SelectorTree.BooleanLiteral;
import io.strand.selector.SelectorTree.Comparison;
import io.strand.selector.SelectorTree.Identifier;
import io.strand.selector.SelectorTree.In;
import io.strand.selector.SelectorTree.IsNull;
import io.strand.selector.SelectorTree.Like;
import io.strand.selector.SelectorTree.LikeElement;
import io.strand.selector.SelectorTree.Negation;
import io.strand.selector.SelectorTree.Not;
import io.strand.selector.SelectorTree.NumberLiteral;
import io.strand.selector.SelectorTree.Or;
import io.strand.selector.SelectorTree.StringLiteral;
import io.strand.selector.SelectorTree.UnaryPlus;
import jakarta.jms.InvalidSelectorException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties over random selectors and random values: the compiled selector agrees with a plain reference evaluator
 * of the same tree, whatever the printing (precedence or parentheses, letter case, white space); NOT of a selector
 * matches exactly when the selector is FALSE; literals read back as the numbers they print; LIKE agrees with an
 * equivalent regular expression; and no text makes the parser fail with anything but a positioned
 * {@link InvalidSelectorException}.
 */
class SelectorPropertyTest {
    private static final List<String> NAMES = List.of("a", "b", "c", "s", "flag", "JMSPriority");
    private static final List<String> STRINGS = List.of("", "a", "ab", "abc", "a%c", "x_y", "A", "😀", "a!b", "1",
            "it's");
    private static final List<String> LIKE_CHARACTERS = List.of("a", "b", "!", "%", "_", ".", "*", "😀", "'", "\\");
    private static final Pattern POSITION = Pattern.compile(" at position (\\d+)$");

    // ---- properties --------------------------------------------------------------------------------------------

    @Property
    void matchesExactlyWhenTheReferenceSaysTrue(@ForAll("conditions") SelectorTree tree,
                                                @ForAll("valueMaps") Map<String, Object> values) throws Exception {
        String selector = SelectorPrinter.print(tree);
        Boolean expected = new ReferenceEvaluator(values).truth(tree);
        assertThat(MessageSelector.parse(selector).matches(values::get))
                .as("%s with %s (reference: %s)", selector, values, expected)
                .isEqualTo(Boolean.TRUE.equals(expected));
        // The property means little unless all three truth values come up often.
        Statistics.label("reference result").collect(expected == null ? "UNKNOWN" : expected.toString());
        Statistics.label("reference result").coverage(coverage -> {
            coverage.check("true").percentage(p -> p >= 15);
            coverage.check("false").percentage(p -> p >= 15);
            coverage.check("UNKNOWN").percentage(p -> p >= 15);
        });
    }

    @Property
    void notMatchesExactlyWhenTheSelectorIsFalse(@ForAll("conditions") SelectorTree tree,
                                                 @ForAll("valueMaps") Map<String, Object> values) throws Exception {
        String selector = "NOT (" + SelectorPrinter.print(tree) + ")";
        Boolean expected = new ReferenceEvaluator(values).truth(tree);
        assertThat(MessageSelector.parse(selector).matches(values::get))
                .as("%s with %s (reference for the operand: %s)", selector, values, expected)
                .isEqualTo(Boolean.FALSE.equals(expected));
    }

    @Property
    void parenthesesCaseAndWhiteSpaceDoNotChangeTheMeaning(@ForAll("conditions") SelectorTree tree,
                                                           @ForAll("valueMaps") Map<String, Object> values,
                                                           @ForAll boolean fullyParenthesized,
                                                           @ForAll long seed) throws Exception {
        String selector = SelectorPrinter.print(tree, fullyParenthesized, new Random(seed));
        Boolean expected = new ReferenceEvaluator(values).truth(tree);
        MessageSelector parsed = MessageSelector.parse(selector);
        assertThat(parsed.matches(values::get))
                .as("%s with %s (reference: %s)", selector, values, expected)
                .isEqualTo(Boolean.TRUE.equals(expected));
        assertThat(parsed.identifiers()).containsExactlyElementsOf(SelectorTree.identifiers(tree));
        assertThat(parsed.expression()).isEqualTo(selector);
    }

    @Property
    void exactLiteralsReadBackInEveryRadix(@ForAll long value, @ForAll @IntRange(min = 0, max = 3) int radix,
                                           @ForAll boolean suffix, @ForAll boolean underscores) throws Exception {
        String digits = switch (radix) {
            case 0 -> Long.toUnsignedString(value, 16);
            case 1 -> Long.toUnsignedString(value, 8);
            case 2 -> Long.toUnsignedString(value, 2);
            default -> value == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(value));
        };
        if (underscores && digits.length() > 2) {
            digits = digits.charAt(0) + "_" + digits.substring(1, digits.length() - 1) + "__"
                    + digits.charAt(digits.length() - 1);
        }
        String literal = switch (radix) {
            case 0 -> "0x" + digits;
            case 1 -> "0" + digits;
            case 2 -> "0b" + digits;
            default -> (value < 0 ? "-" : "") + digits;
        } + (suffix ? "L" : "");
        MessageSelector selector = MessageSelector.parse("x = " + literal);
        assertThat(selector.matches(name -> value)).as(literal).isTrue();
        assertThat(selector.matches(name -> value ^ 1)).as(literal).isFalse();
    }

    @Property
    void approximateLiteralsReadBackAsTheNumbersTheyPrint(@ForAll double value, @ForAll float floatValue)
            throws Exception {
        if (Double.isFinite(value)) {
            String literal = Double.toString(value);
            assertThat(MessageSelector.parse("x = " + literal).matches(name -> value)).as(literal).isTrue();
        }
        if (Float.isFinite(floatValue)) {
            String literal = floatValue + "F";
            assertThat(MessageSelector.parse("x = " + literal).matches(name -> floatValue)).as(literal).isTrue();
        }
    }

    @Property
    void likeAgreesWithTheEquivalentRegularExpression(@ForAll("likePatterns") List<LikeElement> pattern,
                                                      @ForAll boolean withEscape,
                                                      @ForAll("likeSubjects") String subject) throws Exception {
        if (!withEscape && pattern.stream().anyMatch(e -> e instanceof LikeElement.Literal literal
                && (literal.character().equals("%") || literal.character().equals("_")))) {
            withEscape = true; // without an escape, % and _ cannot be written literally
        }
        String selector = SelectorPrinter.print(new Like(false, "s", pattern, withEscape));
        boolean expected = ReferenceEvaluator.regex(pattern).matcher(subject).matches();
        assertThat(MessageSelector.parse(selector).matches(name -> subject))
                .as("'%s' against %s", subject, selector)
                .isEqualTo(expected);
    }

    @Property(tries = 3000)
    void anyTextIsASelectorOrAPositionedInvalidSelector(@ForAll("selectorLikeText") String text,
                                                        @ForAll("valueMaps") Map<String, Object> values) {
        MessageSelector selector;
        try {
            selector = MessageSelector.parse(text);
        } catch (IllegalArgumentException blank) {
            assertThat(text).isBlank();
            return;
        } catch (InvalidSelectorException e) {
            Matcher position = POSITION.matcher(e.getMessage());
            assertThat(position.find()).as("%s: %s", text, e.getMessage()).isTrue();
            assertThat(Integer.parseInt(position.group(1)))
                    .as("%s: %s", text, e.getMessage())
                    .isBetween(1, text.codePointCount(0, text.length()) + 1);
            return;
        }
        selector.matches(values::get); // must not throw, whatever it returns
    }

    // ---- generators --------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<SelectorTree> conditions() {
        return condition(3);
    }

    private Arbitrary<SelectorTree> condition(int depth) {
        if (depth == 0) {
            return leafCondition();
        }
        Arbitrary<SelectorTree> sub = Arbitraries.lazy(() -> condition(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(4, leafCondition()),
                Tuple.of(1, sub.map(Not::new)),
                Tuple.of(2, Combinators.combine(sub, sub).as(And::new)),
                Tuple.of(2, Combinators.combine(sub, sub).as(Or::new)),
                Tuple.of(1, Combinators.combine(equalityOperators(), sub, Arbitraries.oneOf(booleanLiterals(), sub))
                        .as(Comparison::new)));
    }

    private Arbitrary<SelectorTree> leafCondition() {
        Arbitrary<SelectorTree> arithmetic = arithmetic(2);
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<SelectorTree> identifier = name.map(Identifier::new);
        Arbitrary<SelectorTree> stringLiteral = Arbitraries.of(STRINGS).map(StringLiteral::new);
        return Arbitraries.frequencyOf(
                Tuple.of(1, booleanLiterals()),
                Tuple.of(2, identifier),
                Tuple.of(6, Combinators.combine(Arbitraries.of("=", "<>", "<", "<=", ">", ">="), arithmetic, arithmetic)
                        .as(Comparison::new)),
                Tuple.of(2, Combinators.combine(equalityOperators(), identifier, stringLiteral, Arbitraries.of(true, false))
                        .as((operator, id, string, identifierFirst) -> identifierFirst
                                ? new Comparison(operator, id, string) : new Comparison(operator, string, id))),
                Tuple.of(1, Combinators.combine(equalityOperators(), identifier, booleanLiterals())
                        .as(Comparison::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(true, false), arithmetic, arithmetic, arithmetic)
                        .as(Between::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(true, false), name,
                        Arbitraries.of(STRINGS).list().ofMinSize(1).ofMaxSize(4)).as(In::new)),
                Tuple.of(2, Combinators.combine(Arbitraries.of(true, false), name, likePatterns())
                        .as((negated, id, pattern) -> new Like(negated, id, pattern, true))),
                Tuple.of(1, Combinators.combine(Arbitraries.of(true, false), name).as(IsNull::new)));
    }

    private Arbitrary<SelectorTree> arithmetic(int depth) {
        Arbitrary<SelectorTree> leaf = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("a", "b").map(Identifier::new)),
                Tuple.of(1, Arbitraries.of(NAMES).map(Identifier::new)),
                Tuple.of(2, numberLiterals()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<SelectorTree> sub = Arbitraries.lazy(() -> arithmetic(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(3, Combinators.combine(Arbitraries.of('+', '-', '*', '/'), sub, sub).as(Arithmetic::new)),
                Tuple.of(1, sub.map(Negation::new)),
                Tuple.of(1, sub.map(UnaryPlus::new)));
    }

    private Arbitrary<SelectorTree> numberLiterals() {
        return Arbitraries.<Number>of(0L, 1L, 2L, 3L, 10L, 127L, 2_147_483_647L, 2_147_483_648L, Long.MAX_VALUE,
                        0.0, 0.5, 1.0, 2.0, 2.5, 1e300, 4.9e-324, 0.5f, 1f, 3.4028235e38f)
                .map(NumberLiteral::new);
    }

    private Arbitrary<SelectorTree> booleanLiterals() {
        return Arbitraries.of(true, false).map(BooleanLiteral::new);
    }

    private Arbitrary<String> equalityOperators() {
        return Arbitraries.of("=", "<>");
    }

    @Provide
    Arbitrary<List<LikeElement>> likePatterns() {
        Arbitrary<LikeElement> element = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(new LikeElement.AnyRun())),
                Tuple.of(2, Arbitraries.just(new LikeElement.AnyOne())),
                Tuple.of(6, Arbitraries.of(LIKE_CHARACTERS).map(LikeElement.Literal::new)));
        return element.list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> likeSubjects() {
        return Arbitraries.of(LIKE_CHARACTERS).list().ofMaxSize(8).map(characters -> String.join("", characters));
    }

    /** Values for {@link #NAMES}: {@code a} and {@code b} are mostly numbers, the others anything. */
    @Provide
    Arbitrary<Map<String, Object>> valueMaps() {
        return Combinators.combine(numbers(), numbers(), values(), values(), values(), values())
                .as((a, b, c, s, flag, priority) -> {
                    Map<String, Object> map = new HashMap<>();
                    map.put("a", a);
                    map.put("b", b);
                    map.put("c", c);
                    map.put("s", s);
                    map.put("flag", flag);
                    map.put("JMSPriority", priority);
                    return map;
                });
    }

    private Arbitrary<Object> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(null)),
                Tuple.of(2, Arbitraries.of(true, false)),
                Tuple.of(3, Arbitraries.of(STRINGS)),
                Tuple.of(6, numbers()),
                Tuple.of(1, Arbitraries.of('a', BigDecimal.ONE, new Object(), new byte[0])));
    }

    private Arbitrary<Object> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, Arbitraries.bytes().between((byte) -3, (byte) 3)),
                Tuple.of(1, Arbitraries.of(Byte.MIN_VALUE, Byte.MAX_VALUE, Short.MIN_VALUE, Short.MAX_VALUE)),
                Tuple.of(3, Arbitraries.integers().between(-3, 3)),
                // Values whose sums, products or quotients overflow int, where int and long arithmetic differ.
                Tuple.of(4, Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 65_536, 46_341, -1, 16_777_217)),
                Tuple.of(2, Arbitraries.longs().between(-3, 3)),
                Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 2_147_483_648L)),
                Tuple.of(2, Arbitraries.of(0f, -0f, 0.5f, 1f, 2.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.MAX_VALUE)),
                // Floats that an int or long equals only after conversion to float, where float and double differ.
                Tuple.of(2, Arbitraries.of(16_777_216f, 2_147_483_648f, 9.223372e18f)),
                Tuple.of(2, Arbitraries.of(0d, -0d, 0.5, 1d, 2.5, -3d, Double.NaN, Double.NEGATIVE_INFINITY, 1e300)));
    }

    @Provide
    Arbitrary<String> selectorLikeText() {
        Arbitrary<String> fragment = Arbitraries.of("a", "b", "JMSType", "'x'", "'it''s'", "'", "1", "-1", "1.5",
                "0x1F", "1e3", "9223372036854775808", ".", "(", ")", "=", "<>", "<", ">=", "+", "-", "*", "/", ",",
                "AND", "or", "NOT", "BETWEEN", "IN", "LIKE", "IS", "NULL", "ESCAPE", "TRUE", "false", "%", "_",
                "!", "\"", "😀", "\uD83D", "e", "L", "_1", " ", " ", "\t", "\n", "#", "\u0000", "\u00A0");
        return fragment.list().ofMaxSize(14).map(fragments -> String.join("", fragments));
    }
}
