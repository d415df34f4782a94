package io.strand.selector;

import static io.strand.selector.Selectors.evaluate;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.selector.Selectors.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The AND, OR and NOT tables of §3.8.1.2 with NULL operands, and the precedence of NOT over AND over OR. */
class ThreeValuedLogicTest {

    /** A boolean property holding the truth value, or absent for unknown. */
    private static Boolean property(Result truth) {
        return truth == Result.UNKNOWN ? null : truth == Result.TRUE;
    }

    /** A number making {@code n = 1} the truth value: 1, 2, or absent for unknown. */
    private static Integer number(Result truth) {
        return truth == Result.UNKNOWN ? null : truth == Result.TRUE ? 1 : 2;
    }

    // The tables exactly as the specification prints them.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "TRUE | TRUE | TRUE", "TRUE | FALSE | FALSE", "TRUE | UNKNOWN | UNKNOWN",
            "FALSE | TRUE | FALSE", "FALSE | FALSE | FALSE", "FALSE | UNKNOWN | FALSE",
            "UNKNOWN | TRUE | UNKNOWN", "UNKNOWN | FALSE | FALSE", "UNKNOWN | UNKNOWN | UNKNOWN",
    })
    void and(Result p, Result q, Result expected) {
        assertThat(evaluate("p AND q", "p", property(p), "q", property(q))).isEqualTo(expected);
        assertThat(evaluate("m = 1 AND n = 1", "m", number(p), "n", number(q))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "TRUE | TRUE | TRUE", "TRUE | FALSE | TRUE", "TRUE | UNKNOWN | TRUE",
            "FALSE | TRUE | TRUE", "FALSE | FALSE | FALSE", "FALSE | UNKNOWN | UNKNOWN",
            "UNKNOWN | TRUE | TRUE", "UNKNOWN | FALSE | UNKNOWN", "UNKNOWN | UNKNOWN | UNKNOWN",
    })
    void or(Result p, Result q, Result expected) {
        assertThat(evaluate("p OR q", "p", property(p), "q", property(q))).isEqualTo(expected);
        assertThat(evaluate("m = 1 OR n = 1", "m", number(p), "n", number(q))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"TRUE | FALSE", "FALSE | TRUE", "UNKNOWN | UNKNOWN"})
    void not(Result p, Result expected) {
        assertThat(evaluate("NOT p", "p", property(p))).isEqualTo(expected);
        assertThat(evaluate("NOT m = 1", "m", number(p))).isEqualTo(expected);
        assertThat(evaluate("NOT NOT p", "p", property(p))).isEqualTo(p);
    }

    @Test
    void chainsFoldTheTablesInAnyOrder() {
        Result[] truths = Result.values();
        for (Result p : truths) {
            for (Result q : truths) {
                for (Result r : truths) {
                    Map<String, Object> values = Selectors.values("p", property(p), "q", property(q), "r", property(r));
                    assertThat(evaluate("p AND q AND r", values)).isEqualTo(and(and(p, q), r));
                    assertThat(evaluate("p OR q OR r", values)).isEqualTo(or(or(p, q), r));
                    // NOT binds tighter than AND, and AND tighter than OR.
                    assertThat(evaluate("p OR q AND r", values)).isEqualTo(or(p, and(q, r)));
                    assertThat(evaluate("p AND q OR r", values)).isEqualTo(or(and(p, q), r));
                    assertThat(evaluate("NOT p AND q", values)).isEqualTo(and(not(p), q));
                    assertThat(evaluate("NOT p OR q", values)).isEqualTo(or(not(p), q));
                    assertThat(evaluate("NOT (p OR q) AND r", values)).isEqualTo(and(not(or(p, q)), r));
                    assertThat(evaluate("(p OR q) AND r", values)).isEqualTo(and(or(p, q), r));
                }
            }
        }
    }

    @Test
    void isNullTurnsUnknownIntoTrueOrFalse() {
        assertThat(evaluate("x IS NULL OR x = 1")).isEqualTo(Result.TRUE);
        assertThat(evaluate("x IS NOT NULL AND x = 1")).isEqualTo(Result.FALSE);
    }

    @Test
    void reservedWordsAreCaseInsensitive() {
        assertThat(evaluate("p and not q or FaLsE", "p", true, "q", false)).isEqualTo(Result.TRUE);
    }

    private static Result and(Result a, Result b) {
        if (a == Result.FALSE || b == Result.FALSE) {
            return Result.FALSE;
        }
        return a == Result.TRUE && b == Result.TRUE ? Result.TRUE : Result.UNKNOWN;
    }

    private static Result or(Result a, Result b) {
        if (a == Result.TRUE || b == Result.TRUE) {
            return Result.TRUE;
        }
        return a == Result.FALSE && b == Result.FALSE ? Result.FALSE : Result.UNKNOWN;
    }

    private static Result not(Result a) {
        return a == Result.TRUE ? Result.FALSE : a == Result.FALSE ? Result.TRUE : Result.UNKNOWN;
    }
}
