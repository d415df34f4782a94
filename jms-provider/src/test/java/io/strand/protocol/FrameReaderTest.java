package io.strand.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    @Test
    void shouldRoundTripEveryFieldKind() {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(1);
        FrameWriter.writeBoolean(out, true);
        out.writeShort(-2).writeInt(3).writeLong(4);
        FrameWriter.writeNullableString(out, "héllo");
        FrameWriter.writeNullableString(out, null);
        FrameWriter.writeNullableBytes(out, Unpooled.wrappedBuffer(new byte[] {9, 8}));
        FrameWriter.writeNullableBytes(out, null);

        FrameReader in = new FrameReader(out);
        assertThat(in.readInt8("a")).isEqualTo((byte) 1);
        assertThat(in.readBoolean("b")).isTrue();
        assertThat(in.readInt16("c")).isEqualTo((short) -2);
        assertThat(in.readInt32("d")).isEqualTo(3);
        assertThat(in.readInt64("e")).isEqualTo(4);
        assertThat(in.readString("f")).isEqualTo("héllo");
        assertThat(in.readNullableString("g")).isNull();
        assertThat(in.readBytes("h", 10).readableBytes()).isEqualTo(2);
        assertThat(in.readNullableBytes("i", 10)).isNull();
        in.end("test frame");
    }

    @Test
    void shouldNameTheFieldAndPositionWhenBytesRunOut() {
        FrameReader in = new FrameReader(Unpooled.buffer().writeShort(1));
        in.readInt16("first");
        assertThatThrownBy(() -> in.readInt64("offset")).isInstanceOf(MalformedFrameException.class)
                .hasMessage("offset at body byte 2 needs 8 bytes, 0 remain");
    }

    @Test
    void shouldRejectLengthsPastTheFrameOrTheLimit() {
        assertThatThrownBy(() -> new FrameReader(Unpooled.buffer().writeShort(500).writeByte('x')).readString("name"))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("name at body byte 2 needs 500 bytes");
        assertThatThrownBy(() -> new FrameReader(Unpooled.buffer().writeInt(Integer.MAX_VALUE)).readBytes("records", 1024))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("outside [0, 1024]");
        assertThatThrownBy(() -> new FrameReader(Unpooled.buffer().writeShort(-7)).readString("name"))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("negative length -7");
    }

    @Test
    void shouldRejectCountsTheFrameCannotHold() {
        assertThatThrownBy(() -> new FrameReader(Unpooled.buffer().writeInt(1000).writeLong(0)).readCount("offsets", 5000, 8))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("cannot fit");
        assertThatThrownBy(() -> new FrameReader(Unpooled.buffer().writeInt(-1)).readCount("offsets", 10, 8))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("outside [0, 10]");
    }

    @Test
    void shouldRejectTrailingBytesAndBadBooleans() {
        FrameReader in = new FrameReader(Unpooled.buffer().writeByte(2).writeByte(0));
        assertThatThrownBy(() -> in.readBoolean("durable")).hasMessageContaining("durable is a boolean but holds 2");
        assertThatThrownBy(() -> in.end("produce request")).hasMessageContaining("1 unexpected trailing bytes");
    }
}
