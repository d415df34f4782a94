package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Point-to-point through the JMS API against a real broker, over TCP ({@code strand://}) and in the
 * same JVM ({@code vm://}), with the same tests: queues as a log plus a share group (DESIGN.md §3).
 */
class QueueEndToEndTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    private static StrandBroker broker;
    private static int queueCounter;

    @BeforeAll
    static void startBroker() {
        broker = StrandBroker.start(config(dir.resolve("tcp")), null);
    }

    private static BrokerConfig config(Path dataDir) {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        return BrokerConfig.from(properties);
    }

    @AfterAll
    static void stopBrokers() {
        broker.close();
        // The embedded broker stops by itself, cleanly, once the last vm:// connection is closed.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dir.resolve("vm").resolve(".clean-shutdown")).exists());
    }

    private static StrandConnectionFactory factory(String transport) {
        return factory(transport, "");
    }

    /** @param options URL options without the leading {@code ?}, such as {@code prefetch=5} */
    private static StrandConnectionFactory factory(String transport, String options) {
        return new StrandConnectionFactory(transport.equals("tcp")
                ? "strand://127.0.0.1:" + broker.address().getPort() + (options.isEmpty() ? "" : "?" + options)
                : "vm://queue-e2e?dataDir=" + dir.resolve("vm") + (options.isEmpty() ? "" : "&" + options));
    }

    private static synchronized String freshQueue() {
        return "queue" + (++queueCounter);
    }

    private static void send(ConnectionFactory factory, String queueName, String... texts) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queueName));
            for (String text : texts) {
                producer.send(session.createTextMessage(text));
            }
        }
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void receiverGetsWhatIsSentWithItsHeaders(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(freshQueue());
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            TextMessage sent = session.createTextMessage("hello");
            sent.setStringProperty("region", "eu");
            producer.send(sent, DeliveryMode.PERSISTENT, 6, 0);

            TextMessage received = (TextMessage) consumer.receive(WAIT_MS);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("hello");
            assertThat(received.getStringProperty("region")).isEqualTo("eu");
            assertThat(received.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
            assertThat(received.getJMSDestination()).isEqualTo(queue);
            assertThat(received.getJMSPriority()).isEqualTo(6);
            assertThat(received.getJMSRedelivered()).isFalse();
            assertThat(received.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            assertThat(consumer.receiveNoWait()).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void messagesSentBeforeAnyReceiverExistsAreReceivedInOrder(String transport) throws Exception {
        String name = freshQueue();
        send(factory(transport), name, "m1", "m2", "m3");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m1");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m2");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m3");
            assertThat(consumer.receive(200)).isNull();
        }
        try (Connection connection = factory(transport).createConnection()) { // all were accepted
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void competingReceiversSplitTheMessagesWithoutDuplicates(String transport) throws Exception {
        String name = freshQueue();
        int total = 200;
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(total);
        try (Connection one = factory(transport, "prefetch=4").createConnection();
             Connection two = factory(transport, "prefetch=4").createConnection()) {
            for (Connection c : List.of(one, two)) {
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                List<String> into = c == one ? first : second;
                session.createConsumer(session.createQueue(name)).setMessageListener(m -> {
                    try {
                        into.add(text(m));
                        Thread.sleep(1); // slow enough that neither receiver drains the queue alone
                    } catch (JMSException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    all.countDown();
                });
                c.start();
            }
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                texts.add("m" + i);
            }
            send(factory(transport), name, texts.toArray(new String[0]));
            assertThat(all.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            Thread.sleep(200); // a duplicate would arrive now
            assertThat(first).isNotEmpty();
            assertThat(second).isNotEmpty();
            assertThat(first.size() + second.size()).isEqualTo(total);
            Set<String> union = new HashSet<>(first);
            union.addAll(second);
            assertThat(union).containsExactlyInAnyOrderElementsOf(texts);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void manyMessagesLargerThanOnePushArriveOnceEachAndAreAllAccepted(String transport) throws Exception {
        String name = freshQueue();
        int total = 3000;
        String padding = "x".repeat(1000); // 3 MB in all: acquisitions span several pushes
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(name));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (int i = 0; i < total; i++) {
                producer.send(session.createTextMessage(i + ":" + padding));
            }
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < total; i++) {
                Message m = consumer.receive(WAIT_MS);
                assertThat(m).as("message %d of %d", i, total).isNotNull();
                assertThat(m.getJMSRedelivered()).isFalse();
                assertThat(seen.add(Integer.parseInt(text(m).substring(0, text(m).indexOf(':'))))).isTrue();
            }
            assertThat(consumer.receive(200)).isNull();
        }
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void clientAcknowledgeAndRecoverRedeliverWithTheCountRaised(String transport) throws Exception {
        String name = freshQueue();
        send(factory(transport), name, "m1", "m2");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m1");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m2");
            session.recover();
            List<String> again = new ArrayList<>();
            Message last = null;
            for (int i = 0; i < 2; i++) {
                last = consumer.receive(WAIT_MS);
                again.add(text(last) + ":" + last.getJMSRedelivered() + ":" + last.getIntProperty("JMSXDeliveryCount"));
            }
            assertThat(again).containsExactlyInAnyOrder("m1:true:2", "m2:true:2");
            last.acknowledge();
            assertThat(consumer.receive(200)).isNull();
        }
        try (Connection connection = factory(transport).createConnection()) { // acknowledged: gone
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(consumer.receive(500)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void messagesOfAReceiverClosedWithoutAcknowledgingGoToAnotherRedeliveredOnceItsSessionCloses(String transport)
            throws Exception {
        String name = freshQueue();
        send(factory(transport), name, "only");
        try (Connection first = factory(transport).createConnection();
             Connection second = factory(transport).createConnection()) {
            Session s1 = first.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer r1 = s1.createConsumer(s1.createQueue(name));
            first.start();
            Message m = r1.receive(WAIT_MS);
            assertThat(text(m)).isEqualTo("only");
            assertThat(m.getJMSRedelivered()).isFalse();
            Session s2 = second.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer r2 = s2.createConsumer(s2.createQueue(name));
            second.start();
            assertThat(r2.receive(200)).isNull(); // held by the first receiver
            r1.close();
            assertThat(r2.receive(200)).as("JMS 3.1 §8.8: it may still be acknowledged through its session").isNull();
            s1.close();
            Message again = r2.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("only");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aListenerThatThrowsGetsTheMessageAgainRedelivered(String transport) throws Exception {
        String name = freshQueue();
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch twice = new CountDownLatch(2);
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(name)).setMessageListener(m -> {
                try {
                    seen.add(text(m) + ":" + m.getJMSRedelivered() + ":" + m.getIntProperty("JMSXDeliveryCount"));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                twice.countDown();
                if (seen.size() == 1) {
                    throw new IllegalStateException("listener fails once, on purpose");
                }
            });
            connection.start();
            send(factory(transport), name, "boom");
            assertThat(twice.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(seen).containsExactly("boom:false:1", "boom:true:2");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aReceiverOfAConnectionNeverStartedTakesNothing(String transport) throws Exception {
        String name = freshQueue();
        try (Connection idle = factory(transport).createConnection();
             Connection busy = factory(transport).createConnection()) {
            Session idleSession = idle.createSession(false, Session.AUTO_ACKNOWLEDGE);
            idleSession.createConsumer(idleSession.createQueue(name)); // never started
            Session session = busy.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            busy.start();
            send(factory(transport), name, "a", "b", "c");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("a");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("b");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("c");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void classicQueueApiSendsAndReceives(String transport) throws Exception {
        QueueConnectionFactory factory = factory(transport);
        try (QueueConnection connection = factory.createQueueConnection()) {
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(freshQueue());
            QueueReceiver receiver = session.createReceiver(queue);
            assertThat(receiver.getQueue()).isEqualTo(queue);
            QueueSender sender = session.createSender(queue);
            assertThat(sender.getQueue()).isEqualTo(queue);
            connection.start();
            sender.send(session.createTextMessage("classic"));
            assertThat(text(receiver.receive(WAIT_MS))).isEqualTo("classic");
            assertThatThrownBy(() -> session.createReceiver(queue, "region = 'eu"))
                    .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("position");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void simplifiedApiSendsAndReceivesOnAQueue(String transport) throws Exception {
        try (JMSContext context = factory(transport).createContext()) {
            Queue queue = context.createQueue(freshQueue());
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "one");
            context.createProducer().send(queue, "two");
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("one");
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("two");
            assertThat(consumer.receiveNoWait()).isNull();
        }
        try (JMSContext context = factory(transport).createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue(freshQueue());
            JMSConsumer consumer = context.createConsumer(queue);
            context.createProducer().send(queue, "again");
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("again");
            context.recover();
            Message redelivered = consumer.receive(WAIT_MS);
            assertThat(redelivered.getBody(String.class)).isEqualTo("again");
            assertThat(redelivered.getJMSRedelivered()).isTrue();
            context.acknowledge();
        }
    }

    @Test
    void autoAcknowledgedMessagesAreNotRedeliveredAfterABrokerRestart(@TempDir Path restartDir) throws Exception {
        String name = freshQueue();
        StrandBroker own = StrandBroker.start(config(restartDir), null);
        try {
            StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + own.address().getPort());
            send(factory, name, "m1", "m2", "m3");
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(name));
                connection.start();
                assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m1");
                assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m2");
            } // close flushes the acceptances with a round trip; m3 was only prefetched
        } finally {
            own.close();
        }
        own = StrandBroker.start(config(restartDir), null);
        try (Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + own.address().getPort())
                .createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m3");
            assertThat(consumer.receive(500)).isNull();
        } finally {
            own.close();
        }
    }

    @Test
    void unacknowledgedMessagesComeBackRedeliveredAfterABrokerRestart(@TempDir Path restartDir) throws Exception {
        String name = freshQueue();
        StrandBroker own = StrandBroker.start(config(restartDir), null);
        try {
            StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + own.address().getPort());
            send(factory, name, "m1", "m2");
            Connection connection = factory.createConnection();
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            Message m1 = consumer.receive(WAIT_MS);
            assertThat(text(m1)).isEqualTo("m1");
            m1.acknowledge();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m2"); // never acknowledged
            own.close(); // the broker goes away under the open connection
            own = null;
            connection.close();
        } finally {
            if (own != null) {
                own.close();
            }
        }
        own = StrandBroker.start(config(restartDir), null);
        try (Connection connection = new StrandConnectionFactory("strand://127.0.0.1:" + own.address().getPort())
                .createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            Message m2 = consumer.receive(WAIT_MS);
            assertThat(text(m2)).isEqualTo("m2");
            assertThat(m2.getJMSRedelivered()).isTrue();
            assertThat(m2.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(consumer.receive(500)).isNull();
        } finally {
            own.close();
        }
    }

    @Test
    void competingReceiversOfAQueueWithSeveralPartitionsAcknowledgeEachPartition(@TempDir Path partitionedDir)
            throws Exception {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, partitionedDir.toString());
        properties.setProperty(BrokerConfig.DEFAULT_PARTITIONS, "3");
        String name = freshQueue();
        int perProducer = 50;
        try (StrandBroker own = StrandBroker.start(BrokerConfig.from(properties), null)) {
            StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + own.address().getPort()
                    + "?prefetch=8");
            Set<String> expected = new HashSet<>();
            try (Connection producers = factory.createConnection()) {
                Session session = producers.createSession(false, Session.AUTO_ACKNOWLEDGE);
                for (int p = 0; p < 3; p++) { // producers are sticky to a partition: three of them spread the load
                    MessageProducer producer = session.createProducer(session.createQueue(name));
                    for (int i = 0; i < perProducer; i++) {
                        producer.send(session.createTextMessage(p + "-" + i));
                        expected.add(p + "-" + i);
                    }
                }
            }
            List<String> received = new CopyOnWriteArrayList<>();
            try (Connection one = factory.createConnection(); Connection two = factory.createConnection()) {
                List<MessageConsumer> receivers = new ArrayList<>();
                List<Session> sessions = new ArrayList<>();
                for (Connection c : List.of(one, two)) {
                    Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                    sessions.add(session);
                    receivers.add(session.createConsumer(session.createQueue(name)));
                    c.start();
                }
                long deadline = System.currentTimeMillis() + WAIT_MS;
                while (received.size() < expected.size() && System.currentTimeMillis() < deadline) {
                    for (MessageConsumer r : receivers) {
                        Message m = r.receive(10);
                        if (m != null) {
                            received.add(text(m));
                            m.acknowledge();
                        }
                    }
                }
                assertThat(received).hasSize(expected.size());
                assertThat(new HashSet<>(received)).isEqualTo(expected);
            }
            try (Connection later = factory.createConnection()) { // every partition's records were accepted
                Session session = later.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(name));
                later.start();
                assertThat(consumer.receive(500)).isNull();
            }
        }
    }

    @Test
    void topicsAndQueuesOfOneSessionRecoverTogether() throws Exception {
        String name = freshQueue();
        try (Connection connection = factory("tcp").createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            jakarta.jms.Topic topic = session.createTopic("topic-of-" + name);
            MessageConsumer subscriber = session.createConsumer(topic);
            MessageConsumer receiver = session.createConsumer(session.createQueue(name));
            connection.start();
            session.createProducer(topic).send(session.createTextMessage("t"));
            send(factory("tcp"), name, "q");
            assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("t");
            assertThat(text(receiver.receive(WAIT_MS))).isEqualTo("q");
            session.recover();
            Message t = subscriber.receive(WAIT_MS);
            Message q = receiver.receive(WAIT_MS);
            assertThat(List.of(text(t), text(q))).containsExactly("t", "q");
            assertThat(t.getJMSRedelivered()).isTrue();
            assertThat(q.getJMSRedelivered()).isTrue();
            q.acknowledge();
        }
    }
}
