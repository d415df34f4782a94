package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.protocol.Shares;
import org.junit.jupiter.api.Test;

class CumulativeAcksTest {
    private static CumulativeAcks queued(long... offsets) {
        CumulativeAcks acks = new CumulativeAcks();
        for (long offset : offsets) {
            acks.add(offset, Shares.AckType.ACCEPT);
        }
        return acks;
    }

    @Test
    void shouldTakeEverythingWhenNothingIsHeldBack() {
        CumulativeAcks acks = queued(3, 7, 5);
        CumulativeAcks sendable = acks.takeUpTo(Long.MAX_VALUE);
        assertThat(acks.isEmpty()).isTrue();
        assertThat(sendable.highestOffset()).isEqualTo(7);
    }

    @Test
    void shouldSendUpToJustBelowAHeldRecordAndKeepTheRestQueued() {
        CumulativeAcks acks = queued(3, 4, 6, 7); // 5 is held back: the ceiling is 4
        CumulativeAcks sendable = acks.takeUpTo(4);
        assertThat(sendable.highestOffset()).isEqualTo(4);
        assertThat(acks.isEmpty()).isFalse();

        // The same ceiling again: what waits lies above it, nothing to send a second time.
        assertThat(acks.takeUpTo(4)).isNull();
        acks.add(8, Shares.AckType.ACCEPT);
        assertThat(acks.takeUpTo(4)).isNull();

        // The held record is acknowledged: everything goes.
        acks.add(5, Shares.AckType.ACCEPT);
        assertThat(acks.takeUpTo(Long.MAX_VALUE).highestOffset()).isEqualTo(8);
        assertThat(acks.isEmpty()).isTrue();
    }

    @Test
    void shouldSendNothingWhenTheFirstRecordIsHeld() {
        CumulativeAcks acks = queued(1, 2);
        assertThat(acks.takeUpTo(-1)).isNull();
        assertThat(acks.isEmpty()).isFalse();
    }
}
