package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The stored form of a durable subscription: positions and delivered marks, and records written before the marks. */
class SubscriptionStateTest {
    @Test
    void positionsAndDeliveredMarksSurviveEncoding() {
        SubscriptionState state = new SubscriptionState("client", "sub", "orders", "a = 1", true,
                new long[] {4, -1}, new long[] {9, -1});

        SubscriptionState decoded = SubscriptionState.decode(ByteBuffer.wrap(state.key()), ByteBuffer.wrap(state.value()));

        assertThat(decoded.clientId()).isEqualTo("client");
        assertThat(decoded.name()).isEqualTo("sub");
        assertThat(decoded.topic()).isEqualTo("orders");
        assertThat(decoded.selector()).isEqualTo("a = 1");
        assertThat(decoded.noLocal()).isTrue();
        assertThat(decoded.positions()).containsExactly(4, -1);
        assertThat(decoded.delivered()).containsExactly(9, -1);
    }

    @Test
    void aRecordWithoutDeliveredMarksReadsThemAsThePositions() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(0); // the format before delivered marks
            out.writeUTF("orders");
            out.writeBoolean(false);
            out.writeBoolean(false);
            out.writeInt(2);
            out.writeLong(7);
            out.writeLong(-1);
        }

        SubscriptionState decoded = SubscriptionState.decode(ByteBuffer.wrap(SubscriptionState.key("client", "sub")),
                ByteBuffer.wrap(bytes.toByteArray()));

        assertThat(decoded.positions()).containsExactly(7, -1);
        assertThat(decoded.delivered()).containsExactly(7, -1);
        assertThat(decoded.selector()).isNull();
    }
}
