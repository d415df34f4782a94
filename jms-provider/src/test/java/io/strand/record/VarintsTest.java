package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarintsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String encodeInt(int value) {
        ByteBuffer out = ByteBuffer.allocate(Varints.MAX_VARINT_BYTES);
        Varints.writeVarint(out, value);
        return HEX.formatHex(out.array(), 0, out.position());
    }

    private static String encodeLong(long value) {
        ByteBuffer out = ByteBuffer.allocate(Varints.MAX_VARLONG_BYTES);
        Varints.writeVarlong(out, value);
        return HEX.formatHex(out.array(), 0, out.position());
    }

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HEX.parseHex(hex));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 00", "-1, 01", "1, 02", "-2, 03", "63, 7e", "-64, 7f", "64, 8001", "-65, 8101", "300, d804",
        "2147483647, feffffff0f", "-2147483648, ffffffff0f"})
    void shouldWriteZigZagVarintsLeastSignificantGroupFirst(int value, String hex) {
        assertThat(encodeInt(value)).isEqualTo(hex);
        assertThat(Varints.sizeOfVarint(value)).isEqualTo(hex.length() / 2);
        assertThat(Varints.readVarint(bytes(hex))).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 00", "-1, 01", "1, 02", "1000, d00f",
        "9223372036854775807, feffffffffffffffff01", "-9223372036854775808, ffffffffffffffffff01"})
    void shouldWriteZigZagVarlongsOfUpToTenBytes(long value, String hex) {
        assertThat(encodeLong(value)).isEqualTo(hex);
        assertThat(Varints.sizeOfVarlong(value)).isEqualTo(hex.length() / 2);
        assertThat(Varints.readVarlong(bytes(hex))).isEqualTo(value);
    }

    @Property
    void shouldReadBackEveryIntRelativeAndAbsolute(@ForAll int value) {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.position(3);
        Varints.writeVarint(buffer, value);
        int size = buffer.position() - 3;
        assertThat(size).isEqualTo(Varints.sizeOfVarint(value));
        assertThat(Varints.writeVarint(buffer, 9, value)).as("absolute write").isEqualTo(size);
        assertThat(buffer.position()).as("an absolute write leaves the position").isEqualTo(3 + size);

        buffer.flip().position(3);
        assertThat(Varints.readVarint(buffer)).isEqualTo(value);
        assertThat(buffer.position()).isEqualTo(3 + size);
        ByteBuffer whole = ByteBuffer.wrap(buffer.array());
        assertThat(Varints.readVarint(whole, 9, 16)).isEqualTo(value);
        assertThat(Varints.endOfVarint(whole, 9, 16)).isEqualTo(9 + size);
        assertThat(whole.position()).as("an absolute read leaves the position").isZero();
    }

    @Property
    void shouldReadBackEveryLongRelativeAndAbsolute(@ForAll long value) {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        Varints.writeVarlong(buffer, value);
        int size = buffer.position();
        assertThat(size).isEqualTo(Varints.sizeOfVarlong(value));
        assertThat(Varints.writeVarlong(buffer, 16, value)).isEqualTo(size);

        buffer.flip();
        assertThat(Varints.readVarlong(buffer)).isEqualTo(value);
        assertThat(buffer.position()).isEqualTo(size);
        ByteBuffer whole = ByteBuffer.wrap(buffer.array());
        assertThat(Varints.readVarlong(whole, 16, 32)).isEqualTo(value);
        assertThat(Varints.endOfVarlong(whole, 16, 32)).isEqualTo(16 + size);
    }

    @Test
    void shouldAcceptANonMinimalEncodingAsOtherWritersMay() {
        assertThat(Varints.readVarint(bytes("8000"))).isZero();
        assertThat(Varints.readVarlong(bytes("828000"))).isEqualTo(1);
    }

    @Test
    void shouldRejectAVarintOfMoreThanFiveBytesNamingItsPosition() {
        ByteBuffer buffer = bytes("00ffffffffff01");
        buffer.position(1);
        assertThatThrownBy(() -> Varints.readVarint(buffer)).isInstanceOf(CorruptRecordException.class)
                .hasMessage("varint at position 1 is longer than 5 bytes or overflows 32 bits");
        assertThat(buffer.position()).as("a failed read leaves the position").isEqualTo(1);
        assertThatThrownBy(() -> Varints.readVarint(buffer, 1, 7)).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("position 1");
        assertThatThrownBy(() -> Varints.endOfVarint(buffer, 1, 7)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void shouldRejectAFiveByteVarintWhoseLastByteOverflowsThirtyTwoBits() {
        assertThatThrownBy(() -> Varints.readVarint(bytes("ffffffff1f"))).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("overflows 32 bits");
        assertThatThrownBy(() -> Varints.readVarlong(bytes("ffffffffffffffffff02")))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("overflows 64 bits");
    }

    @Test
    void shouldRejectAVarlongOfMoreThanTenBytes() {
        assertThatThrownBy(() -> Varints.readVarlong(bytes("ffffffffffffffffffff01")))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("varlong at position 0 is longer than 10 bytes or overflows 64 bits");
    }

    @Test
    void shouldRejectAVarintThatRunsPastTheLimitNamingPositionAndLimit() {
        ByteBuffer buffer = bytes("000080");
        buffer.position(2);
        assertThatThrownBy(() -> Varints.readVarint(buffer)).isInstanceOf(CorruptRecordException.class)
                .hasMessage("varint at position 2 runs past the limit 3");
        assertThatThrownBy(() -> Varints.readVarlong(buffer)).isInstanceOf(CorruptRecordException.class)
                .hasMessage("varlong at position 2 runs past the limit 3");
        assertThatThrownBy(() -> Varints.readVarint(bytes("0080ff"), 1, 2)).isInstanceOf(CorruptRecordException.class)
                .hasMessage("varint at position 1 runs past the limit 2");
        assertThatThrownBy(() -> Varints.readVarint(ByteBuffer.allocate(0))).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void shouldTreatALimitPastTheBufferAsTheCallersMistake() {
        assertThatThrownBy(() -> Varints.readVarint(bytes("00"), 0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit=5");
        assertThatThrownBy(() -> Varints.readVarlong(bytes("00"), -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
