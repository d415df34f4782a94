package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue never stalls behind one message (DESIGN.md §3): whether its first message stays held by a
 * consumer, waits for a delivery time an hour away or matches no connected selector, another consumer
 * drains everything behind it,
 * and the share group's state stays a handful of entries however long the queue. The queue holds
 * {@code strand.nostall.messages} messages: 100,000 by default, 1,000,000 with {@code -Pslow}.
 */
class QueueNoStallTest {
    private static final int MESSAGES = Integer.getInteger("strand.nostall.messages", 100_000);

    @TempDir
    Path dataDir;
    private StrandBroker broker;
    private StrandConnectionFactory factory;

    @BeforeEach
    void start() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        factory = new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** The reference for the figures the other tests print: the same queue with nothing in the way. */
    @Test
    void aQueueWithNothingInTheWayDrains() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("plain");
            publish(session, queue, MESSAGES, 0);
            drain(connection, queue, MESSAGES);
            report("nothing in the way", broker.queueState("plain", 0));
        }
    }

    @Test
    void aHeldFirstMessageDoesNotStopAnotherConsumer() throws Exception {
        try (Connection holderConnection = new StrandConnectionFactory("strand://127.0.0.1:"
                + broker.address().getPort() + "?prefetch=1").createConnection();
             Connection drainerConnection = factory.createConnection()) {
            Session holderSession = holderConnection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = holderSession.createQueue("held");
            publish(holderSession, queue, MESSAGES, 0);
            holderConnection.start();
            MessageConsumer holder = holderSession.createConsumer(queue);
            Message held = holder.receive(10_000);
            assertThat(((TextMessage) held).getText()).isEqualTo("m0");

            // The holder prefetches one message more once it took m0: the drainer gets all the others.
            boolean[] seen = drain(drainerConnection, queue, MESSAGES - 2);
            TextMessage prefetched = (TextMessage) holder.receive(10_000);
            int n = Integer.parseInt(prefetched.getText().substring(1));
            assertThat(seen[n]).as("%s delivered twice", prefetched.getText()).isFalse();
            QueueState state = broker.queueState("held", 0);
            report("held first message", state);
            assertThat(state.startOffset()).as("the held message keeps the start").isZero();
            assertThat(state.inFlight()).as("m0 and the one the holder prefetched").isEqualTo(2);
            assertThat(state.doneRanges()).isLessThanOrEqualTo(2);
            held.acknowledge();
        }
    }

    @Test
    void aFirstMessageDelayedByAnHourDoesNotStopTheRest() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("delayed");
            MessageProducer delayed = session.createProducer(queue);
            delayed.setDeliveryDelay(TimeUnit.HOURS.toMillis(1));
            delayed.send(session.createTextMessage("m0"));
            publish(session, queue, MESSAGES - 1, 1);

            boolean[] seen = drain(connection, queue, MESSAGES - 1);
            assertThat(seen[0]).isFalse();
            QueueState state = broker.queueState("delayed", 0);
            report("first message delayed an hour", state);
            assertThat(state.delayed()).isEqualTo(1);
            assertThat(state.inFlight()).isZero();
            assertThat(state.doneRanges()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aFirstMessageNoConnectedSelectorMatchesDoesNotStopTheRest() throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("unmatched");
            TextMessage first = session.createTextMessage("m0");
            first.setStringProperty("colour", "blue");
            session.createProducer(queue).send(first);
            publish(session, queue, MESSAGES - 1, 1);

            boolean[] seen = drain(connection, queue, "colour IS NULL", MESSAGES - 1);
            assertThat(seen[0]).isFalse();
            QueueState state = broker.queueState("unmatched", 0);
            report("first message matched by no selector", state);
            assertThat(state.startOffset()).isZero();
            assertThat(state.inFlight()).isZero();
            assertThat(state.doneRanges()).isLessThanOrEqualTo(1);
        }
    }

    /** Sends {@code count} messages m{first}.. without waiting for each answer, then waits for all. */
    static void publish(Session session, Queue queue, int count, int first) throws Exception {
        MessageProducer producer = session.createProducer(queue);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Exception> failure = new AtomicReference<>();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                done.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                failure.compareAndSet(null, exception);
                done.countDown();
            }
        };
        for (int i = first; i < first + count; i++) {
            producer.send(session.createTextMessage("m" + i), listener);
        }
        assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
    }

    /**
     * Receives {@code count} messages with a consumer of its own, each exactly once, and checks that no
     * more come.
     *
     * @return which messages m0.. it received
     */
    private boolean[] drain(Connection connection, Queue queue, int count) throws Exception {
        return drain(connection, queue, null, count);
    }

    private boolean[] drain(Connection connection, Queue queue, String selector, int count) throws Exception {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer drainer = session.createConsumer(queue, selector);
        connection.start();
        boolean[] seen = new boolean[MESSAGES];
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            TextMessage m = (TextMessage) drainer.receive(10_000);
            assertThat(m).as("message %d of %d", i, count).isNotNull();
            int n = Integer.parseInt(m.getText().substring(1));
            assertThat(seen[n]).as("%s delivered twice", m.getText()).isFalse();
            seen[n] = true;
        }
        long elapsedMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        System.out.printf("drained %,d messages in %,d ms (%,d msgs/s)%n", count, elapsedMs,
                count * 1000L / elapsedMs);
        assertThat(drainer.receive(200)).isNull();
        drainer.close();
        return seen;
    }

    private void report(String scenario, QueueState state) {
        System.out.printf("%s, %,d messages: share-group state %s; share-group log %,d bytes on disk%n", scenario,
                MESSAGES, state, directorySize(dataDir.resolve(ShareGroups.LOG_TOPIC + "-0")));
    }

    private static long directorySize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
