package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.Shares.AckRange;
import io.strand.protocol.Shares.AckType;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RangeAcksTest {
    @Test
    void shouldCoalesceConsecutiveOffsetsWithTheSameOutcomeIntoOneRange() {
        final TreeMap<Long, AckType> outcomes = new TreeMap<>();
        for (long o : new long[] {7, 3, 4, 5, 9, 10}) {
            outcomes.put(o, AckType.ACCEPT);
        }
        outcomes.put(6L, AckType.RELEASE);
        outcomes.put(11L, AckType.RELEASE);
        outcomes.put(12L, AckType.RELEASE);
        assertThat(RangeAcks.ranges(outcomes)).containsExactly(
                new AckRange(3, 5, AckType.ACCEPT),
                new AckRange(6, 6, AckType.RELEASE),
                new AckRange(7, 7, AckType.ACCEPT), // 8 is missing: not consecutive with 9
                new AckRange(9, 10, AckType.ACCEPT),
                new AckRange(11, 12, AckType.RELEASE));
    }

    @Test
    void shouldGiveNoRangesForNoOutcomes() {
        assertThat(RangeAcks.ranges(new TreeMap<>())).isEmpty();
        assertThat(new RangeAcks().isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseTwoDifferentOutcomesForOneOffset() {
        final RangeAcks acks = new RangeAcks();
        acks.add(4, AckType.ACCEPT);
        acks.add(4, AckType.ACCEPT); // the same twice is harmless
        assertThatThrownBy(() -> acks.add(4, AckType.RELEASE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("offset 4 is already queued as ACCEPT");
    }

    @Test
    void shouldRefuseToReleaseTopicRecords() {
        final CumulativeAcks acks = new CumulativeAcks();
        acks.add(3, AckType.ACCEPT);
        assertThat(acks.isEmpty()).isFalse();
        assertThatThrownBy(() -> acks.add(2, AckType.RELEASE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cumulatively");
    }
}
