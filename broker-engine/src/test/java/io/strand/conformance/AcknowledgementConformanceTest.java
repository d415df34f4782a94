package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.QUIET_MS;
import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jakarta Messaging 3.1 §6.2.10 (message acknowledgment) with §3.6, §3.10, §8.7 (listeners that throw) and
 * the acknowledgement rules of closing (§6.1.8, §6.2.15): AUTO, CLIENT and DUPS_OK, recover, and
 * JMSRedelivered/JMSXDeliveryCount on redelivery.
 */
class AcknowledgementConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("ack");

    /** Whether a test runs on a queue or on a non-durable topic subscription. */
    enum Kind { QUEUE, TOPIC }

    static Stream<Arguments> transportsAndKinds() {
        List<Arguments> combinations = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            for (Kind kind : Kind.values()) {
                combinations.add(Arguments.of(transport, kind));
            }
        }
        return combinations.stream();
    }

    private static Destination destination(Session session, Kind kind) throws JMSException {
        return kind == Kind.QUEUE ? session.createQueue(BROKER.unique("q")) : session.createTopic(BROKER.unique("t"));
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    private static void send(Session session, Destination destination, String... texts) throws JMSException {
        MessageProducer producer = session.createProducer(destination);
        for (String t : texts) {
            producer.send(session.createTextMessage(t));
        }
        producer.close();
    }

    /** @return the texts still waiting on the queue, read by a fresh AUTO connection */
    private static List<String> drain(Transport transport, String queueName) throws JMSException {
        List<String> left = new ArrayList<>();
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queueName));
            connection.start();
            for (Message m = consumer.receive(QUIET_MS); m != null; m = consumer.receive(QUIET_MS)) {
                left.add(text(m));
            }
        }
        return left;
    }

    /** §6.2.10 AUTO_ACKNOWLEDGE: a message is acknowledged once receive returns it; acknowledge() is ignored. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void autoAcknowledgedMessagesAreNotRedelivered(Transport transport) throws Exception {
        String queueName = BROKER.unique("auto");
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(session.getAcknowledgeMode()).isEqualTo(Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(queueName);
            send(session, queue, "a", "b", "c");
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            Message a = consumer.receive(WAIT_MS);
            assertThat(text(a)).isEqualTo("a");
            a.acknowledge(); // §3.6: ignored in an automatic mode
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("b");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("c");
        }
        assertThat(drain(transport, queueName)).isEmpty();
    }

    /**
     * §6.2.10 CLIENT_ACKNOWLEDGE: acknowledging one consumed message acknowledges every message the session
     * consumed, from all its consumers, earlier and later ones alike.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void acknowledgeAcknowledgesEverythingTheSessionConsumed(Transport transport) throws Exception {
        String first = BROKER.unique("client1");
        String second = BROKER.unique("client2");
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q1 = session.createQueue(first);
            Queue q2 = session.createQueue(second);
            send(session, q1, "a", "b");
            send(session, q2, "x");
            MessageConsumer c1 = session.createConsumer(q1);
            MessageConsumer c2 = session.createConsumer(q2);
            connection.start();
            Message a = c1.receive(WAIT_MS);
            assertThat(text(c1.receive(WAIT_MS))).isEqualTo("b");
            assertThat(text(c2.receive(WAIT_MS))).isEqualTo("x");

            a.acknowledge();
        }
        assertThat(drain(transport, first)).isEmpty();
        assertThat(drain(transport, second)).isEmpty();
    }

    /**
     * §6.1.8 and §6.2: closing does not acknowledge a CLIENT session's messages; unacknowledged queue
     * messages are kept and redelivered, marked redelivered with JMSXDeliveryCount raised (§3.5.11).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void unacknowledgedMessagesAreRedeliveredAfterClose(Transport transport) throws Exception {
        String queueName = BROKER.unique("unacked");
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(queueName);
            send(session, queue, "acked", "not acked");
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            consumer.receive(WAIT_MS).acknowledge();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("not acked");
        }
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queueName));
            connection.start();
            Message again = consumer.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("not acked");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(consumer.receive(QUIET_MS)).isNull();
        }
    }

    /**
     * §6.2.10: recover restarts the session with its first unacknowledged message; redelivered messages
     * carry JMSRedelivered and a raised JMSXDeliveryCount, acknowledged ones never come back (§6.2.11).
     */
    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void recoverRedeliversWhatWasNotAcknowledged(Transport transport, Kind kind) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Destination destination = destination(session, kind);
            MessageConsumer consumer = session.createConsumer(destination);
            connection.start();
            send(session, destination, "m1", "m2", "m3");

            Message m1 = consumer.receive(WAIT_MS);
            assertThat(m1.getJMSRedelivered()).isFalse();
            assertThat(m1.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            m1.acknowledge();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m2");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m3");

            session.recover();
            Message m2 = consumer.receive(WAIT_MS);
            Message m3 = consumer.receive(WAIT_MS);
            assertThat(List.of(text(m2), text(m3))).containsExactly("m2", "m3");
            for (Message again : List.of(m2, m3)) {
                assertThat(again.getJMSRedelivered()).isTrue();
                assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            }
            session.recover();
            Message m2Third = consumer.receive(WAIT_MS);
            assertThat(text(m2Third)).isEqualTo("m2");
            assertThat(m2Third.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m3");
            m2Third.acknowledge();

            session.recover();
            assertThat(consumer.receive(QUIET_MS)).as("everything was acknowledged").isNull();
        }
    }

    /** §6.2.10: in AUTO mode the message receive returned is acknowledged, so recover does not bring it back. */
    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void recoverInAutoModeDoesNotRedeliverWhatReceiveReturned(Transport transport, Kind kind) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination destination = destination(session, kind);
            MessageConsumer consumer = session.createConsumer(destination);
            connection.start();
            send(session, destination, "m1", "m2");

            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("m1");
            session.recover();
            Message next = consumer.receive(WAIT_MS);
            assertThat(text(next)).isEqualTo("m2");
            assertThat(next.getJMSRedelivered()).isFalse();
        }
    }

    /** §6.2.10 DUPS_OK_ACKNOWLEDGE: lazy acknowledgement; every message is delivered (at least once). */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void dupsOkDeliversEveryMessage(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
            assertThat(session.getAcknowledgeMode()).isEqualTo(Session.DUPS_OK_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("dups"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            for (int i = 0; i < 20; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
            Set<String> seen = new HashSet<>();
            while (seen.size() < 20) {
                Message m = consumer.receive(WAIT_MS);
                assertThat(m).as("message " + seen.size() + " of 20").isNotNull();
                seen.add(text(m));
            }
        }
    }

    /** Starts an AUTO listener whose first delivery throws, sends "poison" then "next", and returns what it heard. */
    private static List<Message> deliveriesToAListenerThatThrowsOnce(Transport transport, Kind kind) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination destination = destination(session, kind);
            MessageConsumer consumer = session.createConsumer(destination);
            BlockingQueue<Message> heard = new LinkedBlockingQueue<>();
            AtomicInteger deliveries = new AtomicInteger();
            consumer.setMessageListener(m -> {
                heard.add(m);
                if (deliveries.incrementAndGet() == 1) {
                    throw new RuntimeException("the first delivery fails (expected by the test)");
                }
            });
            Session producing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            send(producing, destination, "poison", "next");

            List<Message> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Message m = heard.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                assertThat(m).as("delivery " + (i + 1) + " of 3").isNotNull();
                received.add(m);
            }
            return received;
        }
    }

    /**
     * §8.7: when a listener of an AUTO session throws a RuntimeException the message is redelivered at once,
     * before the next message, with JMSRedelivered set and JMSXDeliveryCount raised; on a queue as on a topic.
     */
    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void aListenerThatThrowsInAutoModeGetsTheMessageAgainAtOnce(Transport transport, Kind kind) throws Exception {
        List<Message> deliveries = deliveriesToAListenerThatThrowsOnce(transport, kind);

        assertThat(List.of(text(deliveries.get(0)), text(deliveries.get(1)), text(deliveries.get(2))))
                .containsExactly("poison", "poison", "next");
        assertThat(deliveries.get(1).getJMSRedelivered()).isTrue();
        assertThat(deliveries.get(1).getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(deliveries.get(2).getJMSRedelivered()).isFalse();
        assertThat(deliveries.get(2).getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
    }

    /**
     * §6.2.10: recover restarts delivery with the session's first unacknowledged message, ahead of messages the
     * provider already holds for the consumer: send "one", "two"; receive "one"; recover; the next receive returns
     * "one" again, redelivered, with JMSXDeliveryCount 2, then "two" for the first time.
     */
    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void recoverRestartsWithTheFirstUnacknowledgedMessage(Transport transport, Kind kind) throws Exception {
        Destination destination;
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            destination = destination(session, kind);
            MessageConsumer consumer = session.createConsumer(destination);
            connection.start();
            send(session, destination, "one", "two");

            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("one");
            session.recover();
            Message again = consumer.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("one");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            Message two = consumer.receive(WAIT_MS);
            assertThat(text(two)).isEqualTo("two");
            assertThat(two.getJMSRedelivered()).isFalse();
            assertThat(two.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            two.acknowledge();
            session.recover();
            assertThat(consumer.receive(QUIET_MS)).as("everything was acknowledged").isNull();
        }
        if (destination instanceof Queue queue) {
            assertThat(drain(transport, queue.getQueueName())).as("acknowledged on the broker too").isEmpty();
        }
    }

    /**
     * §6.2.10 with a listener: a CLIENT listener that calls recover on its own thread gets the unacknowledged
     * message again next, before the message that follows it; on a queue as on a topic.
     */
    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void recoverInsideAListenerRestartsWithTheFirstUnacknowledgedMessage(Transport transport, Kind kind) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Destination destination = destination(session, kind);
            MessageConsumer consumer = session.createConsumer(destination);
            BlockingQueue<Message> heard = new LinkedBlockingQueue<>();
            consumer.setMessageListener(m -> {
                heard.add(m);
                try {
                    if (text(m).equals("one") && !m.getJMSRedelivered()) {
                        session.recover();
                    } else {
                        m.acknowledge();
                    }
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
            });
            Session producing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            send(producing, destination, "one", "two", "three");

            List<Message> received = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Message m = heard.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                assertThat(m).as("delivery " + (i + 1) + " of 4").isNotNull();
                received.add(m);
            }
            assertThat(received).extracting(AcknowledgementConformanceTest::text).containsExactly("one", "one", "two", "three");
            assertThat(received.get(1).getJMSRedelivered()).isTrue();
            assertThat(received.get(1).getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(heard.poll(QUIET_MS, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    /** §8.7: when a listener of a CLIENT session throws, the next message is delivered; recover brings it back. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerThatThrowsInClientModeGetsTheNextMessage(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("clientthrow"));
            MessageConsumer consumer = session.createConsumer(queue);
            BlockingQueue<Message> heard = new LinkedBlockingQueue<>();
            consumer.setMessageListener(m -> {
                heard.add(m);
                try {
                    if (text(m).equals("poison") && !m.getJMSRedelivered()) {
                        throw new RuntimeException("the first delivery fails (expected by the test)");
                    }
                    if (text(m).equals("next") && !m.getJMSRedelivered()) {
                        session.recover(); // on the listener's own thread, as the session's rules ask
                    }
                } catch (JMSException e) {
                    throw new AssertionError(e);
                }
            });
            Session producing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.start();
            send(producing, queue, "poison", "next");

            assertThat(text(heard.poll(WAIT_MS, TimeUnit.MILLISECONDS))).isEqualTo("poison");
            Message next = heard.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(text(next)).isEqualTo("next");
            assertThat(next.getJMSRedelivered()).isFalse();
            Message recovered = heard.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(text(recovered)).isEqualTo("poison");
            assertThat(recovered.getJMSRedelivered()).isTrue();
        }
    }

    /**
     * §8.8: in CLIENT mode a message may be acknowledged after its consumer was closed. On a queue the closed
     * consumer's delivered message stays with the session meanwhile (no other consumer gets it), what it had
     * only prefetched is free for others at once, and acknowledging afterwards completes it on the broker.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessageMayBeAcknowledgedAfterItsQueueConsumerClosed(Transport transport) throws Exception {
        String queueName = BROKER.unique("ackafterclose");
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(queueName);
            send(session, queue, "delivered", "prefetched");
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            Message delivered = consumer.receive(WAIT_MS);
            assertThat(text(delivered)).isEqualTo("delivered");
            consumer.close();

            try (Connection other = BROKER.factory(transport).createConnection()) {
                Session otherSession = other.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                MessageConsumer otherConsumer = otherSession.createConsumer(otherSession.createQueue(queueName));
                other.start();
                Message next = otherConsumer.receive(WAIT_MS);
                assertThat(text(next)).as("the closed consumer's prefetched message is free").isEqualTo("prefetched");
                assertThat(otherConsumer.receive(QUIET_MS)).as("the delivered message stays with its session").isNull();
                next.acknowledge();
            }
            delivered.acknowledge();
        }
        assertThat(drain(transport, queueName)).as("acknowledged after its consumer closed").isEmpty();
    }

    /**
     * §8.8 with §6.2.10: a closed queue consumer's unacknowledged message is given back by recover (it cannot be
     * redelivered to the closed consumer) and comes again, marked redelivered, to a new consumer.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void recoverGivesBackTheMessagesOfAClosedQueueConsumer(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("recoverafterclose"));
            send(session, queue, "delivered");
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("delivered");
            consumer.close();

            session.recover();
            MessageConsumer again = session.createConsumer(queue);
            Message redelivered = again.receive(WAIT_MS);
            assertThat(text(redelivered)).isEqualTo("delivered");
            assertThat(redelivered.getJMSRedelivered()).isTrue();
            assertThat(redelivered.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            redelivered.acknowledge();
        }
    }

    /** §6.1.8 and §6.2.15: acknowledging a message of a closed session or connection throws IllegalStateException. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void acknowledgingAfterCloseThrowsIllegalStateException(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("closedack"));
            send(session, queue, "s", "c");
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            Message ofClosedSession = consumer.receive(WAIT_MS);
            session.close();
            assertThatThrownBy(ofClosedSession::acknowledge).isInstanceOf(IllegalStateException.class);

            Session another = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Message ofClosedConnection = another.createConsumer(queue).receive(WAIT_MS);
            assertThat(ofClosedConnection).isNotNull();
            connection.close();
            assertThatThrownBy(ofClosedConnection::acknowledge).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * §3.10: a redelivered message is the original even if the consumer changed the received copy: a header,
     * and the body and properties after clearBody and clearProperties. On a topic the redelivery comes from the
     * client's memory, on a queue too (recover restarts with the first unacknowledged message).
     */
    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void aChangedReceivedMessageIsRedeliveredAsTheOriginal(Transport transport, Kind kind) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Destination destination = destination(session, kind);
            MessageConsumer consumer = session.createConsumer(destination);
            connection.start();
            TextMessage original = session.createTextMessage("original");
            original.setStringProperty("state", "original");
            original.setJMSType("original");
            session.createProducer(destination).send(original);

            TextMessage received = (TextMessage) consumer.receive(WAIT_MS);
            received.clearBody();
            received.setText("changed");
            received.clearProperties();
            received.setStringProperty("state", "changed");
            received.setJMSType("changed");
            session.recover();

            TextMessage again = (TextMessage) consumer.receive(WAIT_MS);
            assertThat(again.getText()).isEqualTo("original");
            assertThat(again.getStringProperty("state")).isEqualTo("original");
            assertThat(again.getJMSType()).isEqualTo("original");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(received.getText()).as("the changed message stays as the application left it").isEqualTo("changed");
        }
    }

    /**
     * §3.10 for the body types whose content a received message holds in containers (map, stream, bytes):
     * redelivered by recover as received, after the application cleared and rewrote the received copy.
     */
    @ParameterizedTest
    @MethodSource("transportsAndKinds")
    void changedMapStreamAndBytesMessagesAreRedeliveredAsTheOriginals(Transport transport, Kind kind) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Destination destination = destination(session, kind);
            MessageConsumer consumer = session.createConsumer(destination);
            connection.start();
            MessageProducer producer = session.createProducer(destination);
            MapMessage map = session.createMapMessage();
            map.setString("k", "original");
            producer.send(map);
            StreamMessage stream = session.createStreamMessage();
            stream.writeString("original");
            producer.send(stream);
            BytesMessage bytes = session.createBytesMessage();
            bytes.writeUTF("original");
            producer.send(bytes);

            MapMessage receivedMap = (MapMessage) consumer.receive(WAIT_MS);
            receivedMap.clearBody();
            receivedMap.setString("k", "changed");
            StreamMessage receivedStream = (StreamMessage) consumer.receive(WAIT_MS);
            receivedStream.clearBody();
            receivedStream.writeString("changed");
            BytesMessage receivedBytes = (BytesMessage) consumer.receive(WAIT_MS);
            assertThat(receivedBytes.readUTF()).isEqualTo("original");
            receivedBytes.clearBody();
            receivedBytes.writeUTF("changed");
            session.recover();

            assertThat(((MapMessage) consumer.receive(WAIT_MS)).getString("k")).isEqualTo("original");
            assertThat(((StreamMessage) consumer.receive(WAIT_MS)).readString()).isEqualTo("original");
            assertThat(((BytesMessage) consumer.receive(WAIT_MS)).readUTF()).isEqualTo("original");
            assertThat(receivedMap.getString("k")).isEqualTo("changed");
        }
    }

    /**
     * §6.2 with §3.4.7, §3.5.11 and §9.1: a durable subscription keeps what was delivered but not acknowledged
     * when the connection closed and delivers it again, marked redelivered with JMSXDeliveryCount of at least 2;
     * a message the first consumer had only prefetched, never handed to the application, is no redelivery.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDurableSubscriptionRedeliversWhatWasNotAcknowledgedMarkedRedelivered(Transport transport) throws Exception {
        String clientId = BROKER.unique("durable-client");
        String topicName = BROKER.unique("durable");
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            connection.setClientID(clientId);
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic topic = session.createTopic(topicName);
            MessageConsumer subscriber = session.createDurableConsumer(topic, "sub");
            connection.start();
            send(session, topic, "kept", "only prefetched");
            Message kept = subscriber.receive(WAIT_MS);
            assertThat(text(kept)).isEqualTo("kept");
            assertThat(kept.getJMSRedelivered()).isFalse();
        }
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            connection.setClientID(clientId);
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer subscriber = session.createDurableConsumer(session.createTopic(topicName), "sub");
            connection.start();
            Message again = subscriber.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("kept");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isGreaterThanOrEqualTo(2);
            Message next = subscriber.receive(WAIT_MS);
            assertThat(text(next)).isEqualTo("only prefetched");
            assertThat(next.getJMSRedelivered()).isFalse();
            assertThat(next.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            next.acknowledge();
            subscriber.close();
        }
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            connection.setClientID(clientId);
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer subscriber = session.createDurableConsumer(session.createTopic(topicName), "sub");
            connection.start();
            assertThat(subscriber.receive(QUIET_MS)).as("everything was acknowledged").isNull();
            subscriber.close();
            session.unsubscribe("sub");
        }
    }
}
