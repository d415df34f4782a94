package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.QUIET_MS;
import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 chapter 4 (messaging domains) with §8.3 (consumers on topics): a queue message
 * goes to one consumer and waits for one (§4.1.2, §4.1.8), every topic subscription gets its own copy
 * (§4.2.2), non-durable subscriptions see only what is sent while they exist, durable ones keep what is
 * sent while they are inactive (§8.3.1, §8.3.3), noLocal, and the legacy domain-specific APIs.
 */
class MessagingDomainsConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("domains");

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    /** @return the texts of the next {@code count} messages, in the order received */
    private static List<String> receive(MessageConsumer consumer, int count) throws JMSException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(WAIT_MS);
            assertThat(m).as("message " + (i + 1) + " of " + count).isNotNull();
            texts.add(text(m));
        }
        return texts;
    }

    private static void send(Session session, jakarta.jms.Destination destination, String... texts)
            throws JMSException {
        MessageProducer producer = session.createProducer(destination);
        for (String t : texts) {
            producer.send(session.createTextMessage(t));
        }
    }

    /** §4.1.2: a queue may have several consumers; each message goes to only one of them. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachQueueMessageGoesToOneConsumer(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Queue queue = connection.createSession().createQueue(BROKER.unique("competing"));
            List<String> received = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 2; i++) {
                connection.createSession().createConsumer(queue).setMessageListener(m -> {
                    try {
                        received.add(text(m));
                    } catch (JMSException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            connection.start();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add("m" + i);
            }
            send(connection.createSession(), queue, sent.toArray(String[]::new));

            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> received.size() >= sent.size());
            Thread.sleep(QUIET_MS);
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    /** §4.1.8: a queue holds what is sent to it until a consumer comes, even across connections. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aQueueKeepsMessagesUntilAConsumerComes(Transport transport) throws Exception {
        String queueName = BROKER.unique("waiting");
        try (Connection sender = BROKER.factory(transport).createConnection()) {
            Session session = sender.createSession();
            send(session, session.createQueue(queueName), "early", "bird");
        }
        try (Connection receiver = BROKER.factory(transport).createConnection()) {
            Session session = receiver.createSession();
            MessageConsumer consumer = session.createConsumer(session.createQueue(queueName));
            receiver.start();
            assertThat(receive(consumer, 2)).containsExactly("early", "bird");
        }
    }

    /** §4.2.2: every subscription on a topic gets its own copy of each message. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyTopicSubscriptionGetsItsOwnCopy(Transport transport) throws Exception {
        try (Connection one = BROKER.factory(transport).createConnection();
             Connection other = BROKER.factory(transport).createConnection()) {
            Session session = one.createSession();
            Topic topic = session.createTopic(BROKER.unique("fanout"));
            MessageConsumer sameSession = session.createConsumer(topic);
            MessageConsumer otherSession = one.createSession().createConsumer(topic);
            MessageConsumer otherConnection = other.createSession().createConsumer(topic);
            one.start();
            other.start();
            send(session, topic, "x", "y", "z");

            for (MessageConsumer subscriber : List.of(sameSession, otherSession, otherConnection)) {
                assertThat(receive(subscriber, 3)).containsExactly("x", "y", "z");
            }
        }
    }

    /** §8.3.1: a non-durable subscription gets only what is sent while its consumer exists. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aNonDurableSubscriptionSeesOnlyWhatIsSentWhileItExists(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession();
            Topic topic = session.createTopic(BROKER.unique("nondurable"));
            connection.start();
            send(session, topic, "before");
            MessageConsumer subscriber = session.createConsumer(topic);
            send(session, topic, "during");
            // One session's messages to a topic arrive in order (§6.2.9), so "before" would come first.
            assertThat(receive(subscriber, 1)).containsExactly("during");
            subscriber.close();
            send(session, topic, "between");

            MessageConsumer later = session.createConsumer(topic);
            send(session, topic, "after");
            assertThat(receive(later, 1)).containsExactly("after");
        }
    }

    /**
     * §8.3.3: a durable subscription keeps what is published while it has no consumer, until it is
     * unsubscribed; a new subscription of the same name then starts afresh.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDurableSubscriptionKeepsWhatIsPublishedWhileInactive(Transport transport) throws Exception {
        String clientId = BROKER.unique("durable");
        String topicName = BROKER.unique("durable");
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            connection.setClientID(clientId);
            Session session = connection.createSession();
            Topic topic = session.createTopic(topicName);
            session.createDurableConsumer(topic, "audit").close();
            send(session, topic, "while away 1", "while away 2");
        }
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            connection.setClientID(clientId);
            Session session = connection.createSession();
            Topic topic = session.createTopic(topicName);
            MessageConsumer durable = session.createDurableConsumer(topic, "audit");
            connection.start();
            assertThat(receive(durable, 2)).containsExactly("while away 1", "while away 2");
            durable.close();
            session.unsubscribe("audit");
            send(session, topic, "before the new subscription");

            MessageConsumer fresh = session.createDurableConsumer(topic, "audit");
            send(session, topic, "after the new subscription");
            assertThat(receive(fresh, 1)).containsExactly("after the new subscription");
            fresh.close();
            session.unsubscribe("audit");
        }
    }

    /** §8.3.1: with noLocal a subscription does not get the messages its own connection publishes. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void noLocalSkipsTheOwnConnectionsMessages(Transport transport) throws Exception {
        try (Connection mine = BROKER.factory(transport).createConnection();
             Connection theirs = BROKER.factory(transport).createConnection()) {
            Session session = mine.createSession();
            Topic topic = session.createTopic(BROKER.unique("nolocal"));
            MessageConsumer noLocal = session.createConsumer(topic, null, true);
            MessageConsumer everything = session.createConsumer(topic);
            mine.start();
            send(session, topic, "mine");
            send(theirs.createSession(), topic, "theirs");

            assertThat(receive(everything, 2)).containsExactlyInAnyOrder("mine", "theirs");
            assertThat(receive(noLocal, 1)).containsExactly("theirs");
            assertThat(noLocal.receive(QUIET_MS)).isNull();
        }
    }

    /** §2.9 and chapter 4: the legacy point-to-point and pub/sub APIs send and receive as the unified one does. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theDomainSpecificApisSendAndReceive(Transport transport) throws Exception {
        try (QueueConnection connection = BROKER.factory(transport).createQueueConnection()) {
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("legacy"));
            QueueReceiver receiver = session.createReceiver(queue);
            QueueSender sender = session.createSender(queue);
            connection.start();
            sender.send(session.createTextMessage("point to point"));
            assertThat(receiver.getQueue()).isEqualTo(queue);
            assertThat(sender.getQueue()).isEqualTo(queue);
            assertThat(text(receiver.receive(WAIT_MS))).isEqualTo("point to point");
        }
        try (TopicConnection connection = BROKER.factory(transport).createTopicConnection()) {
            TopicSession session = connection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(BROKER.unique("legacy"));
            TopicSubscriber subscriber = session.createSubscriber(topic);
            TopicPublisher publisher = session.createPublisher(topic);
            connection.start();
            publisher.publish(session.createTextMessage("publish and subscribe"));
            assertThat(subscriber.getTopic()).isEqualTo(topic);
            assertThat(subscriber.getNoLocal()).isFalse();
            assertThat(publisher.getTopic()).isEqualTo(topic);
            assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("publish and subscribe");
        }
    }

    /**
     * §9.2 and §10.3, the QueueSession, TopicSession and QueueConnection javadoc: a domain-specific object may
     * not create objects of the other domain. A QueueSession refuses topics, temporary topics, durable and
     * shared subscriptions and unsubscribe; a TopicSession refuses queues, temporary queues and browsers; a
     * QueueConnection refuses connection consumers of topics (durable and shared ones); all with
     * IllegalStateException.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void domainSpecificObjectsRefuseTheOtherDomainWithIllegalStateException(Transport transport) throws Exception {
        try (QueueConnection connection = BROKER.factory(transport, "clientId=" + BROKER.unique("qc"))
                .createQueueConnection()) {
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = connection.createSession().createTopic(BROKER.unique("notforqueues"));
            List<ThrowingCallable> queueSessionMethods = List.of(
                    () -> session.createTopic("t"),
                    session::createTemporaryTopic,
                    () -> session.createDurableSubscriber(topic, "d"),
                    () -> session.createDurableSubscriber(topic, "d", null, false),
                    () -> session.createDurableConsumer(topic, "d"),
                    () -> session.createDurableConsumer(topic, "d", null, false),
                    () -> session.createSharedConsumer(topic, "s"),
                    () -> session.createSharedConsumer(topic, "s", null),
                    () -> session.createSharedDurableConsumer(topic, "s"),
                    () -> session.createSharedDurableConsumer(topic, "s", null),
                    () -> session.unsubscribe("d"),
                    () -> connection.createDurableConnectionConsumer(topic, "d", null, null, 1),
                    () -> connection.createSharedConnectionConsumer(topic, "s", null, null, 1),
                    () -> connection.createSharedDurableConnectionConsumer(topic, "s", null, null, 1),
                    () -> connection.createConnectionConsumer(topic, null, null, 1));
            for (ThrowingCallable method : queueSessionMethods) {
                assertThatThrownBy(method).isInstanceOf(jakarta.jms.IllegalStateException.class);
            }
            Queue queue = session.createQueue(BROKER.unique("stillfine"));
            assertThat(session.createBrowser(queue)).isNotNull();
        }
        try (TopicConnection connection = BROKER.factory(transport).createTopicConnection()) {
            TopicSession session = connection.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = connection.createSession().createQueue(BROKER.unique("notfortopics"));
            List<ThrowingCallable> topicSessionMethods = List.of(
                    () -> session.createQueue("q"),
                    session::createTemporaryQueue,
                    () -> session.createBrowser(queue),
                    () -> session.createBrowser(queue, "a = 1"));
            for (ThrowingCallable method : topicSessionMethods) {
                assertThatThrownBy(method).isInstanceOf(jakarta.jms.IllegalStateException.class);
            }
            assertThat(session.createTemporaryTopic()).isNotNull();
        }
    }
}
