package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeldBackOffsetsTest {
    @Test
    void shouldCapAcknowledgementsBelowTheLowestRecordNotYetAcknowledged() {
        HeldBackOffsets held = new HeldBackOffsets();
        assertThat(held.highestAcknowledgeable(0)).isEqualTo(Long.MAX_VALUE);
        held.heldBack(0, 7);
        held.heldBack(0, 5);
        held.heldBack(1, 2);
        assertThat(held.highestAcknowledgeable(0)).isEqualTo(4);
        assertThat(held.highestAcknowledgeable(1)).isEqualTo(1);
        assertThat(held.highestAcknowledgeable(0, offset -> offset == 5)).isEqualTo(6);

        // Handed out is not enough: the cap stays until the record is acknowledged.
        held.handOut(0, 5);
        assertThat(held.highestAcknowledgeable(0)).isEqualTo(4);
        held.settled(0, 5);
        assertThat(held.highestAcknowledgeable(0)).isEqualTo(6);
        held.settled(0, 7);
        assertThat(held.highestAcknowledgeable(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldReportTheCreditAsGrantedOnlyAtTheFirstHandOut() {
        HeldBackOffsets held = new HeldBackOffsets();
        held.heldBack(0, 5);
        assertThat(held.handOut(0, 4)).isFalse(); // never held back
        assertThat(held.handOut(0, 5)).isTrue();
        assertThat(held.handOut(0, 5)).isFalse(); // again after recover: counted as a recovered delivery
    }

    @Test
    void shouldKeepCappingAfterTheConsumerClosed() {
        HeldBackOffsets held = new HeldBackOffsets();
        held.heldBack(0, 5);
        held.close();
        assertThat(held.isClosed()).isTrue();
        assertThat(held.highestAcknowledgeable(0)).isEqualTo(4);
    }
}
