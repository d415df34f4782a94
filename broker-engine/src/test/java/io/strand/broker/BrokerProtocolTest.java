package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Produce;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.SubscriptionKind;
import io.strand.record.CompressionType;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's protocol handling seen from a raw socket: requests, pushes, and every kind of bad input. */
class BrokerProtocolTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;

    private StrandBroker start(Properties extra) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.putAll(extra);
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static ByteBuf batchOf(String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)), null);
        }
        return Unpooled.wrappedBuffer(builder.build());
    }

    static List<String> valuesOf(ByteBuf records, long fromOffset) {
        List<String> values = new ArrayList<>();
        ByteBuffer bytes = records.nioBuffer();
        RecordBatch batch = new RecordBatch();
        RecordIterator iterator = new RecordIterator();
        for (int pos = 0; pos < bytes.limit(); pos += batch.sizeInBytes()) {
            iterator.reset(batch.wrap(bytes, pos));
            while (iterator.hasNext()) {
                io.strand.record.Record record = iterator.next();
                if (record.offset() >= fromOffset) {
                    values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
                }
            }
        }
        return values;
    }

    private static ResponseStatus produce(RawClient client, String topic, String... values) throws IOException {
        Produce.Request request = new Produce.Request(DestinationType.TOPIC, topic, 0, true, batchOf(values));
        return Produce.Response.readFrom(client.call(ApiKey.PRODUCE, request::writeTo).body()).status();
    }

    private static ResponseStatus open(RawClient client, int id, SubscriptionKind kind, String name) throws IOException {
        Consumers.OpenRequest open = new Consumers.OpenRequest(id, DestinationType.TOPIC, "prices", kind, name, null,
                false, 100);
        return StatusResponse.readFrom(client.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0)).body()).status();
    }

    private static List<String> receive(RawClient client, int count) throws IOException {
        List<String> values = new ArrayList<>();
        while (values.size() < count) {
            RawClient.Frame frame = client.read();
            assertThat(frame.header().apiKey()).isEqualTo(ApiKey.DELIVER.id);
            Consumers.Deliver deliver = Consumers.Deliver.readFrom(frame.body(), frame.header().version());
            values.addAll(valuesOf(deliver.records(), deliver.fromOffset()));
        }
        return values;
    }

    @Test
    void shouldPushPublishedRecordsToAnOpenSubscriber() throws IOException {
        start(new Properties());
        try (RawClient subscriber = new RawClient(broker.address()); RawClient publisher = new RawClient(broker.address())) {
            subscriber.handshake(null);
            publisher.handshake(null);
            assertThat(open(subscriber, 1, SubscriptionKind.NON_DURABLE, null).isOk()).isTrue();

            assertThat(produce(publisher, "prices", "a", "b").isOk()).isTrue();
            assertThat(produce(publisher, "prices", "c").isOk()).isTrue();

            assertThat(receive(subscriber, 3)).containsExactly("a", "b", "c");
        }
    }

    @Test
    void shouldResumeADurableSubscriptionAfterItsAcknowledgementAcrossARestart() throws IOException {
        start(new Properties());
        try (RawClient client = new RawClient(broker.address()); RawClient publisher = new RawClient(broker.address())) {
            client.handshake("client-1");
            publisher.handshake(null);
            assertThat(open(client, 1, SubscriptionKind.DURABLE, "audit").isOk()).isTrue();
            // Published on another connection: the subscriber's pushes may come before the answer to a send of its own.
            assertThat(produce(publisher, "prices", "a", "b", "c").isOk()).isTrue();
            assertThat(receive(client, 3)).containsExactly("a", "b", "c");
            Consumers.AcknowledgeRequest beyond = new Consumers.AcknowledgeRequest(1, 0, 1_000_000);
            ResponseStatus refused = StatusResponse.readFrom(client.call(ApiKey.ACKNOWLEDGE, beyond::writeTo).body())
                    .status();
            assertThat(refused.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(refused.message()).contains("offset 1000000").contains("not delivered");
            Consumers.AcknowledgeRequest ack = new Consumers.AcknowledgeRequest(1, 0, 0);
            assertThat(StatusResponse.readFrom(client.call(ApiKey.ACKNOWLEDGE, ack::writeTo).body()).status().isOk())
                    .isTrue();
        }
        broker.close();
        broker = null;
        start(new Properties());
        try (RawClient client = new RawClient(broker.address())) {
            client.handshake("client-1");
            assertThat(open(client, 1, SubscriptionKind.DURABLE, "audit").isOk()).isTrue();
            assertThat(receive(client, 2)).containsExactly("b", "c");
        }
    }

    @Test
    void shouldRefuseASecondConnectionWithTheSameClientId() throws IOException {
        start(new Properties());
        try (RawClient first = new RawClient(broker.address()); RawClient second = new RawClient(broker.address())) {
            assertThat(first.handshake("same").status().isOk()).isTrue();
            assertThat(second.handshake("same").status().error()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
        }
    }

    @Test
    void shouldFreeTheClientIdAndCloseTheConsumersOnDisconnectBeforeTheSocketCloses() throws IOException {
        start(new Properties());
        try (RawClient first = new RawClient(broker.address()); RawClient second = new RawClient(broker.address())) {
            assertThat(first.handshake("same").status().isOk()).isTrue();
            assertThat(open(first, 1, SubscriptionKind.DURABLE, "audit")).isEqualTo(ResponseStatus.OK);
            RawClient.Frame answer = first.call(ApiKey.DISCONNECT, out -> { });
            assertThat(StatusResponse.readFrom(answer.body()).status().isOk()).isTrue();

            assertThat(second.handshake("same").status().isOk()).isTrue();
            assertThat(open(second, 1, SubscriptionKind.DURABLE, "audit")).isEqualTo(ResponseStatus.OK);
        }
    }

    @Test
    void shouldRefuseAWrongSelectorWithItsPositionAndKeepTheConnection() throws IOException {
        start(new Properties());
        try (RawClient client = new RawClient(broker.address())) {
            assertThat(client.handshake(null).status().isOk()).isTrue();
            Consumers.OpenRequest open = new Consumers.OpenRequest(1, DestinationType.QUEUE, "orders",
                    SubscriptionKind.QUEUE, null, "price > ", false, 10);
            ResponseStatus status = StatusResponse.readFrom(client.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0)).body()).status();
            assertThat(status.error()).isEqualTo(ErrorCode.INVALID_SELECTOR);
            assertThat(status.message()).contains("position");
            assertThat(produce(client, "prices", "still served")).isEqualTo(ResponseStatus.OK);
        }
    }

    @Test
    void shouldRequireTheHandshakeFirstAndCloseOtherwise() throws IOException {
        start(new Properties());
        try (RawClient client = new RawClient(broker.address())) {
            RawClient.Frame answer = client.call(ApiKey.HEARTBEAT, out -> { });
            assertThat(StatusResponse.readFrom(answer.body()).status().error()).isEqualTo(ErrorCode.HANDSHAKE_REQUIRED);
            assertThat(client.closedByBroker()).isTrue();
        }
    }

    @Test
    void shouldAnswerBadRequestsWithErrorsAndKeepTheConnection() throws IOException {
        start(new Properties());
        try (RawClient client = new RawClient(broker.address())) {
            client.handshake(null);

            ByteBuf corrupt = batchOf("x");
            corrupt.setByte(corrupt.writerIndex() - 1, corrupt.getByte(corrupt.writerIndex() - 1) ^ 1);
            Produce.Request bad = new Produce.Request(DestinationType.TOPIC, "prices", 0, true, corrupt);
            ResponseStatus crc = Produce.Response.readFrom(client.call(ApiKey.PRODUCE, bad::writeTo).body()).status();
            assertThat(crc.error()).isEqualTo(ErrorCode.CORRUPT_RECORDS);
            assertThat(crc.message()).contains("CRC");

            assertThat(produce(client, "no/slashes", "x").error()).isEqualTo(ErrorCode.INVALID_DESTINATION);

            RawClient.Frame truncated = client.call(ApiKey.PRODUCE, out -> out.writeByte(1).writeShort(50));
            ResponseStatus malformed = StatusResponse.readFrom(truncated.body()).status();
            assertThat(malformed.error()).isEqualTo(ErrorCode.MALFORMED_REQUEST);
            assertThat(malformed.message()).contains("destination");

            client.sendRaw(new byte[] {0, 0, 0, 8, 0, 99, 0, 0, 0, 0, 0, 77});
            RawClient.Frame unknownApi = client.read();
            assertThat(unknownApi.header().correlationId()).isEqualTo(77);
            assertThat(StatusResponse.readFrom(unknownApi.body()).status().error()).isEqualTo(ErrorCode.UNSUPPORTED_API);

            RawClient.Frame emptyHandshake = client.call(ApiKey.HANDSHAKE, out -> { });
            assertThat(StatusResponse.readFrom(emptyHandshake.body()).status().error())
                    .isEqualTo(ErrorCode.MALFORMED_REQUEST);

            assertThat(produce(client, "prices", "still works").isOk()).isTrue();
        }
    }

    @Test
    void shouldRefuseUnknownDestinationsWhenAutoCreationIsOff() throws IOException {
        Properties noAutoCreate = new Properties();
        noAutoCreate.setProperty(BrokerConfig.AUTO_CREATE, "false");
        start(noAutoCreate);
        try (RawClient client = new RawClient(broker.address())) {
            client.handshake(null);
            ResponseStatus status = produce(client, "nowhere", "x");
            assertThat(status.error()).isEqualTo(ErrorCode.UNKNOWN_DESTINATION);
            assertThat(status.message()).contains("nowhere").contains("auto-creation");

            Destinations.CreateRequest create = new Destinations.CreateRequest(DestinationType.TOPIC, "nowhere", 2, false);
            assertThat(StatusResponse.readFrom(client.call(ApiKey.CREATE_DESTINATION, out -> create.writeTo(out, (short) 0)).body())
                    .status().isOk()).isTrue();
            assertThat(produce(client, "nowhere", "x").isOk()).isTrue();
        }
    }

    @Test
    void shouldCloseAConnectionThatFallsSilentButKeepOneThatSendsHeartbeats() throws Exception {
        Properties shortIdle = new Properties();
        shortIdle.setProperty(BrokerConfig.IDLE_TIMEOUT_MS, "2000");
        start(shortIdle);
        try (RawClient silent = new RawClient(broker.address()); RawClient alive = new RawClient(broker.address())) {
            silent.handshake(null);
            alive.handshake(null);
            // Heartbeats ten times more often than the timeout, for longer than the timeout.
            for (int i = 0; i < 15; i++) {
                Thread.sleep(200);
                alive.call(ApiKey.HEARTBEAT, out -> { });
            }
            assertThat(silent.closedByBroker()).isTrue();
            assertThat(StatusResponse.readFrom(alive.call(ApiKey.HEARTBEAT, out -> { }).body()).status().isOk()).isTrue();
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSentAnUnframeableLength() throws IOException {
        start(new Properties());
        try (RawClient garbage = new RawClient(broker.address()); RawClient good = new RawClient(broker.address())) {
            good.handshake(null);
            garbage.sendRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            assertThat(garbage.closedByBroker()).isTrue();
            assertThat(produce(good, "prices", "fine").isOk()).isTrue();
        }
    }
}
