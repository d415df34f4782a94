package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publish/subscribe through the JMS API against a real broker, over TCP ({@code strand://}) and
 * in the same JVM ({@code vm://}), with the same tests.
 */
class TopicEndToEndTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    private static StrandBroker broker;
    private static int topicCounter;

    @BeforeAll
    static void startBroker() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("tcp").toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @AfterAll
    static void stopBrokers() {
        broker.close();
        // The embedded broker stops by itself, cleanly, once the last vm:// connection is closed.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dir.resolve("vm").resolve(".clean-shutdown")).exists());
    }

    private static ConnectionFactory factory(String transport) {
        return new StrandConnectionFactory(transport.equals("tcp")
                ? "strand://127.0.0.1:" + broker.address().getPort()
                : "vm://e2e?dataDir=" + dir.resolve("vm"));
    }

    private static synchronized String freshTopic() {
        return "topic" + (++topicCounter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void subscriberReceivesWhatIsPublishedWithItsHeaders(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(freshTopic());
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            TextMessage sent = session.createTextMessage("hello");
            sent.setStringProperty("region", "eu");
            sent.setIntProperty("qty", 7);
            producer.send(sent, DeliveryMode.PERSISTENT, 6, 0);

            TextMessage received = (TextMessage) consumer.receive(WAIT_MS);
            assertThat(received).isNotNull();
            assertThat(received.getText()).isEqualTo("hello");
            assertThat(received.getStringProperty("region")).isEqualTo("eu");
            assertThat(received.getIntProperty("qty")).isEqualTo(7);
            assertThat(received.getJMSMessageID()).isEqualTo(sent.getJMSMessageID()).startsWith("ID:");
            assertThat(received.getJMSDestination()).isEqualTo(topic);
            assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(received.getJMSPriority()).isEqualTo(6);
            assertThat(received.getJMSRedelivered()).isFalse();
            assertThat(received.getJMSTimestamp()).isPositive();
            assertThat(consumer.receiveNoWait()).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void everyMessageTypeArrivesIntact(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(freshTopic());
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeBytes(new byte[] {1, 2, 3});
            MapMessage map = session.createMapMessage();
            map.setLong("n", 42L);
            map.setString("s", "x");
            StreamMessage stream = session.createStreamMessage();
            stream.writeBoolean(true);
            stream.writeString("y");
            ObjectMessage object = session.createObjectMessage(new ArrayList<>(List.of("a", "b")));
            Message plain = session.createMessage();
            plain.setBooleanProperty("flag", true);
            for (Message m : List.of(bytes, map, stream, object, plain)) {
                producer.send(m);
            }

            BytesMessage b = (BytesMessage) consumer.receive(WAIT_MS);
            assertThat(b.getBody(byte[].class)).containsExactly(1, 2, 3);
            MapMessage m = (MapMessage) consumer.receive(WAIT_MS);
            assertThat(m.getLong("n")).isEqualTo(42L);
            assertThat(m.getString("s")).isEqualTo("x");
            StreamMessage s = (StreamMessage) consumer.receive(WAIT_MS);
            assertThat(s.readBoolean()).isTrue();
            assertThat(s.readString()).isEqualTo("y");
            ObjectMessage o = (ObjectMessage) consumer.receive(WAIT_MS);
            assertThat(o.getObject()).isEqualTo(List.of("a", "b"));
            Message p = consumer.receive(WAIT_MS);
            assertThat(p.getBooleanProperty("flag")).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void durableSubscriptionKeepsWhatWasPublishedWhileItWasAway(String transport) throws Exception {
        String topicName = freshTopic();
        ConnectionFactory factory = factory(transport);
        try (Connection connection = factory.createConnection()) {
            connection.setClientID("durable-" + transport);
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            TopicSubscriber subscriber = session.createDurableSubscriber(topic, "audit");
            subscriber.close();
            MessageProducer producer = session.createProducer(topic);
            for (int i = 0; i < 5; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
        }
        try (Connection connection = factory.createConnection()) {
            connection.setClientID("durable-" + transport);
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            connection.start();
            MessageConsumer subscriber = session.createDurableConsumer(topic, "audit");
            for (int i = 0; i < 5; i++) {
                assertThat(((TextMessage) subscriber.receive(WAIT_MS)).getText()).isEqualTo("m" + i);
            }
            subscriber.close();
            session.unsubscribe("audit");
            assertThatThrownBy(() -> session.unsubscribe("audit")).isInstanceOf(jakarta.jms.InvalidDestinationException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void listenerAndAsyncSendWork(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session listenerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session producerSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = producerSession.createTopic(freshTopic());
            List<String> heard = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(20);
            listenerSession.createConsumer(topic).setMessageListener(message -> {
                try {
                    heard.add(((TextMessage) message).getText());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                all.countDown();
            });
            connection.start();
            MessageProducer producer = producerSession.createProducer(topic);
            CountDownLatch completed = new CountDownLatch(20);
            AtomicReference<Exception> failure = new AtomicReference<>();
            for (int i = 0; i < 20; i++) {
                producer.send(producerSession.createTextMessage("async" + i), new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        completed.countDown();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        failure.set(exception);
                        completed.countDown();
                    }
                });
            }
            assertThat(completed.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(failure.get()).isNull();
            assertThat(all.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(heard).hasSize(20).contains("async0", "async19");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void clientAcknowledgeAndRecoverRedeliver(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = session.createTopic(freshTopic());
            MessageConsumer consumer = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            producer.send(session.createTextMessage("one"));
            producer.send(session.createTextMessage("two"));

            assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("one");
            session.recover();
            Message again = consumer.receive(WAIT_MS);
            assertThat(((TextMessage) again).getText()).isEqualTo("one");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("two");
            again.acknowledge();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void noLocalConsumerSkipsItsOwnConnectionsMessages(String transport) throws Exception {
        ConnectionFactory factory = factory(transport);
        try (Connection mine = factory.createConnection(); Connection other = factory.createConnection()) {
            Session session = mine.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(freshTopic());
            MessageConsumer consumer = session.createConsumer(topic, null, true);
            mine.start();
            session.createProducer(topic).send(session.createTextMessage("mine"));
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            otherSession.createProducer(topic).send(otherSession.createTextMessage("theirs"));

            assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("theirs");
            assertThat(consumer.receive(200)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void simplifiedApiSendsAndReceives(String transport) {
        try (JMSContext context = factory(transport).createContext()) {
            Topic topic = context.createTopic(freshTopic());
            JMSConsumer consumer = context.createConsumer(topic);
            context.createProducer().setProperty("k", "v").send(topic, "simple");
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("simple");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void clientIdRulesAndClosedObjectsFollowTheSpecification(String transport) throws Exception {
        ConnectionFactory factory = factory(transport);
        try (Connection first = factory.createConnection(); Connection second = factory.createConnection()) {
            first.setClientID("unique-" + transport);
            assertThatThrownBy(() -> second.setClientID("unique-" + transport)).isInstanceOf(InvalidClientIDException.class);
            assertThatThrownBy(() -> first.setClientID("again")).isInstanceOf(IllegalStateException.class);
            Session session = first.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.close();
            assertThatThrownBy(() -> session.createTopic("t")).isInstanceOf(IllegalStateException.class);
        }
    }
}
