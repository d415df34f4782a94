package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue through a broker killed with SIGKILL in its own JVM while a producer is sending and a
 * consumer holds messages unacknowledged: after the restart the queue holds everything whose send
 * returned and that no one acknowledged, the held messages come again marked redelivered, what was
 * acknowledged does not, and a receiver in AUTO_ACKNOWLEDGE mode gets each of them exactly once.
 */
class QueueRestartTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dir;

    @Test
    void queueContentsAndHeldMessagesSurviveKillNineAndAreDeliveredExactlyOnce() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        StrandConnectionFactory factory = new StrandConnectionFactory("strand://127.0.0.1:" + port);
        List<String> sentAndReturned = new CopyOnWriteArrayList<>();
        Set<String> acknowledgedBefore = new HashSet<>();
        Set<String> heldAtTheCrash = new HashSet<>();
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port)) {
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("jobs"));
                for (int i = 0; i < 200; i++) {
                    producer.send(session.createTextMessage("job-" + i), DeliveryMode.PERSISTENT, 4, 0);
                    sentAndReturned.add("job-" + i);
                }
            }
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue("jobs"));
                connection.start();
                for (int i = 0; i < 50; i++) {
                    acknowledgedBefore.add(text(consumer.receive(WAIT_MS)));
                }
            } // closing the connection settles its acknowledgements and releases its prefetched messages

            Connection holder = factory.createConnection();
            Session holding = holder.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer held = holding.createConsumer(holding.createQueue("jobs"));
            holder.start();
            Message last = null;
            for (int i = 0; i < 30; i++) {
                last = held.receive(WAIT_MS);
                acknowledgedBefore.add(text(last));
            }
            last.acknowledge(); // CLIENT mode: the 30 so far
            for (int i = 0; i < 20; i++) {
                heldAtTheCrash.add(text(held.receive(WAIT_MS)));
            }

            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = new Thread(() -> {
                try (Connection connection = factory.createConnection()) {
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = session.createProducer(session.createQueue("jobs"));
                    for (int i = 0; !stop.get(); i++) {
                        producer.send(session.createTextMessage("late-" + i));
                        sentAndReturned.add("late-" + i);
                    }
                } catch (JMSException expected) {
                    // the broker died under the send: that message's fate is unknown, and it was not counted
                }
            });
            sender.start();
            while (sentAndReturned.size() < 300) {
                Thread.sleep(5);
            }
            broker.kill9();
            stop.set(true);
            sender.join(WAIT_MS);
            closeQuietly(holder);
        }
        assertThat(acknowledgedBefore).hasSize(80);
        assertThat(heldAtTheCrash).hasSize(20).doesNotContainAnyElementsOf(acknowledgedBefore);

        try (BrokerProcess broker = BrokerProcess.start(dataDir, port);
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("jobs");
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            List<String> received = new ArrayList<>();
            Set<String> redelivered = new HashSet<>();
            for (Message m = consumer.receive(3000); m != null; m = consumer.receive(3000)) {
                received.add(text(m));
                if (m.getJMSRedelivered()) {
                    redelivered.add(text(m));
                }
            }
            assertThat(received).as("each message once").doesNotHaveDuplicates();
            Set<String> expected = new HashSet<>(sentAndReturned);
            expected.removeAll(acknowledgedBefore);
            assertThat(received).as("everything sent and not acknowledged").containsAll(expected);
            assertThat(received).as("nothing acknowledged comes again").doesNotContainAnyElementsOf(acknowledgedBefore);
            for (String m : received) {
                assertThat(m).as("only what was sent").matches("job-\\d+|late-\\d+");
            }
            assertThat(redelivered).as("the held messages were delivered before the crash").containsAll(heldAtTheCrash);
        }
    }

    private static String text(Message message) throws JMSException {
        assertThat(message).as("a message within the wait").isNotNull();
        return ((TextMessage) message).getText();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException ignored) {
            // the broker is gone: there is nothing left to close on its side
        }
    }
}
