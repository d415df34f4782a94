package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.broker.BrokerConfig;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the broker decides per queued message before handing it out (DESIGN.md §3): delivery delay,
 * expiry, dead-letter queues after too many deliveries, priority, message groups. Over TCP and
 * {@code vm://}, each broker configured with at most 3 deliveries and an expiry queue.
 */
class QueueDeliveryRulesTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;
    private static int queueCounter;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "delivery-rules", Map.of(BrokerConfig.MAX_DELIVERY_ATTEMPTS, "3",
                BrokerConfig.EXPIRY_QUEUE, "Expired.${queue}"));
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    private static StrandConnectionFactory factory(String transport, String clientOptions) {
        return brokers.factory(transport, clientOptions);
    }

    private static synchronized String freshQueue() {
        return "rules" + (++queueCounter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aDelayedMessageIsNotDeliveredBeforeItsDeliveryTimeAndDoesNotHoldBackOthers(String transport) throws Exception {
        try (Connection connection = factory(transport, "").createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(freshQueue());
            MessageProducer delayed = session.createProducer(queue);
            delayed.setDeliveryDelay(1_500);
            long sent = System.currentTimeMillis();
            delayed.send(session.createTextMessage("later"));
            session.createProducer(queue).send(session.createTextMessage("now"));

            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("now");
            TextMessage later = (TextMessage) consumer.receive(WAIT_MS);
            long received = System.currentTimeMillis();
            assertThat(later.getText()).isEqualTo("later");
            assertThat(later.getJMSDeliveryTime()).isGreaterThanOrEqualTo(sent + 1_500);
            assertThat(received).as("never before its delivery time").isGreaterThanOrEqualTo(later.getJMSDeliveryTime());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anExpiredMessageIsNeverDeliveredAndGoesToTheExpiryQueue(String transport) throws Exception {
        String name = freshQueue();
        try (Connection connection = factory(transport, "").createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(name);
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("short-lived"), DeliveryMode.PERSISTENT, 4, 200);
            producer.send(session.createTextMessage("lasting"));
            Thread.sleep(400); // let the first one expire on the broker before any consumer exists

            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("lasting");
            assertThat(consumer.receive(300)).isNull();

            MessageConsumer expired = session.createConsumer(session.createQueue("Expired." + name));
            TextMessage moved = (TextMessage) expired.receive(WAIT_MS);
            assertThat(moved.getText()).isEqualTo("short-lived");
            assertThat(moved.getStringProperty("JMS_Strand_DeadLetterReason")).isEqualTo("expired");
            assertThat(moved.getStringProperty("JMS_Strand_OriginalQueue")).isEqualTo(name);
            assertThat(moved.getJMSExpiration()).as("a kept copy does not expire again").isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aMessageDeliveredTooOftenGoesToTheDeadLetterQueue(String transport) throws Exception {
        String name = freshQueue();
        try (Connection connection = factory(transport, "").createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(name);
            session.createProducer(queue).send(session.createTextMessage("poison"));

            MessageConsumer consumer = session.createConsumer(queue);
            List<Integer> counts = new ArrayList<>();
            for (int attempt = 0; attempt < 3; attempt++) {
                Message m = consumer.receive(WAIT_MS);
                assertThat(((TextMessage) m).getText()).isEqualTo("poison");
                counts.add(m.getIntProperty("JMSXDeliveryCount"));
                session.recover();
            }
            assertThat(counts).containsExactly(1, 2, 3);
            assertThat(consumer.receive(300)).as("a fourth delivery would exceed the maximum").isNull();

            MessageConsumer dlq = session.createConsumer(session.createQueue("DLQ." + name));
            TextMessage dead = (TextMessage) dlq.receive(WAIT_MS);
            assertThat(dead.getText()).isEqualTo("poison");
            assertThat(dead.getStringProperty("JMS_Strand_DeadLetterReason"))
                    .isEqualTo("delivered 3 times without being acknowledged");
            assertThat(dead.getStringProperty("JMS_Strand_OriginalQueue")).isEqualTo(name);
            assertThat(dead.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            dead.acknowledge();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void higherPrioritiesAreDeliveredFirst(String transport) throws Exception {
        try (Connection connection = factory(transport, "").createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(freshQueue());
            MessageProducer producer = session.createProducer(queue);
            int[] priorities = {1, 9, 4, 0, 7, 4, 9};
            for (int i = 0; i < priorities.length; i++) {
                producer.send(session.createTextMessage("m" + i), DeliveryMode.PERSISTENT, priorities[i], 0);
            }
            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            List<String> order = new ArrayList<>();
            for (int i = 0; i < priorities.length; i++) {
                order.add(((TextMessage) consumer.receive(WAIT_MS)).getText());
            }
            assertThat(order).containsExactly("m1", "m6", "m4", "m2", "m5", "m0", "m3");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aMessageGroupStaysWithOneConsumerWhileItLives(String transport) throws Exception {
        String name = freshQueue();
        StrandConnectionFactory factory = factory(transport, "prefetch=1");
        try (Connection first = factory.createConnection(); Connection second = factory.createConnection()) {
            Session producing = first.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = producing.createQueue(name);
            MessageProducer producer = producing.createProducer(queue);
            for (int i = 0; i < 20; i++) {
                TextMessage m = producing.createTextMessage("m" + i);
                m.setStringProperty("JMSXGroupID", i % 2 == 0 ? "even" : "odd");
                producer.send(m);
            }
            Session a = first.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session b = second.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumerA = a.createConsumer(queue);
            MessageConsumer consumerB = b.createConsumer(queue);
            first.start();
            second.start();

            Map<String, List<String>> byConsumer = new HashMap<>();
            Map<String, String> ownerOfGroup = new HashMap<>();
            int received = 0;
            while (received < 20) {
                for (Map.Entry<String, MessageConsumer> c : Map.of("A", consumerA, "B", consumerB).entrySet()) {
                    Message m = c.getValue().receive(100);
                    if (m == null) {
                        continue;
                    }
                    received++;
                    String group = m.getStringProperty("JMSXGroupID");
                    assertThat(ownerOfGroup.computeIfAbsent(group, g -> c.getKey()))
                            .as("group %s went to one consumer", group).isEqualTo(c.getKey());
                    byConsumer.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(((TextMessage) m).getText());
                }
            }
            for (List<String> texts : byConsumer.values()) {
                List<Integer> numbers = texts.stream().map(t -> Integer.parseInt(t.substring(1))).toList();
                assertThat(numbers).as("in order within the group").isSorted();
            }
        }
    }
}
