package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker in its own JVM halted (as by a power cut) by the failpoint of {@link TransactionCommitter},
 * right after the commit record of a transaction over two queues and a topic is durable and before any
 * of its appends. A client without failover cannot know the outcome; one with failover sends the commit again
 * to the restarted broker, which recognises what recovery appended, and the commit simply returns. Either way,
 * after the restart every message of the commit is there exactly once, in order, because recovery finishes the
 * recorded commit. A commit that also acknowledged a received message cannot be sent again (its acknowledgement
 * belongs to the lost connection): the client asks the restarted broker whether it happened, by its stamps.
 */
class TransactionCrashTest {
    private static final long WAIT_MS = 10_000;
    private static final int MESSAGES = 50;

    @TempDir
    Path dir;

    @Test
    void aCommitHaltedBetweenItsRecordAndItsAppendsIsFinishedExactlyOnceAfterTheRestart() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + port
                + "?failoverTimeoutMs=0");
        try (BrokerProcess broker = startHalting(dataDir, port)) {
            try (Connection connection = factory.createConnection()) {
                connection.setClientID("crash");
                Session session = connection.createSession(Session.SESSION_TRANSACTED);
                sendTheTransaction(session);
                JMSException inDoubt = catchThrowableOfType(JMSException.class, session::commit);
                assertThat(inDoubt).isNotNull().isNotInstanceOf(TransactionRolledBackException.class);
                assertThat(inDoubt.getErrorCode()).isEqualTo("TRANSACTION_IN_DOUBT");
            }
            assertThat(broker.awaitExit(30_000)).as("exit status of the halted broker")
                    .isEqualTo(TransactionCommitter.FAILPOINT_EXIT_STATUS);
        }
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port)) {
            assertEveryMessageOnce(factory);
        }
    }

    @Test
    void aClientThatFailsOverSendsTheHaltedCommitAgainAndItIsAppliedExactlyOnce() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        StrandConnectionFactory factory = failingOver(port);
        BrokerProcess broker = startHalting(dataDir, port);
        try {
            try (Connection connection = factory.createConnection()) {
                connection.setClientID("crash");
                List<JMSException> heard = new CopyOnWriteArrayList<>();
                connection.setExceptionListener(heard::add);
                Session session = connection.createSession(Session.SESSION_TRANSACTED);
                sendTheTransaction(session);
                CompletableFuture<Void> commit = commitInBackground(session);
                broker = restartAfterTheHalt(broker, dataDir, port);
                commit.get(WAIT_MS * 3, TimeUnit.MILLISECONDS); // returns: the application notices nothing
                assertThat(heard).isEmpty();
            }
            assertEveryMessageOnce(factory);
        } finally {
            broker.close();
        }
    }

    @Test
    void aCommitThatAlsoAcknowledgesLearnsAfterTheFailoverThatItHappened() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        StrandConnectionFactory factory = failingOver(port);
        BrokerProcess broker = startHalting(dataDir, port);
        try {
            try (Connection connection = factory.createConnection()) {
                connection.setClientID("crash");
                List<JMSException> heard = new CopyOnWriteArrayList<>();
                connection.setExceptionListener(heard::add);
                Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                plain.createProducer(plain.createQueue("inbox")).send(plain.createTextMessage("input"));
                Session session = connection.createSession(Session.SESSION_TRANSACTED);
                MessageConsumer inbox = session.createConsumer(session.createQueue("inbox"));
                connection.start();
                sendTheTransaction(session);
                Message input = inbox.receive(WAIT_MS);
                assertThat(((TextMessage) input).getText()).isEqualTo("input");
                CompletableFuture<Void> commit = commitInBackground(session);
                broker = restartAfterTheHalt(broker, dataDir, port);
                // Its acknowledgement went with the lost connection, but the broker's logs hold its sends: it happened.
                commit.get(WAIT_MS * 3, TimeUnit.MILLISECONDS);
                assertThat(heard).isEmpty();
                // The acknowledgement the halted broker never applied: the message comes again, marked redelivered.
                Message again = inbox.receive(WAIT_MS);
                assertThat(((TextMessage) again).getText()).isEqualTo("input");
                assertThat(again.getJMSRedelivered()).isTrue();
                session.commit();
            }
            assertEveryMessageOnce(factory);
        } finally {
            broker.close();
        }
    }

    /** A client that fails over to the broker on {@code port} when it comes back, for up to a minute. */
    private static StrandConnectionFactory failingOver(int port) {
        return new StrandConnectionFactory("strand://127.0.0.1:" + port
                + "?failoverTimeoutMs=60000&reconnectBackoffMs=20&reconnectBackoffMaxMs=300");
    }

    /** A broker that halts right after the first commit record it makes durable. */
    private static BrokerProcess startHalting(Path dataDir, int port) throws Exception {
        return BrokerProcess.start(dataDir, port,
                List.of("-D" + TransactionCommitter.HALT_AFTER_COMMIT_RECORD + "=true"));
    }

    /** Waits for the failpoint to halt {@code halted}, then starts a broker on the same data and port. */
    private static BrokerProcess restartAfterTheHalt(BrokerProcess halted, Path dataDir, int port) throws Exception {
        assertThat(halted.awaitExit(30_000)).as("exit status of the halted broker")
                .isEqualTo(TransactionCommitter.FAILPOINT_EXIT_STATUS);
        halted.close();
        return BrokerProcess.start(dataDir, port);
    }

    private static CompletableFuture<Void> commitInBackground(Session session) {
        return CompletableFuture.runAsync(() -> {
            try {
                session.commit();
            } catch (JMSException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * Subscribes "audit" to the topic, commits one message to a queue, then sends the transaction the failpoint halts:
     * {@value #MESSAGES} messages to each of two queues and the topic, left for the caller to commit.
     */
    private static void sendTheTransaction(Session session) throws JMSException {
        Topic topic = session.createTopic("ledger");
        session.createDurableSubscriber(topic, "audit").close();
        MessageProducer producer = session.createProducer(null);
        // A commit to one partition is one append, without a commit record: the failpoint spares it.
        producer.send(session.createQueue("billing"), session.createTextMessage("before"));
        session.commit();
        for (int i = 0; i < MESSAGES; i++) {
            producer.send(session.createQueue("billing"), session.createTextMessage("b" + i));
            producer.send(session.createQueue("shipping"), session.createTextMessage("s" + i));
            producer.send(topic, session.createTextMessage("t" + i));
        }
    }

    private static void assertEveryMessageOnce(StrandConnectionFactory factory) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            connection.setClientID("crash");
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            assertThat(receiveAll(session.createConsumer(session.createQueue("billing"))))
                    .isEqualTo(expected("before", "b"));
            assertThat(receiveAll(session.createConsumer(session.createQueue("shipping"))))
                    .isEqualTo(expected(null, "s"));
            assertThat(receiveAll(session.createDurableSubscriber(session.createTopic("ledger"), "audit")))
                    .isEqualTo(expected(null, "t"));
        }
    }

    private static List<String> expected(String first, String prefix) {
        List<String> texts = new ArrayList<>();
        if (first != null) {
            texts.add(first);
        }
        for (int i = 0; i < MESSAGES; i++) {
            texts.add(prefix + i);
        }
        return texts;
    }

    private static List<String> receiveAll(MessageConsumer consumer) throws JMSException {
        List<String> texts = new ArrayList<>();
        Message m = consumer.receive(WAIT_MS);
        while (m != null) {
            texts.add(((TextMessage) m).getText());
            m = consumer.receive(1000);
        }
        return texts;
    }
}
