package io.strand.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Rates from successive counter samples: spacing, gaps, counters that go back, and the kept window. */
class ThroughputHistoryTest {
    private final ThroughputHistory history = new ThroughputHistory();

    @Test
    void shouldTurnTwoSamplesIntoRatesPerSecond() {
        history.record("queue:orders", 10_000, 100, 40L);
        assertThat(history.points("queue:orders")).as("one sample is no rate").isEmpty();
        assertThat(history.latest("queue:orders")).isNull();

        history.record("queue:orders", 12_000, 300, 140L);
        assertThat(history.points("queue:orders"))
                .containsExactly(new Views.ThroughputPoint(12_000, 100.0, 50.0));
        assertThat(history.latest("queue:orders")).isEqualTo(new Views.ThroughputPoint(12_000, 100.0, 50.0));
    }

    @Test
    void shouldIgnoreSamplesTooCloseToThePreviousOne() {
        history.record("topic:prices", 0, 0, null);
        history.record("topic:prices", ThroughputHistory.MIN_SPACING_MS - 1, 1_000, null);
        history.record("topic:prices", 2_000, 40, null);
        assertThat(history.points("topic:prices")).containsExactly(new Views.ThroughputPoint(2_000, 20.0, null));
    }

    @Test
    void shouldStartAfreshWhenACounterGoesBack() {
        history.record("queue:jobs", 0, 500, 500L);
        history.record("queue:jobs", 1_000, 600, 550L);
        history.record("queue:jobs", 2_000, 10, 0L);
        assertThat(history.points("queue:jobs")).as("deleted and created again").isEmpty();
        history.record("queue:jobs", 3_000, 20, 5L);
        assertThat(history.points("queue:jobs")).containsExactly(new Views.ThroughputPoint(3_000, 10.0, 5.0));
    }

    @Test
    void shouldKeepOnlyTheLastMinutes() {
        for (long t = 0; t <= ThroughputHistory.KEPT_MS + 10_000; t += 5_000) {
            history.recordBroker(t, t, null);
        }
        assertThat(history.brokerPoints()).allSatisfy(p ->
                assertThat(p.timeMs()).isGreaterThanOrEqualTo(10_000));
        assertThat(history.brokerPoints()).hasSize((int) (ThroughputHistory.KEPT_MS / 5_000) + 1);
        history.forget(ThroughputHistory.BROKER);
        assertThat(history.brokerPoints()).isEmpty();
    }
}
