package io.strand.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The handshake's user name and password on the wire: carried, checked like every field, never shown. */
class HandshakeCredentialsTest {
    private static ByteBuf written(Handshake.Request request) {
        ByteBuf out = Unpooled.buffer();
        request.writeTo(out);
        return out;
    }

    @Test
    void shouldCarryTheUserNameAndPassword() {
        Handshake.Request request = new Handshake.Request((short) 0, (short) 0, "cts", "strand-test", "j2ee", "s3cret");
        assertThat(Handshake.Request.readFrom(new FrameReader(written(request)))).isEqualTo(request);
    }

    @Test
    void shouldWriteAnAnonymousHandshakeWithNullCredentials() {
        Handshake.Request anonymous = new Handshake.Request((short) 0, (short) 0, null, "strand-test");
        Handshake.Request read = Handshake.Request.readFrom(new FrameReader(written(anonymous)));
        assertThat(read.userName()).isNull();
        assertThat(read.password()).isNull();
    }

    @Test
    void shouldRefuseAPasswordLongerThanTheFrame() {
        ByteBuf out = written(new Handshake.Request((short) 0, (short) 0, null, "t", "u", null));
        out.writerIndex(out.writerIndex() - 2);
        out.writeShort(50); // the password claims 50 bytes that the frame does not hold
        out.writeBytes(new byte[] {'p', 'w'});
        assertThatThrownBy(() -> Handshake.Request.readFrom(new FrameReader(out)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("password");
    }

    @Test
    void shouldRefuseAHandshakeThatEndsBeforeItsCredentials() {
        ByteBuf out = Unpooled.buffer();
        out.writeShort(0);
        out.writeShort(0);
        FrameWriter.writeNullableString(out, null);
        FrameWriter.writeNullableString(out, "old-client");
        assertThatThrownBy(() -> Handshake.Request.readFrom(new FrameReader(out)))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("user name");
    }

    @Test
    void shouldNeverShowThePassword() {
        Handshake.Request request = new Handshake.Request((short) 0, (short) 0, null, "t", "j2ee", "s3cret");
        assertThat(request.toString()).contains("j2ee").doesNotContain("s3cret");
    }
}
