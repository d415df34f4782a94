package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.QUIET_MS;
import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 §3.4, message header fields: which the send method sets, which the client sets,
 * and that a receiver sees the values the sender saw.
 */
class MessageHeadersConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("headers");

    /** §3.4.11: values a client sets on provider-set headers before sending are ignored and overwritten. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendAssignsTheProviderSetHeadersAndTheReceiverSeesTheSameValues(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("headers"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            TextMessage sent = session.createTextMessage("h");
            sent.setJMSMessageID("ID:set-by-the-client");
            sent.setJMSTimestamp(1);
            sent.setJMSDestination(session.createQueue("elsewhere"));
            sent.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
            sent.setJMSPriority(0);
            sent.setJMSExpiration(5);
            sent.setJMSDeliveryTime(5);
            sent.setJMSRedelivered(true);

            long before = System.currentTimeMillis();
            producer.send(sent);
            long after = System.currentTimeMillis();

            // §3.4.1-§3.4.13: set by the send method and readable on the sending client once send returns.
            assertThat(sent.getJMSDestination()).isEqualTo(queue);
            assertThat(sent.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(sent.getJMSPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
            assertThat(sent.getJMSExpiration()).isZero();
            assertThat(sent.getJMSMessageID()).startsWith("ID:").isNotEqualTo("ID:set-by-the-client");
            assertThat(sent.getJMSTimestamp()).isBetween(before, after);
            assertThat(sent.getJMSDeliveryTime()).as("no delivery delay: delivered from the send time")
                    .isBetween(before, after);

            Message received = consumer.receive(WAIT_MS);
            assertThat(received.getJMSDestination()).isEqualTo(queue);
            assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(received.getJMSPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
            assertThat(received.getJMSExpiration()).isZero();
            assertThat(received.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
            assertThat(received.getJMSTimestamp()).isEqualTo(sent.getJMSTimestamp());
            assertThat(received.getJMSDeliveryTime()).isEqualTo(sent.getJMSDeliveryTime());
            // §3.4.7: JMSRedelivered has no meaning on send.
            assertThat(received.getJMSRedelivered()).isFalse();
            assertThat(received.getJMSCorrelationID()).isNull();
            assertThat(received.getJMSReplyTo()).isNull();
            assertThat(received.getJMSType()).isNull();
        }
    }

    /** §3.4.1: the destination of a message published to a topic is that topic. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTopicMessageCarriesItsTopicAsDestination(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(BROKER.unique("topic"));
            MessageConsumer subscriber = session.createConsumer(topic);
            connection.start();
            session.createProducer(topic).send(session.createMessage());

            Message received = subscriber.receive(WAIT_MS);
            assertThat(received.getJMSDestination()).isEqualTo(topic).isInstanceOf(Topic.class);
        }
    }

    /** §3.4.3: every message id starts with "ID:" and identifies one message. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void messageIdsStartWithIdPrefixAndAreUnique(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("ids"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            Message reused = session.createMessage();
            Set<String> sentIds = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                producer.send(reused); // §3.9: the same message object may be sent many times
                sentIds.add(reused.getJMSMessageID());
            }
            assertThat(sentIds).hasSize(20).allSatisfy(id -> assertThat(id).startsWith("ID:"));

            Set<String> receivedIds = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                receivedIds.add(consumer.receive(WAIT_MS).getJMSMessageID());
            }
            assertThat(receivedIds).isEqualTo(sentIds);
        }
    }

    /** §3.4.3: a provider that takes the disableMessageID hint sends null ids (Strand takes it). */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void disabledMessageIdsAreNull(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> session.createTextMessage("no id"));
        assertThat(received.getJMSMessageID()).startsWith("ID:");

        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("noid"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            producer.setDisableMessageID(true);
            assertThat(producer.getDisableMessageID()).isTrue();
            Message sent = session.createMessage();
            producer.send(sent);

            assertThat(sent.getJMSMessageID()).isNull();
            assertThat(consumer.receive(WAIT_MS).getJMSMessageID()).isNull();
        }
    }

    /**
     * §3.4.4: a provider that takes the disableMessageTimestamp hint sends timestamp zero (Strand takes it);
     * §3.4.9: the expiration is still the send time plus the time to live.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void disabledTimestampsAreZeroAndExpirationStillCounts(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("nots"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            producer.setDisableMessageTimestamp(true);
            assertThat(producer.getDisableMessageTimestamp()).isTrue();
            Message sent = session.createMessage();
            long before = System.currentTimeMillis();
            producer.send(sent, DeliveryMode.PERSISTENT, 4, 60_000);
            long after = System.currentTimeMillis();

            assertThat(sent.getJMSTimestamp()).isZero();
            assertThat(sent.getJMSExpiration()).isBetween(before + 60_000, after + 60_000);
            Message received = consumer.receive(WAIT_MS);
            assertThat(received.getJMSTimestamp()).isZero();
            assertThat(received.getJMSExpiration()).isEqualTo(sent.getJMSExpiration());
        }
    }

    /** §3.4.5: JMSCorrelationID holds a String or, non-portably, a byte[]; set values are copied. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void correlationIdsTravelAsStringOrBytes(Transport transport) throws Exception {
        Message byString = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setJMSCorrelationID("order-17");
            return m;
        });
        assertThat(byString.getJMSCorrelationID()).isEqualTo("order-17");

        byte[] nativeId = {1, 2, 3, (byte) 0xFF};
        Message byBytes = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setJMSCorrelationIDAsBytes(nativeId);
            nativeId[0] = 99; // the header holds a copy (Message.setJMSCorrelationIDAsBytes)
            return m;
        });
        assertThat(byBytes.getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3, 0xFF);
        byBytes.getJMSCorrelationIDAsBytes()[0] = 42; // getters return copies (§3.12)
        assertThat(byBytes.getJMSCorrelationIDAsBytes()).startsWith(1);
    }

    /** §3.4.6: JMSReplyTo holds a queue, a topic or null, and arrives as it was set. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void replyToArrivesAsTheQueueOrTopicThatWasSet(Transport transport) throws Exception {
        Message toQueue = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setJMSReplyTo(session.createQueue("replies"));
            return m;
        });
        assertThat(toQueue.getJMSReplyTo()).isInstanceOf(Queue.class);
        assertThat(((Queue) toQueue.getJMSReplyTo()).getQueueName()).isEqualTo("replies");

        Message toTopic = BROKER.roundTrip(transport, session -> {
            Message m = session.createMessage();
            m.setJMSReplyTo(session.createTopic("announcements"));
            return m;
        });
        assertThat(toTopic.getJMSReplyTo()).isInstanceOf(Topic.class);
        assertThat(((Topic) toTopic.getJMSReplyTo()).getTopicName()).isEqualTo("announcements");
    }

    /** §3.4.8: JMSType is the client's and arrives unchanged. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void typeArrivesAsSet(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> {
            Message m = session.createTextMessage("car");
            m.setJMSType("vehicle.car");
            return m;
        });
        assertThat(received.getJMSType()).isEqualTo("vehicle.car");
    }

    /** §3.4.9 and §7.8: expiration is the send time plus the time to live; zero means never. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void expirationIsTheSendTimePlusTheTimeToLive(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("ttl"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            assertThat(producer.getTimeToLive()).isEqualTo(Message.DEFAULT_TIME_TO_LIVE);
            producer.setTimeToLive(120_000);
            Message byProducer = session.createMessage();
            producer.send(byProducer);
            Message bySend = session.createMessage();
            producer.send(bySend, DeliveryMode.PERSISTENT, 4, 0);

            assertThat(byProducer.getJMSExpiration()).isEqualTo(byProducer.getJMSTimestamp() + 120_000);
            assertThat(bySend.getJMSExpiration()).as("a time to live of zero never expires").isZero();
            assertThat(consumer.receive(WAIT_MS).getJMSExpiration()).isEqualTo(byProducer.getJMSExpiration());
            assertThat(consumer.receive(WAIT_MS).getJMSExpiration()).isZero();
        }
    }

    /** §3.4.9 and §7.8: an expired message is not delivered ("it is not acceptable to simply ignore time-to-live"). */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anExpiredMessageIsNotDelivered(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("expired"));
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("expires"), DeliveryMode.PERSISTENT, 4, 50);
            producer.send(session.createTextMessage("stays"), DeliveryMode.PERSISTENT, 4, 0);
            Thread.sleep(150);

            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("stays");
            assertThat(consumer.receive(QUIET_MS)).isNull();
        }
    }

    /** §3.4.10: priorities 0 to 9 are carried as sent; the default is 4. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyPriorityLevelIsCarried(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("priority"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            assertThat(producer.getPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
            for (int priority = 0; priority <= 9; priority++) {
                Message m = session.createTextMessage(Integer.toString(priority));
                producer.send(m, DeliveryMode.PERSISTENT, priority, 0);
            }

            // Only the header is checked: §3.4.10 does not require strict priority ordering.
            Map<String, Integer> priorityByText = new HashMap<>();
            for (int i = 0; i <= 9; i++) {
                TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
                priorityByText.put(m.getText(), m.getJMSPriority());
            }
            for (int priority = 0; priority <= 9; priority++) {
                assertThat(priorityByText).containsEntry(Integer.toString(priority), priority);
            }
        }
    }

    /** §7.4: the delivery mode, priority and time to live given to send override the producer's. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendArgumentsOverrideTheProducersDefaults(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue(BROKER.unique("override"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            assertThat(producer.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            producer.setPriority(7);
            producer.send(session.createTextMessage("defaults"));
            producer.send(session.createTextMessage("explicit"), DeliveryMode.PERSISTENT, 2, 0);

            Message byDefaults = consumer.receive(WAIT_MS);
            Message explicit = consumer.receive(WAIT_MS);
            if (((TextMessage) byDefaults).getText().equals("explicit")) {
                // §6.2.9.2: order holds only within one delivery mode, so the two may arrive either way round.
                Message swap = byDefaults;
                byDefaults = explicit;
                explicit = swap;
            }
            assertThat(byDefaults.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(byDefaults.getJMSPriority()).isEqualTo(7);
            assertThat(explicit.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(explicit.getJMSPriority()).isEqualTo(2);
        }
    }

    /** §3.4.10 and §7.7: priorities outside 0-9 and unknown delivery modes are refused. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void invalidPrioritiesAndDeliveryModesAreRefused(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(BROKER.unique("invalid")));
            Message m = session.createMessage();

            assertThatThrownBy(() -> producer.setPriority(10)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> producer.setPriority(-1)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> producer.setDeliveryMode(3)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> producer.send(m, DeliveryMode.PERSISTENT, 10, 0)).isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> producer.send(m, 0, 4, 0)).isInstanceOf(JMSException.class);
        }
    }

    /** §3.10: the header fields of a received message may be changed; only properties and body are read-only. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void headersOfAReceivedMessageCanBeChanged(Transport transport) throws Exception {
        Message received = BROKER.roundTrip(transport, session -> session.createTextMessage("r"));

        received.setJMSType("changed");
        received.setJMSCorrelationID("changed");
        received.setJMSPriority(1);
        received.setJMSRedelivered(true);
        assertThat(received.getJMSType()).isEqualTo("changed");
        assertThat(received.getJMSCorrelationID()).isEqualTo("changed");
        assertThat(received.getJMSPriority()).isEqualTo(1);
        assertThat(received.getJMSRedelivered()).isTrue();
    }
}
