package io.strand.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The brokers one conformance test class talks to: a broker on a loopback socket for {@link Transport#TCP}
 * and an embedded broker for {@link Transport#VM}, both with data in a temporary directory removed
 * afterwards. Register it as a static {@code @RegisterExtension} field.
 *
 * <p>One vm:// connection stays open while the class runs, so the embedded broker, which stops when its
 * last connection closes, starts once per class rather than once per test. Afterwards the test checks that
 * the embedded broker shut down cleanly, which also proves every test closed its vm:// connections.
 *
 * <p>Logs are written without fsync: these tests check API behaviour, not durability, and stay fast.
 */
final class ConformanceBroker implements BeforeAllCallback, AfterAllCallback {
    /** How long a test waits for a message that must arrive. */
    static final long WAIT_MS = 10_000;
    /** How long a test waits to conclude that a message does not arrive. */
    static final long QUIET_MS = 300;

    private final String name;
    private final AtomicInteger lastName = new AtomicInteger();
    private Path dir;
    private StrandBroker tcpBroker;
    private Connection vmKeeper;

    /** @param name distinguishes this class's embedded broker and data directory from other classes' */
    ConformanceBroker(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("strand-conformance-" + name);
        final Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("tcp").toString());
        properties.setProperty("log.flush.mode", "none");
        tcpBroker = StrandBroker.start(BrokerConfig.from(properties), null);
        vmKeeper = factory(Transport.VM).createConnection();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (vmKeeper != null) {
                vmKeeper.close();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(dir.resolve("vm").resolve(".clean-shutdown")).exists());
            }
        } finally {
            if (tcpBroker != null) {
                tcpBroker.close();
            }
            deleteRecursively(dir);
        }
    }

    /** @return a factory for the given transport with default client options */
    private static final String TRUSTED_TEST_CLASSES = "objectMessage.trustedPackages=java.,io.strand.conformance.";

    StrandConnectionFactory factory(Transport transport) {
        return factory(transport, "");
    }

    /**
     * @param extraOptions client URL options without the leading {@code ?}, such as {@code clientId=a}
     * @return a factory for the given transport
     */
    StrandConnectionFactory factory(Transport transport, String extraOptions) {
        // The tests send ObjectMessages holding their own classes: their package must be trusted.
        String options = TRUSTED_TEST_CLASSES + (extraOptions.isEmpty() ? "" : "&" + extraOptions);
        return switch (transport) {
            case TCP -> new StrandConnectionFactory("strand://127.0.0.1:" + tcpBroker.address().getPort()
                    + (options.isEmpty() ? "" : "?" + options));
            case VM -> new StrandConnectionFactory("vm://conformance-" + name + "?dataDir=" + dir.resolve("vm")
                    + "&log.flush.mode=none" + (options.isEmpty() ? "" : "&" + options));
        };
    }

    /** @return a destination, subscription or client id name no other test of this class uses */
    String unique(String prefix) {
        return prefix + "-" + lastName.incrementAndGet();
    }

    /** Creates a message with a session; the messages under test come from here. */
    @FunctionalInterface
    interface MessageMaker {
        Message make(Session session) throws JMSException;
    }

    /**
     * Sends one message to a fresh queue with a default producer and receives it back, on one AUTO
     * session of one connection that is closed before returning: the received message is what a consumer
     * gets, and stays readable after its connection closed (JMS 3.1 §6.1.8).
     *
     * @return the received message, never null
     */
    Message roundTrip(Transport transport, MessageMaker maker) throws JMSException {
        try (Connection connection = factory(transport).createConnection()) {
            final Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            final Queue queue = session.createQueue(unique("roundtrip"));
            final MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            final MessageProducer producer = session.createProducer(queue);
            producer.send(maker.make(session));
            final Message received = consumer.receive(WAIT_MS);
            assertThat(received).as("the message sent to " + queue).isNotNull();
            return received;
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
