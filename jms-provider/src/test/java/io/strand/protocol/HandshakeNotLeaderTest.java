package io.strand.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The handshake answer of a broker that does not serve clients: the status, then the endpoint of the one that does. */
class HandshakeNotLeaderTest {
    private static byte[] bytesOf(Handshake.Response response) {
        ByteBuf out = Unpooled.buffer();
        response.writeTo(out);
        return ByteBufUtil.getBytes(out);
    }

    private static Handshake.Response read(byte[] bytes) {
        return Handshake.Response.readFrom(new FrameReader(Unpooled.wrappedBuffer(bytes)));
    }

    @Test
    void aNotLeaderAnswerCarriesTheLeadersEndpointAfterItsStatus() {
        Handshake.Response answer = Handshake.Response.notLeader("broker 2 is a replica", "10.0.0.1:61617");
        byte[] bytes = bytesOf(answer);

        ByteBuf expected = Unpooled.buffer();
        ResponseStatus.of(ErrorCode.NOT_LEADER, "broker 2 is a replica").writeTo(expected);
        expected.writeShort("10.0.0.1:61617".length());
        expected.writeBytes("10.0.0.1:61617".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes).containsExactly(ByteBufUtil.getBytes(expected));

        Handshake.Response read = read(bytes);
        assertThat(read.status().error()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(read.status().message()).isEqualTo("broker 2 is a replica");
        assertThat(read.leaderEndpoint()).isEqualTo("10.0.0.1:61617");
    }

    @Test
    void aNotLeaderAnswerMaySayItKnowsNoLeader() {
        Handshake.Response read = read(bytesOf(Handshake.Response.notLeader(null, null)));
        assertThat(read.status().error()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(read.leaderEndpoint()).isNull();
    }

    @Test
    void otherErrorAnswersAreTheStatusAloneAsBefore() {
        Handshake.Response refused = new Handshake.Response(ResponseStatus.of(ErrorCode.AUTHENTICATION_FAILED, "no"),
                (short) -1, -1, null);
        ByteBuf statusOnly = Unpooled.buffer();
        refused.status().writeTo(statusOnly);
        assertThat(bytesOf(refused)).containsExactly(ByteBufUtil.getBytes(statusOnly));
        assertThat(read(bytesOf(refused)).leaderEndpoint()).isNull();
    }

    @Test
    void aNotLeaderAnswerWithoutItsEndpointFieldIsMalformed() {
        ByteBuf statusOnly = Unpooled.buffer();
        ResponseStatus.of(ErrorCode.NOT_LEADER, null).writeTo(statusOnly);
        assertThatThrownBy(() -> read(ByteBufUtil.getBytes(statusOnly))).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("leader endpoint");
    }

    @Test
    void onlyANotLeaderAnswerNamesALeader() {
        assertThatThrownBy(() -> new Handshake.Response(ResponseStatus.OK, (short) 2, 0, "strand", null, "h:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOT_LEADER");
    }
}
