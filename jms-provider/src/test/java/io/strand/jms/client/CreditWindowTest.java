package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CreditWindowTest {
    @Test
    void shouldGrantBackAfterHalfThePrefetch() {
        final CreditWindow w = new CreditWindow(1000);
        assertThat(w.initialCredit()).isEqualTo(1000);
        for (int i = 1; i < 500; i++) {
            assertThat(w.consumed(1)).isZero();
        }
        assertThat(w.consumed(1)).isEqualTo(500);
        assertThat(w.ungranted()).isZero();
    }

    @Test
    void shouldGrantEveryMessageWithPrefetchOneOrTwo() {
        assertThat(new CreditWindow(1).consumed(1)).isEqualTo(1);
        final CreditWindow two = new CreditWindow(2);
        assertThat(two.consumed(1)).isEqualTo(1);
    }

    @Test
    void shouldGrantEverythingConsumedInOneStep() {
        final CreditWindow w = new CreditWindow(10);
        assertThat(w.consumed(3)).isZero();
        assertThat(w.consumed(4)).isEqualTo(7); // discarded noLocal records count too
    }

    @Test
    void shouldRejectNonsense() {
        assertThatThrownBy(() -> new CreditWindow(0)).hasMessageContaining("prefetch=0");
        assertThatThrownBy(() -> new CreditWindow(5).consumed(-1)).hasMessageContaining("records=-1");
    }
}
