package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queue browsers (JMS 3.1 §4.9) over TCP and {@code vm://}: a look at a queue that takes nothing. */
class QueueBrowserTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;
    private static int queueCounter;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "browser", Map.of());
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    private static StrandConnectionFactory factory(String transport) {
        return brokers.factory(transport);
    }

    private static synchronized String freshQueue() {
        return "browsed" + (++queueCounter);
    }

    private static List<String> texts(Enumeration<?> messages) throws Exception {
        List<String> texts = new ArrayList<>();
        while (messages.hasMoreElements()) {
            texts.add(((TextMessage) messages.nextElement()).getText());
        }
        return texts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aBrowserSeesTheQueueInOrderAndTakesNothing(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(freshQueue());
            MessageProducer producer = session.createProducer(queue);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) { // more than one prefetch window: the browse needs credit as it goes
                sent.add("m" + i);
                producer.send(session.createTextMessage("m" + i));
            }
            QueueBrowser browser = session.createBrowser(queue);
            assertThat(browser.getQueue()).isEqualTo(queue);
            assertThat(texts(browser.getEnumeration())).isEqualTo(sent);
            assertThat(texts(browser.getEnumeration())).as("each enumeration looks again").isEqualTo(sent);
            browser.close();

            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            for (String text : sent) {
                assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo(text);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void acknowledgedMessagesLeaveTheBrowseAndHeldOnesStayInIt(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(freshQueue());
            MessageProducer producer = session.createProducer(queue);
            for (int i = 0; i < 4; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
            connection.start();
            MessageConsumer consumer = session.createConsumer(queue);
            consumer.receive(WAIT_MS);
            Message second = consumer.receive(WAIT_MS);
            second.acknowledge(); // CLIENT: acknowledges m0 and m1
            Message held = consumer.receive(WAIT_MS);
            assertThat(((TextMessage) held).getText()).isEqualTo("m2");

            Session browsing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Enumeration<?> browse = browsing.createBrowser(queue).getEnumeration();
            Message first = (Message) browse.nextElement();
            assertThat(((TextMessage) first).getText()).isEqualTo("m2");
            assertThat(first.getJMSRedelivered()).as("delivered once already").isFalse();
            assertThat(texts(browse)).containsExactly("m3");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anEmptyQueueBrowsesAsEmptyAndAClosedBrowserEndsItsEnumerations(String transport) throws Exception {
        try (JMSContext context = factory(transport).createContext()) {
            Queue queue = context.createQueue(freshQueue());
            QueueBrowser browser = context.createBrowser(queue);
            assertThat(browser.getEnumeration().hasMoreElements()).isFalse();

            context.createProducer().send(queue, "one");
            context.createProducer().send(queue, "two");
            Enumeration<?> browse = browser.getEnumeration();
            assertThat(((TextMessage) browse.nextElement()).getText()).isEqualTo("one");
            browser.close();
            assertThat(browse.hasMoreElements()).isFalse();
        }
    }
}
