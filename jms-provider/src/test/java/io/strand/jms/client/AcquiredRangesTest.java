package io.strand.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.Shares.AcquiredRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcquiredRangesTest {
    @Test
    void shouldPickAcquiredOffsetsWithTheirCountsWhateverTheOrderOfTheRanges() {
        final AcquiredRanges ranges = new AcquiredRanges(List.of(new AcquiredRange(10, 12, (short) 3),
                new AcquiredRange(4, 4, (short) 1), new AcquiredRange(6, 7, (short) 2)));
        assertThat(ranges.firstOffset()).isEqualTo(4);
        assertThat(ranges.count()).isEqualTo(6);
        final List<String> seen = new ArrayList<>();
        for (long offset = 0; offset < 15; offset++) { // a batch walked in offset order
            final int count = ranges.deliveryCount(offset);
            if (count > 0) {
                seen.add(offset + "x" + count);
            }
        }
        assertThat(seen).containsExactly("4x1", "6x2", "7x2", "10x3", "11x3", "12x3");
    }

    @Test
    void shouldPickNothingFromAPushWithoutRanges() {
        final AcquiredRanges none = new AcquiredRanges(List.of());
        assertThat(none.firstOffset()).isEqualTo(Long.MAX_VALUE);
        assertThat(none.count()).isZero();
        assertThat(none.deliveryCount(0)).isZero();
    }

    @Test
    void shouldRejectOverlappingRanges() {
        assertThatThrownBy(() -> new AcquiredRanges(List.of(new AcquiredRange(1, 5, (short) 1),
                new AcquiredRange(5, 6, (short) 1)))).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("overlap");
    }
}
