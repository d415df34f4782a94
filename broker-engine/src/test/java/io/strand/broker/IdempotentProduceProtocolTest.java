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

/**
 * Sends of an idempotent producer seen from a raw socket: a resent batch gets its first offset, a gap or a producer id
 * outside a client's range a clear error.
 */
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

    /** A producer id from a client's range. */
    private static final long PRODUCER = ClientProducerIds.FIRST + 42;

    private static Produce.Response send(RawClient client, int sequence, String value) throws IOException {
        return send(client, PRODUCER, sequence, value);
    }

    private static Produce.Response send(RawClient client, long producerId, int sequence, String value)
            throws IOException {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0, producerId, (short) 0,
                sequence, false);
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
            assertThat(gap.status().message()).contains("producer " + PRODUCER).contains("sequence 5")
                    .contains("next is 2");

            // Ids below a client's range are the ones the broker stamps transactions' batches with.
            Produce.Response brokers = send(client, 42, 0, "x");
            assertThat(brokers.status().error()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(brokers.status().message()).contains("producer id 42", "queue", "ledger",
                    "a client's producer ids start at " + ClientProducerIds.FIRST);

            assertThat(send(client, 2, "c").baseOffset()).as("the connection and the partition go on").isEqualTo(2);
        }
    }
}
