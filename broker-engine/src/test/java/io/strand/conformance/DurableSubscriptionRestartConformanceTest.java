package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.QUIET_MS;
import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 §3.4.7, §3.5.11 and §9.1 across a broker restart: a message a durable subscriber
 * received and did not acknowledge before its connection closed is redelivered after the broker stopped and
 * started again, still marked redelivered. Each test has a broker of its own, stopped and started on the same
 * data directory: over {@code strand://} a broker on a loopback socket, over {@code vm://} the embedded broker,
 * which stops when its last connection closes.
 */
class DurableSubscriptionRestartConformanceTest {
    @TempDir
    Path dir;

    /** A broker that can be stopped and started again on the same data. */
    private final class RestartableBroker implements AutoCloseable {
        private final Transport transport;
        private StrandBroker tcpBroker;

        RestartableBroker(Transport transport) throws Exception {
            this.transport = transport;
            start();
        }

        void start() throws Exception {
            if (transport == Transport.TCP) {
                Properties properties = new Properties();
                properties.setProperty(BrokerConfig.PORT, "0");
                properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("tcp").toString());
                properties.setProperty("log.flush.mode", "none");
                tcpBroker = StrandBroker.start(BrokerConfig.from(properties), null);
            }
        }

        StrandConnectionFactory factory() {
            return transport == Transport.TCP
                    ? new StrandConnectionFactory("strand://127.0.0.1:" + tcpBroker.address().getPort())
                    : new StrandConnectionFactory("vm://restart-" + dir.getFileName() + "?dataDir=" + dir.resolve("vm")
                    + "&log.flush.mode=none");
        }

        /** Stops the broker once every connection is closed: the embedded one stops by itself then. */
        void stop() throws Exception {
            if (transport == Transport.TCP) {
                tcpBroker.close();
                tcpBroker = null;
            } else {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(dir.resolve("vm").resolve(".clean-shutdown")).exists());
            }
        }

        @Override
        public void close() throws Exception {
            if (tcpBroker != null) {
                tcpBroker.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnacknowledgedDurableMessageIsRedeliveredMarkedAfterARestart(Transport transport) throws Exception {
        try (RestartableBroker broker = new RestartableBroker(transport)) {
            try (Connection connection = broker.factory().createConnection()) {
                connection.setClientID("restarting");
                Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Topic topic = session.createTopic("restart-durable");
                MessageConsumer subscriber = session.createDurableConsumer(topic, "sub");
                connection.start();
                session.createProducer(topic).send(session.createTextMessage("kept"));
                Message kept = subscriber.receive(WAIT_MS);
                assertThat(((TextMessage) kept).getText()).isEqualTo("kept");
                assertThat(kept.getJMSRedelivered()).isFalse();
            }
            broker.stop();
            broker.start();
            try (Connection connection = broker.factory().createConnection()) {
                connection.setClientID("restarting");
                Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer subscriber = session.createDurableConsumer(session.createTopic("restart-durable"), "sub");
                connection.start();
                Message again = subscriber.receive(WAIT_MS);
                assertThat(((TextMessage) again).getText()).isEqualTo("kept");
                assertThat(again.getJMSRedelivered()).isTrue();
                assertThat(again.getIntProperty("JMSXDeliveryCount")).isGreaterThanOrEqualTo(2);
                again.acknowledge();
                assertThat(subscriber.receive(QUIET_MS)).isNull();
                subscriber.close();
                session.unsubscribe("sub");
            }
            broker.stop();
        }
    }
}
