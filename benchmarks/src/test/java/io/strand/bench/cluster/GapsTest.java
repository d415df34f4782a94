package io.strand.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GapsTest {
    @Test
    void theLongestPauseBetweenEventsInTheWindowCounts() {
        long[] events = {0, 10, 20, 70, 80, 90};
        assertThat(Gaps.longest(events, 5, 95)).isEqualTo(50);
    }

    @Test
    void aPauseThatBeganBeforeTheWindowCountsWhole() {
        long[] events = {0, 100, 110};
        assertThat(Gaps.longest(events, 50, 120)).isEqualTo(100);
    }

    @Test
    void aPauseStillGoingOnCountsUntilTheWindowEnds() {
        long[] events = {0, 10, 20};
        assertThat(Gaps.longest(events, 5, 100)).isEqualTo(80);
        assertThat(Gaps.longest(new long[] {0, 10, 500}, 5, 100)).as("the event after the window is not waited for")
                .isEqualTo(90);
    }

    @Test
    void withoutEventsTheWholeWindowIsOnePause() {
        assertThat(Gaps.longest(new long[0], 10, 40)).isEqualTo(30);
        assertThat(Gaps.longest(new long[] {100}, 10, 40)).isEqualTo(30);
    }

    @Test
    void aWindowMustNotEndBeforeItStarts() {
        assertThatThrownBy(() -> Gaps.longest(new long[0], 10, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Gaps.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Gaps.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Gaps.median(List.of())).isNaN();
        assertThat(Gaps.max(List.of(1.0, 7.0))).isEqualTo(7.0);
        assertThat(Gaps.min(List.of(1.0, 7.0))).isEqualTo(1.0);
    }
}
