package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A consumer's delivery counts by wall-clock second: the total, and what fell within the last ten seconds. */
class DeliveryRateTest {
    private static final long OPENED = 1_000_000_500L;

    @Test
    void aYoungConsumersRateIsOverItsOwnAgeAndAtLeastASecond() {
        DeliveryRate rate = new DeliveryRate(OPENED);
        rate.add(30, OPENED + 200);
        assertThat(rate.recent(OPENED + 300)).isEqualTo(30);
        assertThat(rate.windowMs(OPENED + 300)).as("at least a second").isEqualTo(1000);
        rate.add(30, OPENED + 2_400);
        assertThat(rate.total()).isEqualTo(60);
        assertThat(rate.recent(OPENED + 3_000)).isEqualTo(60);
        assertThat(rate.windowMs(OPENED + 3_000)).as("its age").isEqualTo(3_000);
    }

    @Test
    void countsOnlyTheLastTenSecondsOnceOlder() {
        DeliveryRate rate = new DeliveryRate(OPENED);
        for (int second = 0; second < 30; second++) {
            rate.add(second < 20 ? 100 : 10, OPENED + second * 1000L);
        }
        long now = OPENED + 29_000;
        // Seconds 20 to 29 of the consumer's life fall in the window: ten pushes of 10.
        assertThat(rate.recent(now)).isEqualTo(100);
        assertThat(rate.windowMs(now)).isBetween(9_000L, 10_000L);
        assertThat(rate.total()).isEqualTo(20 * 100 + 10 * 10);
    }

    @Test
    void anIdleConsumersOldSecondsFallOutOfTheWindow() {
        DeliveryRate rate = new DeliveryRate(OPENED);
        rate.add(500, OPENED + 1_000);
        assertThat(rate.recent(OPENED + 5_000)).isEqualTo(500);
        assertThat(rate.recent(OPENED + 60_000)).isZero();
        rate.add(7, OPENED + 60_000); // lands in a slot an older second used: counted anew
        assertThat(rate.recent(OPENED + 60_100)).isEqualTo(7);
        assertThat(rate.total()).isEqualTo(507);
    }
}
