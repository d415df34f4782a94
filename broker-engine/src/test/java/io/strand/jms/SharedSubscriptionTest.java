package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shared subscriptions (JMS 3.1 §8.3.2, §8.3.4) over TCP and {@code vm://}: consumers on any
 * connections share one subscription's messages, each message to one of them; a durable one keeps
 * messages while nobody consumes and until it is unsubscribed; a non-durable one ends with its last
 * consumer; its selector, acknowledgement, redelivery and dead-letter queue work as on a queue.
 */
class SharedSubscriptionTest {
    private static final long WAIT_MS = 10_000;
    private static final long QUIET_MS = 300;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "shared", Map.of("max.delivery.attempts", "3"));
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    private static StrandConnectionFactory factory(String transport) {
        return brokers.factory(transport);
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void publish(Session session, Topic topic, String prefix, int count) throws JMSException {
        MessageProducer producer = session.createProducer(topic);
        for (int i = 0; i < count; i++) {
            TextMessage message = session.createTextMessage(prefix + i);
            message.setIntProperty("n", i);
            producer.send(message);
        }
        producer.close();
    }

    private static List<String> drain(MessageConsumer consumer) throws JMSException {
        List<String> texts = new ArrayList<>();
        for (Message m = consumer.receive(QUIET_MS); m != null; m = consumer.receive(QUIET_MS)) {
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void consumersOnTwoConnectionsShareTheMessagesWhileAPlainSubscriberGetsThemAll(String transport) throws Exception {
        String topicName = fresh("prices");
        // One message in each consumer's buffer at a time, so that neither can take the whole stream.
        StrandConnectionFactory oneAtATime = brokers.factory(transport, "prefetch=1");
        try (Connection first = oneAtATime.createConnection();
             Connection second = oneAtATime.createConnection()) {
            Session a = first.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session b = second.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = a.createTopic(topicName);
            MessageConsumer sharedA = a.createSharedConsumer(topic, "workers");
            MessageConsumer sharedB = b.createSharedConsumer(topic, "workers");
            MessageConsumer everything = a.createConsumer(topic);
            first.start();
            second.start();
            publish(a, topic, "p", 200);

            Set<String> shared = new HashSet<>();
            List<String> fromA = new ArrayList<>();
            List<String> fromB = new ArrayList<>();
            while (shared.size() < 200) {
                Message m = sharedA.receive(50);
                if (m != null) {
                    fromA.add(((TextMessage) m).getText());
                    assertThat(shared.add(((TextMessage) m).getText())).as("delivered once").isTrue();
                }
                m = sharedB.receive(50);
                if (m != null) {
                    fromB.add(((TextMessage) m).getText());
                    assertThat(shared.add(((TextMessage) m).getText())).as("delivered once").isTrue();
                }
            }
            assertThat(fromA).isNotEmpty();
            assertThat(fromB).isNotEmpty();
            assertThat(drain(sharedA)).isEmpty();
            assertThat(drain(sharedB)).isEmpty();
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(((TextMessage) everything.receive(WAIT_MS)).getText());
            }
            assertThat(new HashSet<>(all)).isEqualTo(shared);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aSharedDurableSubscriptionKeepsWhatWasPublishedUntilItIsUnsubscribed(String transport) throws Exception {
        String topicName = fresh("orders");
        String subscription = fresh("billing");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            publish(session, topic, "before", 3); // before the subscription exists: never delivered to it
            session.createSharedDurableConsumer(topic, subscription).close();
            publish(session, topic, "kept", 5);
        }
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createSharedDurableConsumer(session.createTopic(topicName), subscription);
            connection.start();
            assertThat(drain(consumer)).containsExactly("kept0", "kept1", "kept2", "kept3", "kept4");
            assertThatThrownBy(() -> session.unsubscribe(subscription))
                    .as("a subscription with an open consumer cannot be deleted").isInstanceOf(JMSException.class);
            consumer.close();
            session.unsubscribe(subscription);
            publish(session, session.createTopic(topicName), "after", 2);
            MessageConsumer again = session.createSharedDurableConsumer(session.createTopic(topicName), subscription);
            assertThat(drain(again)).as("a new subscription starts empty").isEmpty();
            again.close();
            session.unsubscribe(subscription);
            assertThatThrownBy(() -> session.unsubscribe(subscription))
                    .isInstanceOf(jakarta.jms.InvalidDestinationException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aSharedNonDurableSubscriptionEndsWithItsLastConsumer(String transport) throws Exception {
        String topicName = fresh("ticks");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            MessageConsumer first = session.createSharedConsumer(topic, "viewers");
            MessageConsumer second = session.createSharedConsumer(topic, "viewers");
            connection.start();
            first.close();
            publish(session, topic, "live", 3);
            assertThat(drain(second)).as("the subscription lives while one consumer does")
                    .containsExactly("live0", "live1", "live2");
            second.close();
            publish(session, topic, "missed", 3);
            MessageConsumer later = session.createSharedConsumer(topic, "viewers");
            assertThat(drain(later)).as("a new subscription sees only what is published after it").isEmpty();
            publish(session, topic, "seen", 1);
            assertThat(drain(later)).containsExactly("seen0");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void theSubscriptionsSelectorDecidesWhatItHolds(String transport) throws Exception {
        String topicName = fresh("events");
        String subscription = fresh("evens");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            session.createSharedDurableConsumer(topic, subscription, "n / 2 * 2 = n").close();
            publish(session, topic, "e", 10);
            MessageConsumer consumer = session.createSharedDurableConsumer(topic, subscription, "n / 2 * 2 = n");
            connection.start();
            assertThat(drain(consumer)).containsExactly("e0", "e2", "e4", "e6", "e8");
            consumer.close();
            session.unsubscribe(subscription);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aChangedSelectorIsRefusedWhileConsumersAreActiveAndStartsAnewOtherwise(String transport) throws Exception {
        String topicName = fresh("alerts");
        String subscription = fresh("ops");
        try (Connection connection = factory(transport).createConnection();
             Connection other = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            MessageConsumer active = session.createSharedDurableConsumer(topic, subscription, "n > 1");
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> otherSession.createSharedDurableConsumer(topic, subscription, "n > 5"))
                    .isInstanceOf(JMSException.class).hasMessageContaining(subscription);
            assertThatThrownBy(() -> otherSession.createSharedConsumer(topic, subscription))
                    .as("shared durable and non-durable subscriptions share one namespace")
                    .isInstanceOf(JMSException.class);
            publish(session, topic, "old", 5);
            active.close();
            MessageConsumer changed = session.createSharedDurableConsumer(topic, subscription, "n > 5");
            connection.start();
            assertThat(drain(changed)).as("the old subscription was deleted with its messages").isEmpty();
            changed.close();
            session.unsubscribe(subscription);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anUnsharedAndASharedDurableSubscriptionCannotShareANameAndClientId(String transport) throws Exception {
        String topicName = fresh("audit");
        try (Connection connection = factory(transport).createConnection()) {
            connection.setClientID(fresh("client"));
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            session.createDurableSubscriber(topic, "log").close();
            assertThatThrownBy(() -> session.createSharedDurableConsumer(topic, "log"))
                    .isInstanceOf(JMSException.class).hasMessageContaining("unshared durable");
            session.createSharedDurableConsumer(topic, "trail").close();
            assertThatThrownBy(() -> session.createDurableSubscriber(topic, "trail"))
                    .isInstanceOf(JMSException.class).hasMessageContaining("shared");
            session.unsubscribe("log");
            session.unsubscribe("trail");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void theClientIdScopesTheName(String transport) throws Exception {
        String topicName = fresh("scoped");
        try (Connection withId = factory(transport).createConnection();
             Connection withoutId = factory(transport).createConnection()) {
            withId.setClientID(fresh("client"));
            Session scoped = withId.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session global = withoutId.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = scoped.createTopic(topicName);
            MessageConsumer ofClient = scoped.createSharedConsumer(topic, "same");
            MessageConsumer ofNobody = global.createSharedConsumer(topic, "same");
            withId.start();
            withoutId.start();
            publish(global, topic, "m", 4);
            assertThat(drain(ofClient)).as("two subscriptions, each with every message").hasSize(4);
            assertThat(drain(ofNobody)).hasSize(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void unacknowledgedMessagesAreRedeliveredAndFinallyDeadLettered(String transport) throws Exception {
        String topicName = fresh("payments");
        String subscription = fresh("ledger");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            MessageConsumer consumer = session.createSharedDurableConsumer(topic, subscription);
            connection.start();
            session.createProducer(topic).send(session.createTextMessage("poison"));
            List<Integer> counts = new ArrayList<>();
            List<Boolean> redelivered = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Message m = consumer.receive(WAIT_MS);
                assertThat(((TextMessage) m).getText()).isEqualTo("poison");
                counts.add(m.getIntProperty("JMSXDeliveryCount"));
                redelivered.add(m.getJMSRedelivered());
                session.recover();
            }
            assertThat(counts).containsExactly(1, 2, 3);
            assertThat(redelivered).containsExactly(false, true, true);
            assertThat(consumer.receive(QUIET_MS)).as("a fourth delivery would exceed the maximum").isNull();

            MessageConsumer dlq = session.createConsumer(session.createQueue("DLQ." + topicName));
            Message dead = dlq.receive(WAIT_MS);
            assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
            assertThat(dead.getStringProperty("JMS_Strand_DeadLetterReason"))
                    .isEqualTo("delivered 3 times without being acknowledged");
            assertThat(dead.getStringProperty("JMS_Strand_OriginalTopic")).isEqualTo(topicName);
            assertThat(dead.getStringProperty("JMS_Strand_OriginalSubscription")).isEqualTo(subscription);
            assertThat(dead.propertyExists("JMS_Strand_OriginalQueue")).isFalse();
            dead.acknowledge();
            consumer.close();
            session.unsubscribe(subscription);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void theSimplifiedApiCreatesSharedConsumers(String transport) {
        String topicName = fresh("news");
        String subscription = fresh("readers");
        try (JMSContext context = factory(transport).createContext()) {
            Topic topic = context.createTopic(topicName);
            JMSConsumer durable = context.createSharedDurableConsumer(topic, subscription);
            JMSConsumer nonDurable = context.createSharedConsumer(topic, subscription + "-live", "n = 1");
            context.createProducer().setProperty("n", 1).send(topic, "headline");
            assertThat(durable.receiveBody(String.class, WAIT_MS)).isEqualTo("headline");
            assertThat(nonDurable.receiveBody(String.class, WAIT_MS)).isEqualTo("headline");
            durable.close();
            context.unsubscribe(subscription);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aNameTooLongToStoreIsRefusedNamingTheLimit(String transport) throws Exception {
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(fresh("long"));
            String name = "n".repeat(1001);
            assertThatThrownBy(() -> session.createSharedDurableConsumer(topic, name))
                    .isInstanceOf(JMSException.class).hasMessageContaining("1001 characters")
                    .hasMessageContaining("at most 1000");
            session.createSharedDurableConsumer(topic, "n".repeat(1000)).close();
            session.unsubscribe("n".repeat(1000));
        }
    }
}
