package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Produce;
import io.strand.protocol.StatusResponse;
import io.strand.protocol.SubscriptionKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker in its own JVM, killed with SIGKILL and started again: every persistent send it
 * acknowledged survives, a durable subscriber's backlog survives, and records the subscriber
 * acknowledged are not delivered again.
 */
class BrokerRestartTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedSendsAndDurableBacklogSurviveKillNine() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        List<String> sent = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port)) {
            try (RawClient client = new RawClient(broker.address())) {
                client.handshake("restart-client");
                Consumers.OpenRequest open = new Consumers.OpenRequest(1, DestinationType.TOPIC, "events",
                        SubscriptionKind.DURABLE, "audit", null, false, 10);
                assertThat(StatusResponse.readFrom(client.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0)).body()).status()
                        .isOk()).isTrue();
                Consumers.CloseRequest close = new Consumers.CloseRequest(1);
                client.call(ApiKey.CLOSE_CONSUMER, close::writeTo);
            }
            try (RawClient producer = new RawClient(broker.address())) {
                producer.handshake(null);
                for (int i = 0; i < 50; i++) {
                    String value = "event-" + i;
                    Produce.Request request = new Produce.Request(DestinationType.TOPIC, "events", 0, true,
                            BrokerProtocolTest.batchOf(value));
                    Produce.Response response = Produce.Response.readFrom(producer.call(ApiKey.PRODUCE,
                            request::writeTo).body());
                    assertThat(response.status().isOk()).isTrue();
                    assertThat(response.baseOffset()).isEqualTo(i);
                    sent.add(value);
                }
            }
            try (RawClient subscriber = new RawClient(broker.address())) {
                subscriber.handshake("restart-client");
                Consumers.OpenRequest open = new Consumers.OpenRequest(2, DestinationType.TOPIC, "events",
                        SubscriptionKind.DURABLE, "audit", null, false, 20);
                subscriber.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0));
                List<String> first = receive(subscriber, 20);
                assertThat(first).isEqualTo(sent.subList(0, first.size()));
                Consumers.AcknowledgeRequest ack = new Consumers.AcknowledgeRequest(2, 0, 19);
                RawClient.Frame acked = subscriber.call(ApiKey.ACKNOWLEDGE, ack::writeTo);
                assertThat(StatusResponse.readFrom(acked.body()).status().isOk()).isTrue();
            }
            broker.kill9();
        }
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port);
             RawClient subscriber = new RawClient(broker.address())) {
            subscriber.handshake("restart-client");
            Consumers.OpenRequest open = new Consumers.OpenRequest(3, DestinationType.TOPIC, "events",
                    SubscriptionKind.DURABLE, "audit", null, false, 100);
            assertThat(StatusResponse.readFrom(subscriber.call(ApiKey.OPEN_CONSUMER, out -> open.writeTo(out, (short) 0)).body()).status()
                    .isOk()).isTrue();
            assertThat(receive(subscriber, 30)).isEqualTo(sent.subList(20, 50));
        }
    }

    private static List<String> receive(RawClient client, int count) throws java.io.IOException {
        List<String> values = new ArrayList<>();
        while (values.size() < count) {
            RawClient.Frame frame = client.read();
            if (frame.header().apiKey() != ApiKey.DELIVER.id) {
                continue;
            }
            Consumers.Deliver deliver = Consumers.Deliver.readFrom(frame.body(), frame.header().version());
            values.addAll(BrokerProtocolTest.valuesOf(deliver.records(), deliver.fromOffset()));
        }
        return values;
    }
}
