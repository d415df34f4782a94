package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the JMS API, with the broker in its own JVM killed by SIGKILL: persistent messages whose
 * send returned survive, the durable subscriber's backlog survives, and what the subscriber
 * consumed in AUTO_ACKNOWLEDGE mode is not delivered again.
 */
class JmsRestartTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dir;

    @Test
    void persistentMessagesAndDurableBacklogSurviveKillNineWithoutRedelivery() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + port);
        List<String> consumedBefore = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port)) {
            try (Connection connection = factory.createConnection()) {
                connection.setClientID("restart");
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic topic = session.createTopic("orders");
                session.createDurableSubscriber(topic, "billing").close();
                MessageProducer producer = session.createProducer(topic);
                for (int i = 0; i < 100; i++) {
                    producer.send(session.createTextMessage("order-" + i));
                }
            }
            try (Connection connection = factory.createConnection()) {
                connection.setClientID("restart");
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer subscriber = session.createDurableSubscriber(session.createTopic("orders"), "billing");
                connection.start();
                for (int i = 0; i < 40; i++) {
                    consumedBefore.add(((TextMessage) subscriber.receive(WAIT_MS)).getText());
                }
            }
            broker.kill9();
        }
        assertThat(consumedBefore).hasSize(40).startsWith("order-0").endsWith("order-39");
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port);
             Connection connection = factory.createConnection()) {
            connection.setClientID("restart");
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer subscriber = session.createDurableSubscriber(session.createTopic("orders"), "billing");
            connection.start();
            List<String> after = new ArrayList<>();
            TextMessage message;
            while ((message = (TextMessage) subscriber.receive(2000)) != null) {
                after.add(message.getText());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 40; i < 100; i++) {
                expected.add("order-" + i);
            }
            assertThat(after).isEqualTo(expected);
        }
    }

    @Test
    void aSharedDurableSubscriptionKeepsItsBacklogAndHeldMessagesThroughKillNine() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + port);
        List<String> consumedBefore = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port)) {
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic topic = session.createTopic("shipments");
                session.createSharedDurableConsumer(topic, "warehouse").close();
                session.createSharedConsumer(topic, "dashboard"); // non-durable: gone after the restart
                MessageProducer producer = session.createProducer(topic);
                for (int i = 0; i < 100; i++) {
                    producer.send(session.createTextMessage("shipment-" + i));
                }
                Session acked = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = acked.createSharedDurableConsumer(topic, "warehouse");
                connection.start();
                for (int i = 0; i < 40; i++) {
                    consumedBefore.add(((TextMessage) consumer.receive(WAIT_MS)).getText());
                }
                consumer.close();
                Session held = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer holding = held.createSharedDurableConsumer(topic, "warehouse");
                TextMessage unacknowledged = (TextMessage) holding.receive(WAIT_MS);
                assertThat(unacknowledged.getText()).isEqualTo("shipment-40");
                broker.kill9(); // while shipment-40 is held, unacknowledged
            }
        }
        assertThat(consumedBefore).hasSize(40).startsWith("shipment-0").endsWith("shipment-39");
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port);
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic("shipments");
            MessageConsumer consumer = session.createSharedDurableConsumer(topic, "warehouse");
            connection.start();
            List<String> after = new ArrayList<>();
            TextMessage first = (TextMessage) consumer.receive(WAIT_MS);
            assertThat(first.getText()).isEqualTo("shipment-40");
            assertThat(first.getJMSRedelivered()).as("it was delivered before the crash").isTrue();
            after.add(first.getText());
            TextMessage message;
            while ((message = (TextMessage) consumer.receive(2000)) != null) {
                after.add(message.getText());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 40; i < 100; i++) {
                expected.add("shipment-" + i);
            }
            assertThat(after).isEqualTo(expected);
            session.createProducer(topic).send(session.createTextMessage("late"));
            MessageConsumer dashboard = session.createSharedConsumer(topic, "dashboard");
            assertThat(dashboard.receive(1000)).as("the non-durable subscription ended; a new one starts at the end")
                    .isNull();
        }
    }
}
