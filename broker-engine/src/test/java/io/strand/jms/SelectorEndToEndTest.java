package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Message selectors (JMS 3.1 §3.8) end to end over TCP and {@code vm://}: evaluated by the broker for
 * queue receivers and browsers, by the client for topic subscribers, with three-valued logic.
 */
class SelectorEndToEndTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;
    private static int counter;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "selectors", Map.of());
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    private static StrandConnectionFactory factory(String transport) {
        return brokers.factory(transport);
    }

    private static synchronized String fresh() {
        return "selected" + (++counter);
    }

    /** Sends m0..m5: colours red, blue, none, red, green, none; sizes 5, 20, 15, none, 1, none. */
    private static void sendSix(Session session, jakarta.jms.Destination destination) throws Exception {
        String[] colours = {"red", "blue", null, "red", "green", null};
        Integer[] sizes = {5, 20, 15, null, 1, null};
        MessageProducer producer = session.createProducer(destination);
        for (int i = 0; i < colours.length; i++) {
            TextMessage m = session.createTextMessage("m" + i);
            if (colours[i] != null) {
                m.setStringProperty("colour", colours[i]);
            }
            if (sizes[i] != null) {
                m.setIntProperty("size", sizes[i]);
            }
            producer.send(m);
        }
    }

    private static List<String> drain(MessageConsumer consumer, long waitMs) throws Exception {
        List<String> texts = new ArrayList<>();
        Message m;
        while ((m = consumer.receive(waitMs)) != null) {
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aQueueReceiverTakesOnlyWhatItsSelectorMatchesAndLeavesTheRestToOthers(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(fresh());
            sendSix(session, queue);
            connection.start();
            MessageConsumer reds = session.createConsumer(queue, "colour = 'red'");
            assertThat(drain(reds, 500)).containsExactly("m0", "m3");
            MessageConsumer rest = session.createConsumer(queue);
            assertThat(drain(rest, 500)).containsExactly("m1", "m2", "m4", "m5");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void missingPropertiesAreUnknownNeitherTrueNorFalse(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(fresh());
            sendSix(session, queue);
            connection.start();
            assertThat(drain(session.createConsumer(queue, "NOT (size > 10)"), 500)).containsExactly("m0", "m4");
            assertThat(drain(session.createConsumer(queue, "size > 10 OR colour IS NULL"), 500))
                    .containsExactly("m1", "m2", "m5");
            assertThat(drain(session.createConsumer(queue, "colour IN ('red', 'green') AND size BETWEEN 0 AND 9"), 500))
                    .isEmpty(); // m0 and m4 were taken above
            assertThat(drain(session.createConsumer(queue), 500)).containsExactly("m3");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void topicSubscribersAndBrowsersSeeOnlyWhatTheirSelectorsMatch(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            connection.setClientID("selector-" + transport);
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(fresh());
            MessageConsumer subscriber = session.createConsumer(topic, "colour LIKE 'r%' OR size < 2");
            MessageConsumer durable = session.createDurableConsumer(topic, "greens", "colour = 'green'", false);
            connection.start();
            sendSix(session, topic);
            assertThat(drain(subscriber, 500)).containsExactly("m0", "m3", "m4");
            assertThat(drain(durable, 500)).containsExactly("m4");
            durable.close();
            session.unsubscribe("greens");

            Queue queue = session.createQueue(fresh());
            sendSix(session, queue);
            Enumeration<?> browse = session.createBrowser(queue, "JMSPriority = 4 AND colour <> 'red'").getEnumeration();
            List<String> browsed = new ArrayList<>();
            for (Object m : Collections.list(browse)) {
                browsed.add(((TextMessage) m).getText());
            }
            assertThat(browsed).containsExactly("m1", "m4");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aWrongSelectorIsRefusedWithItsPosition(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(fresh());
            assertThatThrownBy(() -> session.createConsumer(queue, "colour = 'red' AND"))
                    .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("position");
            assertThatThrownBy(() -> session.createBrowser(queue, "size >"))
                    .isInstanceOf(InvalidSelectorException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createTopic(fresh()), "1 + 2"))
                    .isInstanceOf(InvalidSelectorException.class);
        }
    }
}
