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
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Readiness for the Jakarta Messaging TCK in standalone mode, which reaches a provider only through
 * {@code new InitialContext()} and a {@code jndi.properties} on the classpath: the TCK's JNDI names
 * (from {@code src/test/resources/tck-jndi/jndi.properties}, over {@code vm://}; over TCP the environment
 * points the same names at a broker of this test), its administratively set client id, its user
 * {@code j2ee}, and the behaviours its tests lean on, each over TCP and {@code vm://}.
 */
class TckReadinessTest {
    private static final long WAIT_MS = 10_000;
    /** Where the test resource's embedded broker keeps its data, relative to the module (the working directory). */
    private static final Path VM_DATA = Path.of("target", "tck-readiness-vm");
    private static final List<String> FACTORIES = List.of("MyConnectionFactory", "MyQueueConnectionFactory",
            "MyTopicConnectionFactory", "DURABLE_SUB_CONNECTION_FACTORY");
    private static final List<String> QUEUES = List.of("MY_QUEUE", "MY_QUEUE2", "testQ0", "testQ1", "testQ2",
            "testQueue2", "Q2");
    private static final List<String> TOPICS = List.of("MY_TOPIC", "MY_TOPIC2", "testT0", "testT1", "testT2");

    @TempDir
    static Path dir;
    private static StrandBroker broker;
    private static int counter;

    @BeforeAll
    static void startBroker() throws IOException {
        deleteRecursively(VM_DATA); // left by an earlier run: the embedded broker must start afresh
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("tcp").toString());
        properties.setProperty(BrokerConfig.AUTH_USERS, "j2ee:j2ee");
        properties.setProperty(BrokerConfig.AUTH_ANONYMOUS, "true");
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @AfterAll
    static void stopBrokers() {
        broker.close();
        // The embedded broker stops by itself, cleanly, once the last vm:// connection is closed.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(!Files.exists(VM_DATA) || Files.exists(VM_DATA.resolve(".clean-shutdown"))).isTrue();
            assertThat(dir.resolve("lazy").resolve(".clean-shutdown")).exists();
        });
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * The context the TCK gets: {@code new InitialContext()} with the test resource as the classpath's
     * {@code jndi.properties}. Over TCP the environment re-points the factories at this test's broker,
     * keeping each one's options.
     */
    private static Context tckContext(String transport) throws NamingException {
        if (transport.equals("vm")) {
            return tckContext((Hashtable<String, String>) null);
        }
        final Hashtable<String, String> environment = new Hashtable<>();
        final String tcp = "strand://127.0.0.1:" + broker.address().getPort();
        FACTORIES.forEach(name -> environment.put("connectionFactory." + name, tcp));
        environment.put("connectionFactory.DURABLE_SUB_CONNECTION_FACTORY", tcp + "?clientID=cts");
        return tckContext(environment);
    }

    /** @param environment null for {@code new InitialContext()}, as the TCK calls it */
    private static Context tckContext(Hashtable<String, String> environment) throws NamingException {
        final Thread thread = Thread.currentThread();
        final ClassLoader original = thread.getContextClassLoader();
        final URL resources = TckReadinessTest.class.getClassLoader().getResource("tck-jndi/");
        try (URLClassLoader withTckJndi = new URLClassLoader(new URL[] {resources}, original)) {
            thread.setContextClassLoader(withTckJndi);
            return environment == null ? new InitialContext() : new InitialContext(environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    private static StrandConnectionFactory factory(String transport, String name) throws NamingException {
        return (StrandConnectionFactory) tckContext(transport).lookup(name);
    }

    /** The factory's URL with one more option. */
    private static ConnectionFactory withOption(StrandConnectionFactory factory, String option) {
        return new StrandConnectionFactory(factory.getUrl() + (factory.getUrl().contains("?") ? "&" : "?") + option);
    }

    private static synchronized String fresh(String prefix) {
        return prefix + "-" + (++counter);
    }

    // ---- JNDI -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void theTckNamesAreBoundToObjectsOfTheTypesTheTckExpects(String transport) throws Exception {
        Context context = tckContext(transport);
        for (String name : FACTORIES) {
            assertThat(context.lookup(name)).as(name).isInstanceOf(ConnectionFactory.class)
                    .isInstanceOf(QueueConnectionFactory.class).isInstanceOf(TopicConnectionFactory.class);
        }
        for (String name : QUEUES) {
            assertThat(((Queue) context.lookup(name)).getQueueName()).isEqualTo(name);
        }
        for (String name : TOPICS) {
            assertThat(((Topic) context.lookup(name)).getTopicName()).isEqualTo(name);
        }
    }

    @Test
    void theDocumentedTckFilesBindTheTckNamesAndConfigureABroker() throws Exception {
        Path docs = Path.of("..", "docs", "tck");
        Properties jndi = new Properties();
        try (var in = Files.newBufferedReader(docs.resolve("jndi.properties"))) {
            jndi.load(in);
        }
        Hashtable<String, String> environment = new Hashtable<>();
        jndi.stringPropertyNames().forEach(key -> environment.put(key, jndi.getProperty(key)));
        Context context = new InitialContext(environment);
        for (String name : FACTORIES) {
            assertThat(context.lookup(name)).as(name).isInstanceOf(QueueConnectionFactory.class)
                    .isInstanceOf(TopicConnectionFactory.class);
        }
        assertThat(((StrandConnectionFactory) context.lookup("DURABLE_SUB_CONNECTION_FACTORY")).getUrl())
                .endsWith("clientID=cts");
        for (String name : QUEUES) {
            assertThat(((Queue) context.lookup(name)).getQueueName()).isEqualTo(name);
        }
        for (String name : TOPICS) {
            assertThat(((Topic) context.lookup(name)).getTopicName()).isEqualTo(name);
        }
        Properties settings = new Properties();
        try (var in = Files.newBufferedReader(docs.resolve("broker.properties"))) {
            settings.load(in);
        }
        BrokerConfig config = BrokerConfig.from(settings);
        assertThat(config.port()).isEqualTo(BrokerConfig.DEFAULT_PORT);
        assertThat(config.users()).containsOnlyKeys("j2ee");
        assertThat(config.anonymousAllowed()).isTrue();
    }

    @Test
    void aVmFactoryStartsItsEmbeddedBrokerOnFirstUse() throws Exception {
        // An embedded broker of its own, so that no other test can have started it already.
        Path lazyData = dir.resolve("lazy");
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put("connectionFactory.LazyQueueConnectionFactory", "vm://tck-lazy?dataDir=" + lazyData
                + "&auth.users=j2ee:j2ee");
        Context context = tckContext(environment);
        QueueConnectionFactory factory = (QueueConnectionFactory) context.lookup("LazyQueueConnectionFactory");
        Queue queue = (Queue) context.lookup("testQ0");
        assertThat(lazyData).as("binding and looking up the factory start nothing").doesNotExist();
        try (QueueConnection first = factory.createQueueConnection("j2ee", "j2ee")) {
            assertThat(lazyData).as("the first connection started the broker").isDirectory();
            QueueSession session = first.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            first.start();
            session.createSender(queue).send(session.createTextMessage("first use"));
            assertThat(((TextMessage) session.createReceiver(queue).receive(WAIT_MS)).getText()).isEqualTo("first use");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void theDurableSubscriptionFactoryHasTheClientIdCts(String transport) throws Exception {
        Context context = tckContext(transport);
        TopicConnectionFactory durable = (TopicConnectionFactory) context.lookup("DURABLE_SUB_CONNECTION_FACTORY");
        TopicConnectionFactory plain = (TopicConnectionFactory) context.lookup("MyTopicConnectionFactory");
        Topic topic = (Topic) context.lookup("MY_TOPIC");
        String subscription = fresh("tckSub");
        try (TopicConnection connection = durable.createTopicConnection("j2ee", "j2ee")) {
            assertThat(connection.getClientID()).isEqualTo("cts");
            assertThatThrownBy(() -> connection.setClientID("other"))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class);
            // One connection at a time holds a client id (JMS 3.1 §6.1.2).
            assertThatThrownBy(() -> durable.createTopicConnection("j2ee", "j2ee").close())
                    .isInstanceOf(InvalidClientIDException.class);
            TopicSession session = connection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(topic, subscription).close();
        }
        try (TopicConnection publisher = plain.createTopicConnection("j2ee", "j2ee")) {
            TopicSession session = publisher.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createPublisher(topic).publish(session.createTextMessage("kept for cts"));
        }
        try (TopicConnection connection = durable.createTopicConnection("j2ee", "j2ee")) {
            TopicSession session = connection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            TopicSubscriber subscriber = session.createDurableSubscriber(topic, subscription);
            connection.start();
            assertThat(((TextMessage) subscriber.receive(WAIT_MS)).getText()).isEqualTo("kept for cts");
            subscriber.close();
            session.unsubscribe(subscription);
        }
        try (JMSContext jmsContext = durable.createContext("j2ee", "j2ee")) {
            assertThat(jmsContext.getClientID()).isEqualTo("cts");
            assertThatThrownBy(() -> jmsContext.setClientID("other")).isInstanceOf(IllegalStateRuntimeException.class);
        }
    }

    // ---- ObjectMessage ----------------------------------------------------------------------------

    /** An application class: in no package a consumer trusts by default. */
    record Order(String id, int quantity) implements Serializable {
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void objectMessagesWithJdkTypesDeserialize(String transport) throws Exception {
        Context context = tckContext(transport);
        ConnectionFactory factory = (ConnectionFactory) context.lookup("MyConnectionFactory");
        Queue queue = (Queue) context.lookup("MY_QUEUE");
        Map<String, Object> body = new HashMap<>();
        body.put("list", new ArrayList<>(List.of(1, "two", 3.5)));
        body.put("amount", new BigDecimal("12.50"));
        body.put("date", LocalDate.of(2026, 11, 27));
        body.put("sorted", new TreeMap<>(Map.of("b", 2L, "a", 1L)));
        body.put("text", new StringBuffer("buffer"));
        body.put("ints", new int[] {1, 2, 3});
        try (Connection connection = factory.createConnection("j2ee", "j2ee")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            session.createProducer(queue).send(session.createObjectMessage((Serializable) body));
            session.createProducer(queue).send(session.createObjectMessage("just a string"));

            @SuppressWarnings("unchecked")
            Map<String, Object> read = (Map<String, Object>) ((ObjectMessage) consumer.receive(WAIT_MS)).getObject();
            assertThat(read).containsEntry("amount", new BigDecimal("12.50"))
                    .containsEntry("date", LocalDate.of(2026, 11, 27))
                    .containsEntry("list", List.of(1, "two", 3.5))
                    .containsEntry("sorted", Map.of("a", 1L, "b", 2L));
            assertThat(read.get("text").toString()).isEqualTo("buffer");
            assertThat((int[]) read.get("ints")).containsExactly(1, 2, 3);
            assertThat(consumer.receive(WAIT_MS).getBody(String.class)).isEqualTo("just a string");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anObjectMessageOfAnUntrustedClassIsRefusedNamingItUnlessItsPackageIsTrusted(String transport)
            throws Exception {
        StrandConnectionFactory factory = factory(transport, "MyConnectionFactory");
        String queueName = fresh("objects");
        try (Connection connection = factory.createConnection("j2ee", "j2ee")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(queueName);
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            session.createProducer(queue).send(session.createObjectMessage(new Order("o-1", 3)));
            ObjectMessage refused = (ObjectMessage) consumer.receive(WAIT_MS);
            assertThatThrownBy(refused::getObject).isInstanceOf(MessageFormatException.class)
                    .hasMessageContaining(Order.class.getName())
                    .hasMessageContaining("objectMessage.trustedPackages=java.");
        }
        ConnectionFactory trusting = withOption(factory, "objectMessage.trustedPackages=java.,io.strand.jms.");
        try (JMSContext context = trusting.createContext("j2ee", "j2ee")) {
            Queue queue = context.createQueue(queueName);
            context.createProducer().send(queue, new Order("o-2", 5));
            assertThat(context.createConsumer(queue).receiveBody(Order.class, WAIT_MS)).isEqualTo(new Order("o-2", 5));
        }
    }

    // ---- queue consumers of a connection never started ------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aConsumerOfAConnectionNeverStartedTakesNoQueueMessages(String transport) throws Exception {
        QueueConnectionFactory factory = factory(transport, "MyQueueConnectionFactory");
        String name = fresh("unstarted");
        int total = 50;
        try (QueueConnection idle = factory.createQueueConnection("j2ee", "j2ee");
             QueueConnection busy = factory.createQueueConnection("j2ee", "j2ee")) {
            QueueSession idleSession = idle.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer idleReceiver = idleSession.createReceiver(idleSession.createQueue(name));
            QueueSession session = busy.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(name);
            MessageConsumer receiver = session.createReceiver(queue);
            busy.start();
            for (int i = 0; i < total; i++) {
                session.createSender(queue).send(session.createTextMessage("m" + i));
            }
            List<String> received = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                Message m = receiver.receive(WAIT_MS);
                assertThat(m).as("message %d of %d", i + 1, total).isNotNull();
                received.add(((TextMessage) m).getText());
            }
            assertThat(received).hasSize(total).doesNotHaveDuplicates();
            idle.start();
            assertThat(idleReceiver.receive(300)).as("every message went to the started consumer").isNull();
        }
    }

    // ---- foreign messages -------------------------------------------------------------------------

    private static <T extends Message> T foreign(Class<T> type, Object body, Queue replyTo) throws JMSException {
        T message = ForeignMessage.create(type, body);
        message.setJMSCorrelationID("corr-" + type.getSimpleName());
        message.setJMSType("foreign-" + type.getSimpleName());
        message.setJMSReplyTo(replyTo);
        message.setBooleanProperty("aBoolean", true);
        message.setByteProperty("aByte", (byte) 7);
        message.setShortProperty("aShort", (short) 300);
        message.setIntProperty("anInt", 70_000);
        message.setLongProperty("aLong", 1L << 40);
        message.setFloatProperty("aFloat", 1.5f);
        message.setDoubleProperty("aDouble", 2.25);
        message.setStringProperty("aString", "text");
        message.setStringProperty("JMSXGroupID", "group-1");
        return message;
    }

    private static void assertHeadersAndProperties(Message received, Message sent, Queue queue, Queue replyTo)
            throws JMSException {
        String type = received.getJMSType().substring("foreign-".length());
        assertThat(received.getJMSCorrelationID()).isEqualTo("corr-" + type);
        assertThat(received.getJMSReplyTo()).isEqualTo(replyTo);
        assertThat(received.getJMSDestination()).isEqualTo(queue);
        assertThat(received.getJMSMessageID()).isEqualTo(sent.getJMSMessageID()).startsWith("ID:");
        assertThat(received.getJMSPriority()).isEqualTo(sent.getJMSPriority());
        assertThat(received.getBooleanProperty("aBoolean")).isTrue();
        assertThat(received.getByteProperty("aByte")).isEqualTo((byte) 7);
        assertThat(received.getShortProperty("aShort")).isEqualTo((short) 300);
        assertThat(received.getIntProperty("anInt")).isEqualTo(70_000);
        assertThat(received.getLongProperty("aLong")).isEqualTo(1L << 40);
        assertThat(received.getFloatProperty("aFloat")).isEqualTo(1.5f);
        assertThat(received.getDoubleProperty("aDouble")).isEqualTo(2.25);
        assertThat(received.getStringProperty("aString")).isEqualTo("text");
        assertThat(received.getStringProperty("JMSXGroupID")).isEqualTo("group-1");
        // What the send set, on the foreign message itself
        assertThat(sent.getJMSDestination()).isEqualTo(queue);
        assertThat(sent.getJMSTimestamp()).isPositive();
        assertThat(sent.getJMSExpiration()).isGreaterThan(sent.getJMSTimestamp());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void foreignMessagesOfEveryTypeAreSentWithTheirBodiesHeadersAndProperties(String transport) throws Exception {
        QueueConnectionFactory factory = factory(transport, "MyQueueConnectionFactory");
        try (QueueConnection connection = factory.createQueueConnection("j2ee", "j2ee")) {
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(fresh("foreign"));
            Queue replyTo = session.createQueue("MY_QUEUE2");
            MessageConsumer receiver = session.createReceiver(queue);
            connection.start();
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("count", 3);
            map.put("name", "map");
            map.put("raw", new byte[] {1, 2});
            List<Message> sent = List.of(
                    foreign(Message.class, null, replyTo),
                    foreign(TextMessage.class, "foreign text", replyTo),
                    foreign(BytesMessage.class, new byte[] {1, 2, 3, 4}, replyTo),
                    foreign(MapMessage.class, map, replyTo),
                    foreign(StreamMessage.class, List.of(true, 42, "field", 4.5), replyTo),
                    foreign(ObjectMessage.class, new ArrayList<>(List.of("object", 1)), replyTo));
            for (Message m : sent) {
                session.createSender(queue).send(m, DeliveryMode.NON_PERSISTENT, 7, 60_000);
                assertThat(m.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
                assertThat(m.getJMSPriority()).isEqualTo(7);
            }

            Message plain = receiver.receive(WAIT_MS);
            assertHeadersAndProperties(plain, sent.get(0), queue, replyTo);
            TextMessage text = (TextMessage) receiver.receive(WAIT_MS);
            assertHeadersAndProperties(text, sent.get(1), queue, replyTo);
            assertThat(text.getText()).isEqualTo("foreign text");
            BytesMessage bytes = (BytesMessage) receiver.receive(WAIT_MS);
            assertHeadersAndProperties(bytes, sent.get(2), queue, replyTo);
            assertThat(bytes.getBody(byte[].class)).containsExactly(1, 2, 3, 4);
            MapMessage mapMessage = (MapMessage) receiver.receive(WAIT_MS);
            assertHeadersAndProperties(mapMessage, sent.get(3), queue, replyTo);
            assertThat(mapMessage.getInt("count")).isEqualTo(3);
            assertThat(mapMessage.getString("name")).isEqualTo("map");
            assertThat(mapMessage.getBytes("raw")).containsExactly(1, 2);
            StreamMessage stream = (StreamMessage) receiver.receive(WAIT_MS);
            assertHeadersAndProperties(stream, sent.get(4), queue, replyTo);
            assertThat(stream.readBoolean()).isTrue();
            assertThat(stream.readInt()).isEqualTo(42);
            assertThat(stream.readString()).isEqualTo("field");
            assertThat(stream.readDouble()).isEqualTo(4.5);
            ObjectMessage object = (ObjectMessage) receiver.receive(WAIT_MS);
            assertHeadersAndProperties(object, sent.get(5), queue, replyTo);
            assertThat(object.getObject()).isEqualTo(List.of("object", 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void foreignMessagesGoThroughTheSimplifiedApiAndAsyncSendsAndKeepByteCorrelationIds(String transport)
            throws Exception {
        ConnectionFactory factory = factory(transport, "MyConnectionFactory");
        try (JMSContext context = factory.createContext("j2ee", "j2ee")) {
            Queue queue = context.createQueue(fresh("foreign-simplified"));
            TextMessage viaProducer = ForeignMessage.create(TextMessage.class, "simplified");
            context.createProducer().setProperty("fromProducer", 5).setJMSType("typed").send(queue, viaProducer);

            Message withBytes = ForeignMessage.create(Message.class, null);
            withBytes.setJMSCorrelationIDAsBytes(new byte[] {9, 8, 7});
            CompletableFuture<Message> completed = new CompletableFuture<>();
            context.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    completed.complete(message);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    completed.completeExceptionally(exception);
                }
            }).send(queue, withBytes);
            assertThat(completed.get(WAIT_MS, TimeUnit.MILLISECONDS)).isSameAs(withBytes);

            var consumer = context.createConsumer(queue);
            Message first = consumer.receive(WAIT_MS);
            assertThat(first.getBody(String.class)).isEqualTo("simplified");
            assertThat(first.getIntProperty("fromProducer")).isEqualTo(5);
            assertThat(first.getJMSType()).isEqualTo("typed");
            assertThat(first.getJMSMessageID()).isEqualTo(viaProducer.getJMSMessageID());
            Message second = consumer.receive(WAIT_MS);
            assertThat(second.getJMSCorrelationIDAsBytes()).containsExactly(9, 8, 7);
            assertThat(second.getJMSMessageID()).isEqualTo(withBytes.getJMSMessageID());
        }
    }
}
