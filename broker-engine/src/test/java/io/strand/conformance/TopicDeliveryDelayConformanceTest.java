package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.QUIET_MS;
import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 §7.9 delivery delay on topics: a topic subscriber, non-durable or durable, gets a
 * delayed message no earlier than its {@code JMSDeliveryTime}, while messages sent after it without a delay
 * arrive first; a durable subscriber that goes away before the delayed message is due gets it after it comes
 * back, exactly once and still not early, whatever it acknowledged meanwhile (AUTO, CLIENT, a transaction).
 *
 * <p>Times are compared with the same clock the client uses ({@code System.currentTimeMillis()}); no test
 * asserts how fast anything happens.
 */
class TopicDeliveryDelayConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("topicdelay");

    private static final long DELAY_MS = 1_500;

    /** §7.9: a delayed message is not delivered before its delivery time; an undelayed later one overtakes it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDelayedTopicMessageArrivesAtItsDeliveryTimeAfterALaterUndelayedOne(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(BROKER.unique("delayed"));
            MessageConsumer subscriber = session.createConsumer(topic);
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryDelay(DELAY_MS);
            TextMessage delayed = session.createTextMessage("delayed");
            producer.send(delayed);
            producer.setDeliveryDelay(0);
            producer.send(session.createTextMessage("at once"));

            assertThat(delayed.getJMSDeliveryTime()).isEqualTo(delayed.getJMSTimestamp() + DELAY_MS);
            Message first = subscriber.receive(WAIT_MS);
            assertThat(text(first)).isEqualTo("at once");
            Message second = subscriber.receive(WAIT_MS);
            long receivedAt = System.currentTimeMillis();
            assertThat(text(second)).isEqualTo("delayed");
            assertThat(second.getJMSDeliveryTime()).isEqualTo(delayed.getJMSDeliveryTime());
            assertThat(receivedAt).isGreaterThanOrEqualTo(second.getJMSDeliveryTime());
            assertThat(second.getJMSRedelivered()).isFalse();
            assertThat(subscriber.receive(QUIET_MS)).isNull();
        }
    }

    /** §7.9 with a listener: the listener gets the delayed message once it is due. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerGetsTheDelayedMessageWhenDue(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = session.createTopic(BROKER.unique("listener"));
            MessageConsumer subscriber = session.createConsumer(topic);
            java.util.concurrent.BlockingQueue<long[]> arrivals = new java.util.concurrent.LinkedBlockingQueue<>();
            subscriber.setMessageListener(m -> {
                try {
                    arrivals.add(new long[] {System.currentTimeMillis(), m.getJMSDeliveryTime()});
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            connection.start();
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryDelay(DELAY_MS);
            producer.send(session.createTextMessage("delayed"));

            long[] arrival = arrivals.poll(WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(arrival).as("the delayed message reached the listener").isNotNull();
            assertThat(arrival[0]).isGreaterThanOrEqualTo(arrival[1]);
        }
    }

    /**
     * §7.9, §6.2.10 CLIENT: a durable subscriber disconnects while its delayed message waits for its time, with
     * a later message received and not acknowledged; after reconnecting it gets the delayed message exactly
     * once, not early, and the later one again, marked redelivered.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDurableSubscriberGetsTheDelayedMessageAfterReconnectingExactlyOnce(Transport transport) throws Exception {
        Fixture fixture = new Fixture(transport, Session.CLIENT_ACKNOWLEDGE);
        Message marker = fixture.sendDelayedThenMarkerAndDisconnect(session -> { });

        List<Message> after = fixture.reconnectAndReceiveAll();
        assertThat(texts(after)).containsExactlyInAnyOrder("delayed", "marker");
        Message delayed = fixture.delayedIn(after);
        assertThat(fixture.receivedAt(delayed)).isGreaterThanOrEqualTo(fixture.deliveryTime);
        Message again = after.stream().filter(m -> "marker".equals(text(m))).findFirst().orElseThrow();
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getJMSMessageID()).isEqualTo(marker.getJMSMessageID());
    }

    /**
     * The acknowledgement of a message handed out after a delayed one (AUTO) does not cover the delayed one:
     * after a reconnect the durable subscription still has it, delivered exactly once and not early. The later
     * message, whose acknowledgement had to wait behind the delayed one, may come again, marked redelivered.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void acknowledgingALaterMessageDoesNotLoseTheHeldOneAcrossAReconnect(Transport transport) throws Exception {
        Fixture fixture = new Fixture(transport, Session.AUTO_ACKNOWLEDGE);
        fixture.sendDelayedThenMarkerAndDisconnect(session -> { });

        List<Message> after = fixture.reconnectAndReceiveAll();
        Message delayed = fixture.delayedIn(after);
        assertThat(fixture.receivedAt(delayed)).isGreaterThanOrEqualTo(fixture.deliveryTime);
        for (Message m : after) {
            if ("marker".equals(text(m))) {
                assertThat(m.getJMSRedelivered()).as("an acknowledged message that comes again").isTrue();
            }
        }
    }

    /** The same in a transacted session: committing the later message does not commit past the delayed one. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void committingALaterMessageDoesNotLoseTheHeldOneAcrossAReconnect(Transport transport) throws Exception {
        Fixture fixture = new Fixture(transport, Session.SESSION_TRANSACTED);
        fixture.sendDelayedThenMarkerAndDisconnect(Session::commit);

        List<Message> after = fixture.reconnectAndReceiveAll();
        Message delayed = fixture.delayedIn(after);
        assertThat(fixture.receivedAt(delayed)).isGreaterThanOrEqualTo(fixture.deliveryTime);
    }

    /**
     * §6.2.10, §6.2.7: a message held for its delivery time was not delivered, so recover (CLIENT) and rollback
     * (transacted) give back only what was delivered; the held message still comes at its time, not redelivered.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void recoverAndRollbackLeaveAHeldMessageToItsDeliveryTime(Transport transport) throws Exception {
        for (int mode : new int[] {Session.CLIENT_ACKNOWLEDGE, Session.SESSION_TRANSACTED}) {
            try (Connection connection = BROKER.factory(transport).createConnection()) {
                Session session = connection.createSession(mode == Session.SESSION_TRANSACTED, mode);
                Topic topic = session.createTopic(BROKER.unique("recover"));
                MessageConsumer subscriber = session.createConsumer(topic);
                connection.start();
                Session sender = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = sender.createProducer(topic);
                producer.setDeliveryDelay(DELAY_MS);
                TextMessage delayed = sender.createTextMessage("delayed");
                producer.send(delayed);
                producer.setDeliveryDelay(0);
                producer.send(sender.createTextMessage("at once"));

                assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("at once");
                if (mode == Session.SESSION_TRANSACTED) {
                    session.rollback();
                } else {
                    session.recover();
                }
                Message again = subscriber.receive(WAIT_MS);
                assertThat(text(again)).isEqualTo("at once");
                assertThat(again.getJMSRedelivered()).isTrue();
                Message late = subscriber.receive(WAIT_MS);
                long receivedAt = System.currentTimeMillis();
                assertThat(text(late)).isEqualTo("delayed");
                assertThat(receivedAt).isGreaterThanOrEqualTo(delayed.getJMSDeliveryTime());
                assertThat(late.getJMSRedelivered()).isFalse();
                if (mode == Session.SESSION_TRANSACTED) {
                    session.commit();
                } else {
                    late.acknowledge();
                }
                assertThat(subscriber.receive(QUIET_MS)).isNull();
            }
        }
    }

    /** §7.9 through the simplified API: {@code JMSProducer.setDeliveryDelay} on a topic. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void theSimplifiedApiDelaysATopicMessage(Transport transport) throws Exception {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            Topic topic = context.createTopic(BROKER.unique("simplified"));
            JMSConsumer subscriber = context.createConsumer(topic);
            context.createProducer().setDeliveryDelay(DELAY_MS).send(topic, "delayed");
            context.createProducer().send(topic, "at once");

            assertThat(subscriber.receiveBody(String.class, WAIT_MS)).isEqualTo("at once");
            Message delayed = subscriber.receive(WAIT_MS);
            long receivedAt = System.currentTimeMillis();
            assertThat(text(delayed)).isEqualTo("delayed");
            assertThat(delayed.getJMSDeliveryTime()).isEqualTo(delayed.getJMSTimestamp() + DELAY_MS);
            assertThat(receivedAt).isGreaterThanOrEqualTo(delayed.getJMSDeliveryTime());
        }
    }

    /** One durable subscription on a fresh topic, a delayed message and an undelayed marker sent after it. */
    private static final class Fixture {
        private final Transport transport;
        private final int mode;
        private final String clientId = BROKER.unique("delay-client");
        private final String topicName = BROKER.unique("durable-delayed");
        private final java.util.Map<Message, Long> arrivals = new java.util.IdentityHashMap<>();
        private long deliveryTime;

        Fixture(Transport transport, int mode) {
            this.transport = transport;
            this.mode = mode;
        }

        /**
         * Subscribes, sends the delayed message and then the marker, receives the marker (so the delayed message,
         * pushed before it on the same partition, waits in the client), ends the session's work with
         * {@code afterMarker} and disconnects.
         *
         * @return the marker as received
         */
        Message sendDelayedThenMarkerAndDisconnect(SessionStep afterMarker) throws Exception {
            try (Connection connection = BROKER.factory(transport).createConnection()) {
                connection.setClientID(clientId);
                Session session = connection.createSession(mode == Session.SESSION_TRANSACTED, mode);
                Topic topic = session.createTopic(topicName);
                MessageConsumer durable = session.createDurableConsumer(topic, "delayed");
                connection.start();
                try (Connection sending = BROKER.factory(transport).createConnection()) {
                    Session sender = sending.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = sender.createProducer(topic);
                    producer.setDeliveryDelay(DELAY_MS);
                    TextMessage delayed = sender.createTextMessage("delayed");
                    producer.send(delayed);
                    deliveryTime = delayed.getJMSDeliveryTime();
                    producer.setDeliveryDelay(0);
                    producer.send(sender.createTextMessage("marker"));
                }
                Message marker = durable.receive(WAIT_MS);
                assertThat(text(marker)).isEqualTo("marker");
                afterMarker.run(session);
                return marker;
            }
        }

        /** Reconnects to the subscription and receives until nothing more comes once the delayed message came. */
        List<Message> reconnectAndReceiveAll() throws Exception {
            List<Message> received = new ArrayList<>();
            try (Connection connection = BROKER.factory(transport).createConnection()) {
                connection.setClientID(clientId);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer durable = session.createDurableConsumer(session.createTopic(topicName), "delayed");
                connection.start();
                boolean delayedCame = false;
                while (true) {
                    Message m = durable.receive(delayedCame ? QUIET_MS : WAIT_MS);
                    if (m == null) {
                        break;
                    }
                    arrivals.put(m, System.currentTimeMillis());
                    received.add(m);
                    delayedCame |= "delayed".equals(text(m));
                }
                durable.close();
                session.unsubscribe("delayed");
            }
            return received;
        }

        /** @return the one delayed message among {@code received}; fails unless it is there exactly once */
        Message delayedIn(List<Message> received) {
            List<Message> delayed = received.stream().filter(m -> "delayed".equals(text(m))).toList();
            assertThat(delayed).as("the delayed message, after reconnecting").hasSize(1);
            return delayed.get(0);
        }

        long receivedAt(Message message) {
            return arrivals.get(message);
        }
    }

    @FunctionalInterface
    private interface SessionStep {
        void run(Session session) throws Exception;
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(TopicDeliveryDelayConformanceTest::text).toList();
    }

    private static String text(Message message) {
        try {
            return message == null ? null : ((TextMessage) message).getText();
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
