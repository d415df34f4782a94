package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus endpoint of a real broker, scraped over HTTP while JMS clients produce and consume. */
class MetricsEndpointTest {
    @TempDir
    Path dataDir;
    private StrandBroker broker;

    private StrandBroker start(String metricsPort) {
        return start(metricsPort, new Properties());
    }

    private StrandBroker start(String metricsPort, Properties properties) {
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.setProperty(BrokerConfig.METRICS_PORT, metricsPort);
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private HttpResponse<String> get(String method) throws Exception {
        return get(broker, method);
    }

    private static HttpResponse<String> get(StrandBroker of, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + of.metricsAddress().getPort()
                + "/metrics")).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        return scrape(broker);
    }

    private static String scrape(StrandBroker of) throws Exception {
        HttpResponse<String> response = get(of, "GET");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return response.body();
    }

    @Test
    void exposesLogsLagInFlightAndConnections() throws Exception {
        start("0");
        Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort())
                .createConnection();
        try {
            connection.setClientID("metrics-app");
            connection.start();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            session.createDurableSubscriber(session.createTopic("prices"), "ticker").close();
            MessageProducer producer = session.createProducer(null);
            for (int i = 0; i < 3; i++) {
                producer.send(session.createQueue("orders"), session.createTextMessage("order " + i));
                producer.send(session.createTopic("prices"), session.createTextMessage("price " + i));
            }
            MessageConsumer receiver = session.createConsumer(session.createQueue("orders"));
            assertThat(receiver.receive(10_000)).isNotNull();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                    .contains("strand_log_end_offset{destination=\"orders\",partition=\"0\",type=\"queue\"} 3.0")
                    .contains("strand_log_high_watermark{destination=\"prices\",partition=\"0\",type=\"topic\"} 3.0")
                    .contains("strand_destination_messages{destination=\"orders\",partition=\"0\",type=\"queue\"} 3.0")
                    .containsPattern("strand_log_size_bytes\\{destination=\"orders\",partition=\"0\",type=\"queue\"} [1-9]")
                    .contains("strand_subscription_lag_messages{client_id=\"metrics-app\",partition=\"0\","
                            + "subscription=\"ticker\",topic=\"prices\"} 3.0")
                    .containsPattern("strand_subscription_lag_age_seconds\\{client_id=\"metrics-app\"[^}]*} [0-9.]+")
                    .contains("strand_queue_lag_messages{partition=\"0\",queue=\"orders\"} 3.0")
                    .containsPattern("strand_queue_in_flight_messages\\{partition=\"0\",queue=\"orders\"} [1-3].0")
                    .contains("strand_queue_consumers{queue=\"orders\"} 1.0")
                    .contains("strand_queue_dead_letters_messages{dead_letter_queue=\"DLQ.orders\",queue=\"orders\"} 0.0")
                    .contains("strand_connections 1.0")
                    .containsPattern("strand_requests_seconds_count\\{api=\"PRODUCE\"} 6")
                    // Two handshakes on the one connection: the connection's own, and the one setClientID
                    // sends to announce "metrics-app". Both fall in the timer's upper buckets whatever they took.
                    .contains("strand_requests_seconds_count{api=\"HANDSHAKE\"} 2")
                    .containsPattern("strand_requests_seconds_bucket\\{api=\"HANDSHAKE\",le=\"[0-9.]+\"} 2\n")
                    .containsPattern("strand_requests_seconds_max\\{api=\"OPEN_CONSUMER\"} [0-9.E-]+")
                    .contains("jvm_memory_used_bytes"));
        } finally {
            connection.close();
        }
        // Records delivered and never acknowledged stay in flight, waiting for their redelivery.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("strand_connections 0.0")
                .contains("strand_queue_consumers{queue=\"orders\"} 0.0")
                .containsPattern("strand_queue_in_flight_messages\\{partition=\"0\",queue=\"orders\"} [1-3].0")
                .contains("strand_queue_lag_messages{partition=\"0\",queue=\"orders\"} 3.0"));
        assertThat(get("POST").statusCode()).isEqualTo(405);
    }

    @Test
    void countsAppendedRecordsAndBytesPerPartitionAndTimesEachFsync() throws Exception {
        start("0");
        Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort())
                .createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("invoices"));
            for (int i = 0; i < 4; i++) {
                producer.send(session.createTextMessage("invoice " + i)); // durable: waits for the fsync
            }
            // A transaction's records count as they are committed: to one queue, and to two in one commit.
            Session transacted = connection.createSession(Session.SESSION_TRANSACTED);
            MessageProducer staged = transacted.createProducer(null);
            staged.send(transacted.createQueue("invoices"), transacted.createTextMessage("invoice 4"));
            transacted.commit();
            staged.send(transacted.createQueue("invoices"), transacted.createTextMessage("invoice 5"));
            staged.send(transacted.createQueue("credits"), transacted.createTextMessage("credit 0"));
            staged.send(transacted.createQueue("credits"), transacted.createTextMessage("credit 1"));
            transacted.commit();
        } finally {
            connection.close();
        }
        String scraped = scrape();
        assertThat(scraped)
                .contains("strand_destination_in_records_total{destination=\"invoices\",partition=\"0\",type=\"queue\"} 6.0")
                .contains("strand_destination_in_records_total{destination=\"credits\",partition=\"0\",type=\"queue\"} 2.0")
                .containsPattern("strand_log_flush_seconds_bucket\\{le=\"[0-9.]+\"} [0-9]")
                .containsPattern("strand_log_flush_seconds_max [0-9.E-]+");
        assertThat(number(scraped, "strand_destination_in_bytes_total{destination=\"invoices\",partition=\"0\",type=\"queue\"} "))
                .isGreaterThan(6 * "invoice 0".length());
        assertThat(number(scraped, "strand_log_flush_seconds_count ")).isGreaterThanOrEqualTo(1);
    }

    private static double number(String scraped, String series) {
        int at = scraped.indexOf(series);
        assertThat(at).as("series " + series).isNotNegative();
        int end = scraped.indexOf('\n', at);
        return Double.parseDouble(scraped.substring(at + series.length(), end).trim());
    }

    @Test
    void countsRecordsSentRedeliveredAndDeadLetteredPerQueue() throws Exception {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.MAX_DELIVERY_ATTEMPTS, "3");
        start("0", properties);
        Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort())
                .createConnection();
        try {
            connection.start();
            Session first = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageProducer producer = first.createProducer(first.createQueue("refunds"));
            producer.send(first.createTextMessage("r1"));
            producer.send(first.createTextMessage("r2"));
            MessageConsumer receiver = first.createConsumer(first.createQueue("refunds"));
            assertThat(receiver.receive(10_000)).isNotNull();
            assertThat(receiver.receive(10_000)).isNotNull();
            first.recover(); // the client delivers both again, the broker counts a second delivery
            assertThat(receiver.receive(10_000).getJMSRedelivered()).isTrue();
            assertThat(receiver.receive(10_000).getJMSRedelivered()).isTrue();
            first.close(); // unacknowledged: both go back to the queue

            Session second = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer again = second.createConsumer(second.createQueue("refunds"));
            assertThat(again.receive(10_000).getJMSRedelivered()).isTrue(); // sent by the broker a second time
            assertThat(again.receive(10_000).getJMSRedelivered()).isTrue();
            second.recover(); // delivered three times, the most allowed: both go to the dead-letter queue
            assertThat(again.receive(300)).isNull();
        } finally {
            connection.close();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("strand_destination_out_records_total{destination=\"refunds\",partition=\"0\",type=\"queue\"} 4.0")
                .containsPattern("strand_destination_out_bytes_total\\{destination=\"refunds\",partition=\"0\",type=\"queue\"} [1-9]")
                .contains("strand_queue_redelivered_messages_total{queue=\"refunds\"} 4.0")
                .contains("strand_queue_dead_lettered_messages_total{queue=\"refunds\"} 2.0"));
    }

    @Test
    void countsTheRecordsPushedToTopicSubscribers() throws Exception {
        start("0");
        try (Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort())
                .createConnection()) {
            connection.setClientID("audit");
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic prices = session.createTopic("prices");
            MessageConsumer plain = session.createConsumer(prices);
            MessageConsumer durable = session.createDurableSubscriber(prices, "history");
            MessageProducer producer = session.createProducer(prices);
            for (int i = 0; i < 3; i++) {
                producer.send(session.createTextMessage("price " + i));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(plain.receive(10_000)).isNotNull();
                assertThat(durable.receive(10_000)).isNotNull();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("strand_destination_out_records_total{destination=\"prices\",partition=\"0\",type=\"topic\"} 6.0"));
        assertThat(number(scrape(), "strand_destination_out_bytes_total{destination=\"prices\",partition=\"0\",type=\"topic\"} "))
                .as("the batches holding the three records, pushed to each subscriber").isGreaterThan(6 * "price 0".length());
    }

    @Test
    void publishesTheMetersAsMBeansUnlessJmxIsOff() throws Exception {
        start("0");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort())
                .createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("jmx-orders"));
            producer.send(session.createTextMessage("first"));
            ObjectName records = new ObjectName(
                    "strand:name=strandDestinationInRecords.destination.jmx-orders.partition.0.type.queue,type=meters");
            assertThat(server.isRegistered(records)).as("MBean " + records + " among "
                    + server.queryNames(new ObjectName("strand:*"), null)).isTrue();
            assertThat(((Number) server.getAttribute(records, "Count")).longValue()).isEqualTo(1);
            producer.send(session.createTextMessage("second"));
            producer.send(session.createTextMessage("third"));
            assertThat(((Number) server.getAttribute(records, "Count")).longValue()).isEqualTo(3);
            assertThat(server.isRegistered(new ObjectName("strand:name=strandLogFlush,type=timers"))).isTrue();
        } finally {
            connection.close();
        }
        broker.close();
        broker = null;
        assertThat(server.queryNames(new ObjectName("strand:*"), null)).isEmpty();

        Properties noJmx = new Properties();
        noJmx.setProperty(BrokerConfig.METRICS_JMX, "false");
        start("0", noJmx);
        assertThat(server.queryNames(new ObjectName("strand:*"), null)).isEmpty();
    }

    @Test
    void countsEveryHandshakeOfItsOwnConnectionsOnly(@TempDir Path otherDataDir) throws Exception {
        start("0");
        Properties otherProperties = new Properties();
        otherProperties.setProperty(BrokerConfig.PORT, "0");
        otherProperties.setProperty(BrokerConfig.DATA_DIR, otherDataDir.toString());
        otherProperties.setProperty(BrokerConfig.METRICS_PORT, "0");
        try (StrandBroker other = StrandBroker.start(BrokerConfig.from(otherProperties), null)) {
            StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort());
            try (Connection anonymous = factory.createConnection(); Connection named = factory.createConnection()) {
                named.setClientID("named-app"); // a second handshake on the same connection
                // The broker times a request just after writing its answer: the count may trail the client a little.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                        .contains("strand_connections 2.0")
                        .contains("strand_requests_seconds_count{api=\"HANDSHAKE\"} 3"));
                assertThat(scrape(other)).contains("strand_connections 0.0")
                        .doesNotContain("strand_requests_seconds_count{api=\"HANDSHAKE\"}");
            }
            try (Connection toOther = new StrandConnectionFactory("strand://127.0.0.1:" + other.address().getPort())
                    .createConnection()) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(other))
                        .contains("strand_requests_seconds_count{api=\"HANDSHAKE\"} 1"));
                assertThat(scrape()).contains("strand_requests_seconds_count{api=\"HANDSHAKE\"} 3");
            }
        }
    }

    @Test
    void isOffUnlessConfiguredAndRefusesABadPort() {
        assertThat(start("-1").metricsAddress()).isNull();
        Properties bad = new Properties();
        bad.setProperty(BrokerConfig.METRICS_PORT, "70000");
        assertThatThrownBy(() -> BrokerConfig.from(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metrics.port=70000");
    }
}
