package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 chapter 7, sending messages: producers with and without a destination, message
 * order (§6.2.9), asynchronous send and its CompletionListener (§7.3), and sending messages that are not
 * the producer's own: messages of another session (§6.2.4), received messages, and foreign message
 * implementations (§3.12).
 */
class MessageProducerConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("producer");

    private static Session session(Connection connection) throws JMSException {
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    /** A CompletionListener that hands each completion to a callback and counts failures. */
    private static CompletionListener onCompletion(Consumer<Message> completed, AtomicInteger failures) {
        return new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                completed.accept(message);
            }

            @Override
            public void onException(Message message, Exception exception) {
                failures.incrementAndGet();
            }
        };
    }

    /** MessageProducer: the defaults are PERSISTENT, priority 4, no time to live, no delay, ids and timestamps on. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aNewProducerHasTheSpecifiedDefaults(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Queue queue = session(connection).createQueue(BROKER.unique("defaults"));
            MessageProducer producer = session(connection).createProducer(queue);

            assertThat(producer.getDestination()).isEqualTo(queue);
            assertThat(producer.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
            assertThat(producer.getPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
            assertThat(producer.getTimeToLive()).isEqualTo(Message.DEFAULT_TIME_TO_LIVE);
            assertThat(producer.getDeliveryDelay()).isEqualTo(Message.DEFAULT_DELIVERY_DELAY);
            assertThat(producer.getDisableMessageID()).isFalse();
            assertThat(producer.getDisableMessageTimestamp()).isFalse();
        }
    }

    /**
     * §7.1: a producer created without a destination names one on every send; a producer with a destination
     * refuses another (UnsupportedOperationException, MessageProducer.send javadoc).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnidentifiedProducerNamesTheDestinationOnEachSend(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue first = session.createQueue(BROKER.unique("first"));
            Queue second = session.createQueue(BROKER.unique("second"));
            MessageConsumer fromFirst = session.createConsumer(first);
            MessageConsumer fromSecond = session.createConsumer(second);
            connection.start();
            MessageProducer unidentified = session.createProducer(null);
            assertThat(unidentified.getDestination()).isNull();

            unidentified.send(first, session.createTextMessage("to first"));
            unidentified.send(second, session.createTextMessage("to second"), DeliveryMode.NON_PERSISTENT, 6, 0);
            assertThat(text(fromFirst.receive(WAIT_MS))).isEqualTo("to first");
            Message toSecond = fromSecond.receive(WAIT_MS);
            assertThat(text(toSecond)).isEqualTo("to second");
            assertThat(toSecond.getJMSPriority()).isEqualTo(6);

            assertThatThrownBy(() -> unidentified.send(session.createMessage()))
                    .isInstanceOf(UnsupportedOperationException.class);
            MessageProducer identified = session.createProducer(first);
            assertThatThrownBy(() -> identified.send(second, session.createMessage()))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    /**
     * §6.2.9: messages a session sends to one destination are received in the order sent, also when
     * synchronous and asynchronous sends are mixed (§7.3.3).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void messagesArriveInTheOrderTheSessionSentThem(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue queue = session.createQueue(BROKER.unique("order"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            MessageProducer producer = session.createProducer(queue);
            AtomicInteger failures = new AtomicInteger();
            CountDownLatch asyncDone = new CountDownLatch(50);
            for (int i = 0; i < 100; i++) {
                TextMessage m = session.createTextMessage("m" + i);
                if (i % 2 == 0) {
                    producer.send(m);
                } else {
                    producer.send(m, onCompletion(done -> asyncDone.countDown(), failures));
                }
            }
            assertThat(asyncDone.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(failures).hasValue(0);

            List<String> received = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                received.add(text(consumer.receive(WAIT_MS)));
            }
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add("m" + i);
            }
            assertThat(received).isEqualTo(sent);
        }
    }

    /**
     * §7.3: an asynchronous send completes through the CompletionListener, never on the sending thread
     * (§7.3.8), in the order of the sends, and with the provider-set headers readable (§7.3.6).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void asynchronousSendsCompleteInOrderOnAnotherThread(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue queue = session.createQueue(BROKER.unique("async"));
            MessageProducer producer = session.createProducer(queue);
            List<Message> sent = new ArrayList<>();
            List<Message> completed = new CopyOnWriteArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            AtomicInteger failures = new AtomicInteger();
            CompletionListener listener = onCompletion(m -> {
                threads.add(Thread.currentThread());
                completed.add(m);
            }, failures);
            for (int i = 0; i < 20; i++) {
                TextMessage m = session.createTextMessage("a" + i);
                sent.add(m);
                producer.send(m, listener);
            }
            producer.close(); // §7.3.4: close waits for the incomplete sends and their callbacks

            assertThat(completed).containsExactlyElementsOf(sent);
            assertThat(failures).hasValue(0);
            assertThat(threads).doesNotContain(Thread.currentThread());
            for (Message m : completed) {
                assertThat(m.getJMSMessageID()).startsWith("ID:");
                assertThat(m.getJMSDestination()).isEqualTo(queue);
            }
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("a0");
        }
    }

    /**
     * BytesMessage and StreamMessage javadoc: a message sent asynchronously has been reset when the
     * CompletionListener gets it, so the listener can read the body it sent (also in a transacted session,
     * whose sends complete at once).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void bytesAndStreamMessagesHandedToACompletionListenerAreReadable(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            for (boolean transacted : new boolean[] {false, true}) {
                Session session = connection.createSession(transacted, transacted ? Session.SESSION_TRANSACTED
                        : Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(BROKER.unique("asyncbody")));
                BytesMessage bytes = session.createBytesMessage();
                bytes.writeInt(42);
                bytes.writeUTF("bytes");
                StreamMessage stream = session.createStreamMessage();
                stream.writeInt(7);
                stream.writeString("stream");
                List<Message> completed = new CopyOnWriteArrayList<>();
                AtomicInteger failures = new AtomicInteger();
                producer.send(bytes, onCompletion(completed::add, failures));
                producer.send(stream, onCompletion(completed::add, failures));
                producer.close();

                assertThat(failures).hasValue(0);
                assertThat(completed).containsExactly(bytes, stream);
                assertThat(bytes.readInt()).isEqualTo(42);
                assertThat(bytes.readUTF()).isEqualTo("bytes");
                assertThat(stream.readInt()).isEqualTo(7);
                assertThat(stream.readString()).isEqualTo("stream");
                if (transacted) {
                    session.commit();
                }
                session.close();
            }
        }
    }

    /** §7.3.4: closing the session or the connection also waits for incomplete asynchronous sends. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingWaitsForIncompleteAsynchronousSends(Transport transport) throws Exception {
        AtomicInteger completions = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Connection connection = BROKER.factory(transport).createConnection();
        Session session = session(connection);
        MessageProducer producer = session.createProducer(session.createQueue(BROKER.unique("closing")));
        for (int i = 0; i < 30; i++) {
            producer.send(session.createTextMessage("c" + i), onCompletion(m -> completions.incrementAndGet(), failures));
        }
        session.close();
        assertThat(completions.get() + failures.get()).as("after session.close").isEqualTo(30);

        Session another = session(connection);
        MessageProducer second = another.createProducer(another.createQueue(BROKER.unique("closing")));
        for (int i = 0; i < 30; i++) {
            second.send(another.createTextMessage("d" + i), onCompletion(m -> completions.incrementAndGet(), failures));
        }
        connection.close();
        assertThat(completions.get() + failures.get()).as("after connection.close").isEqualTo(60);
        assertThat(failures).hasValue(0);
    }

    /**
     * §7.3.4: a CompletionListener must not close its own producer, session or connection; doing so throws
     * IllegalStateException.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCompletionListenerMayNotCloseItsOwnProducerSessionOrConnection(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            MessageProducer producer = session.createProducer(session.createQueue(BROKER.unique("selfclose")));
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger failures = new AtomicInteger();
            producer.send(session.createTextMessage("x"), onCompletion(m -> {
                for (AutoCloseable closeable : List.<AutoCloseable>of(producer, session, connection)) {
                    try {
                        closeable.close();
                        thrown.add(new AssertionError("close succeeded on " + closeable));
                    } catch (Exception e) {
                        thrown.add(e);
                    }
                }
                done.countDown();
            }, failures));

            assertThat(done.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(thrown).hasSize(3).allSatisfy(t -> assertThat(t).isInstanceOf(IllegalStateException.class));
            producer.send(session.createTextMessage("still open"));
        }
    }

    /** §6.2.4: a message may be sent by any session, not only the one that created it. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessageMayBeSentThroughAnotherSession(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session creating = session(connection);
            Session sending = session(connection);
            Queue queue = sending.createQueue(BROKER.unique("othersession"));
            MessageConsumer consumer = sending.createConsumer(queue);
            connection.start();
            sending.createProducer(queue).send(creating.createTextMessage("made elsewhere"));

            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("made elsewhere");
        }
    }

    /**
     * §3.12 and §6.2.4: sessions must be able to send any message, including one they received: forwarding
     * a received message, by the receiving connection or another, delivers it with its body and properties.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReceivedMessageCanBeForwarded(Transport transport) throws Exception {
        try (Connection receiving = BROKER.factory(transport).createConnection();
             Connection forwarding = BROKER.factory(transport).createConnection()) {
            Session session = session(receiving);
            Queue inbox = session.createQueue(BROKER.unique("inbox"));
            Queue sameConnection = session.createQueue(BROKER.unique("forwarded"));
            Queue otherConnection = session.createQueue(BROKER.unique("forwarded"));
            MessageConsumer fromInbox = session.createConsumer(inbox);
            MessageConsumer fromSame = session.createConsumer(sameConnection);
            MessageConsumer fromOther = session.createConsumer(otherConnection);
            receiving.start();
            TextMessage original = session.createTextMessage("pass it on");
            original.setStringProperty("hop", "first");
            session.createProducer(inbox).send(original);

            Message received = fromInbox.receive(WAIT_MS);
            session.createProducer(sameConnection).send(received);
            session(forwarding).createProducer(otherConnection).send(received);

            for (MessageConsumer consumer : List.of(fromSame, fromOther)) {
                Message forwarded = consumer.receive(WAIT_MS);
                assertThat(text(forwarded)).isEqualTo("pass it on");
                assertThat(forwarded.getStringProperty("hop")).isEqualTo("first");
                assertThat(forwarded.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
                assertThat(forwarded.getJMSRedelivered()).isFalse();
            }
        }
    }

    /**
     * §3.12: a provider must accept a message implementation that is not its own; the send sets the
     * provider-set headers on that message (Message javadoc: the setters are public for this).
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aForeignMessageImplementationIsSentAndDelivered(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue queue = session.createQueue(BROKER.unique("foreign"));
            MessageConsumer consumer = session.createConsumer(queue);
            connection.start();
            TextMessage foreign = ForeignMessage.text("from elsewhere");
            foreign.setStringProperty("origin", "another provider");
            foreign.setIntProperty("count", 3);
            foreign.setJMSType("foreign.type");
            foreign.setJMSCorrelationID("corr-9");
            foreign.setJMSReplyTo(queue);

            session.createProducer(queue).send(foreign, DeliveryMode.NON_PERSISTENT, 8, 0);

            assertThat(foreign.getJMSMessageID()).startsWith("ID:");
            assertThat(foreign.getJMSDestination()).isEqualTo(queue);
            assertThat(foreign.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(foreign.getJMSPriority()).isEqualTo(8);
            TextMessage received = (TextMessage) consumer.receive(WAIT_MS);
            assertThat(received.getText()).isEqualTo("from elsewhere");
            assertThat(received.getStringProperty("origin")).isEqualTo("another provider");
            assertThat(received.getIntProperty("count")).isEqualTo(3);
            assertThat(received.getJMSType()).isEqualTo("foreign.type");
            assertThat(received.getJMSCorrelationID()).isEqualTo("corr-9");
            assertThat(received.getJMSReplyTo()).isEqualTo(queue);
            assertThat(received.getJMSMessageID()).isEqualTo(foreign.getJMSMessageID());
            assertThat(received.getJMSPriority()).isEqualTo(8);
        }
    }
}
