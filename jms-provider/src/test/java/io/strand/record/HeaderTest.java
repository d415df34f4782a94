package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HeaderTest {
    @Test
    void shouldCompareKeysAndValueBytes() {
        assertThat(Header.of("k", new byte[] {1, 2})).isEqualTo(new Header("k", ByteBuffer.wrap(new byte[] {0, 1, 2}, 1, 2)))
                .hasSameHashCodeAs(Header.of("k", new byte[] {1, 2}));
        assertThat(Header.of("k", null)).isEqualTo(Header.of("k", null)).isNotEqualTo(Header.of("k", new byte[0]));
        assertThat(Header.of("k", new byte[] {1})).isNotEqualTo(Header.of("j", new byte[] {1}));
    }

    @Test
    void shouldHandOutIndependentReadOnlyViewsWithoutCopying() {
        byte[] bytes = {1, 2, 3};
        Header header = Header.of("k", bytes);
        ByteBuffer first = header.value();
        first.get();
        assertThat(header.value().position()).as("reading one view does not move another").isZero();
        assertThat(first.isReadOnly()).isTrue();
        bytes[0] = 9;
        assertThat(header.value().get(0)).as("wraps, not copies").isEqualTo((byte) 9);
        assertThat(header.valueBytes()).containsExactly(9, 2, 3);
        assertThat(header.valueSize()).isEqualTo(3);
    }

    @Test
    void shouldStoreANullValueAsLengthMinusOne() {
        Header header = Header.of("k", null);
        assertThat(header.value()).isNull();
        assertThat(header.valueBytes()).isNull();
        assertThat(header.valueSize()).isEqualTo(-1);
        assertThat(header).hasToString("Header(k, null)");
    }

    @Test
    void shouldRefuseANullKey() {
        assertThatThrownBy(() -> Header.of(null, new byte[0])).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("never null");
    }
}
