package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Produce;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sends of an idempotent producer seen from a raw socket: a resent batch gets its first offset, a gap a clear error. */
class IdempotentProduceProtocolTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Produce.Response send(RawClient client, int sequence, String value) throws IOException {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0, 42, (short) 0, sequence,
                false);
        builder.append(System.currentTimeMillis(), null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)), null);
        Produce.Request request = new Produce.Request(DestinationType.QUEUE, "ledger", 0, true,
                Unpooled.wrappedBuffer(builder.build()));
        return Produce.Response.readFrom(client.call(ApiKey.PRODUCE, request::writeTo).body());
    }

    @Test
    void aResentBatchIsAnsweredWithItsFirstOffsetAndAGapIsRefused() throws IOException {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        try (RawClient client = new RawClient(broker.address())) {
            client.handshake(null);
            assertThat(send(client, 0, "a").baseOffset()).isZero();
            assertThat(send(client, 1, "b").baseOffset()).isEqualTo(1);

            Produce.Response resent = send(client, 0, "a");
            assertThat(resent.status().isOk()).isTrue();
            assertThat(resent.baseOffset()).as("the offset it got the first time").isZero();

            Produce.Response gap = send(client, 5, "f");
            assertThat(gap.status().error()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(gap.status().message()).contains("producer 42").contains("sequence 5").contains("next is 2");

            assertThat(send(client, 2, "c").baseOffset()).as("the connection and the partition go on").isEqualTo(2);
        }
    }
}
