package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Produce;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.SubscriptionKind;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queues through the raw protocol: competing consumers, acknowledgements, release on close, restart. */
class QueueProtocolTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;

    private void start() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void send(RawClient client, String... values) throws IOException {
        Produce.Request request = new Produce.Request(DestinationType.QUEUE, "jobs", 0, true,
                BrokerProtocolTest.batchOf(values));
        assertThat(Produce.Response.readFrom(client.call(ApiKey.PRODUCE, request::writeTo).body()).status().isOk()).isTrue();
    }

    private static ResponseStatus open(RawClient client, int id, int credit) throws IOException {
        Consumers.OpenRequest open = new Consumers.OpenRequest(id, DestinationType.QUEUE, "jobs", SubscriptionKind.QUEUE,
                null, null, false, credit);
        return StatusResponse.readFrom(client.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0)).body()).status();
    }

    /** Reads pushes until {@code count} acquired records arrived: offset -> "value/deliveryCount". */
    private static TreeMap<Long, String> receive(RawClient client, int count) throws IOException {
        TreeMap<Long, String> received = new TreeMap<>();
        while (received.size() < count) {
            RawClient.Frame frame = client.read();
            if (frame.header().apiKey() != ApiKey.SHARE_DELIVER.id) {
                continue;
            }
            Shares.Deliver deliver = Shares.Deliver.readFrom(frame.body());
            ByteBuffer bytes = deliver.records().nioBuffer();
            RecordBatch batch = new RecordBatch();
            RecordIterator records = new RecordIterator();
            for (int pos = 0; pos < bytes.limit(); pos += batch.sizeInBytes()) {
                records.reset(batch.wrap(bytes, pos));
                while (records.hasNext()) {
                    Record record = records.next();
                    for (Shares.AcquiredRange range : deliver.acquired()) {
                        if (range.contains(record.offset())) {
                            received.put(record.offset(), StandardCharsets.UTF_8.decode(record.value()) + "/"
                                    + range.deliveryCount());
                        }
                    }
                }
            }
        }
        return received;
    }

    private static ResponseStatus ack(RawClient client, int consumer, long first, long last, Shares.AckType type)
            throws IOException {
        Shares.AcknowledgeRequest request = new Shares.AcknowledgeRequest(consumer, 0,
                List.of(new Shares.AckRange(first, last, type)));
        return StatusResponse.readFrom(client.call(ApiKey.SHARE_ACKNOWLEDGE, request::writeTo).body()).status();
    }

    @Test
    void competingConsumersShareTheQueueAndGetBackWhatAClosedOneHeld() throws IOException {
        start();
        try (RawClient producer = new RawClient(broker.address()); RawClient a = new RawClient(broker.address());
             RawClient b = new RawClient(broker.address())) {
            producer.handshake(null);
            a.handshake(null);
            b.handshake(null);
            send(producer, "j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8", "j9");

            assertThat(open(a, 1, 4).isOk()).isTrue();
            TreeMap<Long, String> forA = receive(a, 4);
            assertThat(open(b, 1, 100).isOk()).isTrue();
            TreeMap<Long, String> forB = receive(b, 6);
            assertThat(forA.keySet()).doesNotContainAnyElementsOf(forB.keySet());
            assertThat(forA.size() + forB.size()).isEqualTo(10);

            long first = forA.firstKey();
            assertThat(ack(a, 1, first, first, Shares.AckType.ACCEPT).isOk()).isTrue();
            assertThat(ack(a, 1, forB.firstKey(), forB.firstKey(), Shares.AckType.ACCEPT).error())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            Consumers.CloseRequest close = new Consumers.CloseRequest(1);
            a.call(ApiKey.CLOSE_CONSUMER, close::writeTo);

            TreeMap<Long, String> redelivered = receive(b, 3);
            assertThat(redelivered.keySet()).containsExactlyElementsOf(forA.tailMap(first, false).keySet());
            assertThat(redelivered.values()).allSatisfy(v -> assertThat(v).endsWith("/2"));
        }
    }

    @Test
    void acknowledgementsSurviveARestartAndUnacknowledgedRecordsComeBackRedelivered() throws IOException {
        start();
        try (RawClient client = new RawClient(broker.address())) {
            client.handshake(null);
            send(client, "a", "b", "c", "d");
            assertThat(open(client, 1, 10).isOk()).isTrue();
            assertThat(receive(client, 4)).hasSize(4);
            assertThat(ack(client, 1, 0, 1, Shares.AckType.ACCEPT).isOk()).isTrue();
        }
        broker.close();
        broker = null;
        start();
        try (RawClient client = new RawClient(broker.address())) {
            client.handshake(null);
            assertThat(open(client, 1, 10).isOk()).isTrue();
            TreeMap<Long, String> again = receive(client, 2);
            assertThat(again).containsExactly(Map.entry(2L, "c/2"), Map.entry(3L, "d/2"));
        }
    }
}
