package io.strand.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static ByteBuf frame(short api, int correlationId, String body) {
        ByteBuf out = Unpooled.buffer();
        FrameHeader header = new FrameHeader(api, (short) 0, correlationId);
        int start = header.begin(out);
        out.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        FrameHeader.finish(out, start);
        return out;
    }

    @Test
    void shouldEmitWholeFramesWhenBytesArriveOneAtATime() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(1024));
        ByteBuf bytes = Unpooled.wrappedBuffer(frame((short) 5, 7, "first"), frame((short) 6, 8, "second"));
        while (bytes.isReadable()) {
            channel.writeInbound(bytes.readRetainedSlice(1));
        }
        bytes.release();

        ByteBuf first = channel.readInbound();
        FrameReader reader = new FrameReader(first);
        assertThat(FrameHeader.read(reader)).isEqualTo(new FrameHeader((short) 5, (short) 0, 7));
        assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo("first");
        first.release();
        ByteBuf second = channel.readInbound();
        assertThat(FrameHeader.read(new FrameReader(second)).correlationId()).isEqualTo(8);
        second.release();
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void shouldRejectALengthOverTheMaximumAndDiscardTheRest() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(64));
        ByteBuf huge = Unpooled.buffer().writeInt(1 << 30).writeBytes(new byte[100]);

        assertThatThrownBy(() -> channel.writeInbound(huge)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("frame length 1073741824 is outside [8, 64]");
        channel.writeInbound(frame((short) 1, 1, "after"));
        assertThat((Object) channel.readInbound()).as("the stream cannot be framed again").isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRejectALengthShorterThanTheHeader() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(64));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer().writeInt(3).writeBytes(new byte[3])))
                .hasCauseInstanceOf(MalformedFrameException.class).hasMessageContaining("frame length 3");
        channel.finishAndReleaseAll();
    }
}
