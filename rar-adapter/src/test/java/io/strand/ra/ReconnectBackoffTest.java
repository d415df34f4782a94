package io.strand.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    @Test
    void delaysGrowByTheMultiplierUpToTheMaximum() {
        final ReconnectBackoff backoff = new ReconnectBackoff(500, 5_000, 2.0);

        assertThat(backoff.delayMs(1)).isEqualTo(500);
        assertThat(backoff.delayMs(2)).isEqualTo(1_000);
        assertThat(backoff.delayMs(4)).isEqualTo(4_000);
        assertThat(backoff.delayMs(5)).isEqualTo(5_000);
        assertThat(backoff.delayMs(1_000)).isEqualTo(5_000);
    }

    @Test
    void aMultiplierOfOneKeepsTheDelayConstant() {
        assertThat(new ReconnectBackoff(300, 300, 1.0).delayMs(50)).isEqualTo(300);
    }

    @Test
    void badSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new ReconnectBackoff(0, 10, 2)).hasMessageContaining("reconnectInitialDelayMs=0");
        assertThatThrownBy(() -> new ReconnectBackoff(100, 10, 2)).hasMessageContaining("reconnectMaxDelayMs=10");
        assertThatThrownBy(() -> new ReconnectBackoff(100, 1000, 0.5)).hasMessageContaining("reconnectMultiplier=0.5");
        assertThatThrownBy(() -> new ReconnectBackoff(100, 1000, Double.NaN)).hasMessageContaining("reconnectMultiplier");
    }
}
