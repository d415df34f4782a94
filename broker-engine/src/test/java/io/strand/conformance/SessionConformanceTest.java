package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.QUIET_MS;
import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 chapter 6, connections and sessions, with §8.8 (closing a consumer): starting and
 * stopping delivery (§6.1.4, §6.1.5), closing consumers, sessions and connections and what closed objects
 * do (§6.1.8, §6.2.15), serial execution of a session's listeners (§6.2.13), session modes and metadata.
 */
class SessionConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("session");

    private static Session session(Connection connection) throws JMSException {
        return connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    /** Runs a receive on another thread, as a second thread of the application would. */
    private static CompletableFuture<Message> receiveInBackground(MessageConsumer consumer) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            try {
                result.complete(consumer.receive());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "blocked-receive");
        receiver.setDaemon(true);
        receiver.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.getState() == Thread.State.WAITING
                || receiver.getState() == Thread.State.TIMED_WAITING);
        return result;
    }

    // ---- starting and stopping ----------------------------------------------------------------

    /** §6.1.4: a connection is created stopped, and no message is delivered before start. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void nothingIsDeliveredBeforeTheConnectionStarts(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue queue = session.createQueue(BROKER.unique("stopped"));
            Topic topic = session.createTopic(BROKER.unique("stopped"));
            MessageConsumer receiver = session.createConsumer(queue);
            Session listening = session(connection);
            BlockingQueue<Message> heard = new LinkedBlockingQueue<>();
            listening.createConsumer(topic).setMessageListener(heard::add);
            MessageProducer producer = session.createProducer(null);
            producer.send(queue, session.createTextMessage("waits"));
            producer.send(topic, session.createTextMessage("waits too"));

            assertThat(receiver.receiveNoWait()).isNull();
            assertThat(receiver.receive(QUIET_MS)).isNull();
            assertThat(heard).isEmpty();

            connection.start();
            assertThat(text(receiver.receive(WAIT_MS))).isEqualTo("waits");
            assertThat(text(heard.poll(WAIT_MS, TimeUnit.MILLISECONDS))).isEqualTo("waits too");
        }
    }

    /**
     * §6.1.5: stop pauses delivery to receivers and listeners (receive timers keep running), sending still
     * works, start resumes; stopping a stopped or starting a started connection is ignored.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void stopPausesDeliveryAndStartResumesIt(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue queue = session.createQueue(BROKER.unique("pause"));
            Topic topic = session.createTopic(BROKER.unique("pause"));
            MessageConsumer receiver = session.createConsumer(queue);
            Session listening = session(connection);
            BlockingQueue<Message> heard = new LinkedBlockingQueue<>();
            listening.createConsumer(topic).setMessageListener(heard::add);
            MessageProducer producer = session.createProducer(null);
            connection.start();
            connection.start();
            producer.send(queue, session.createTextMessage("before"));
            assertThat(text(receiver.receive(WAIT_MS))).isEqualTo("before");

            connection.stop();
            connection.stop();
            producer.send(queue, session.createTextMessage("while stopped"));
            producer.send(topic, session.createTextMessage("while stopped"));
            assertThat(receiver.receive(QUIET_MS)).as("receive times out on a stopped connection").isNull();
            assertThat(receiver.receiveNoWait()).isNull();
            assertThat(heard).isEmpty();

            connection.start();
            assertThat(text(receiver.receive(WAIT_MS))).isEqualTo("while stopped");
            assertThat(text(heard.poll(WAIT_MS, TimeUnit.MILLISECONDS))).isEqualTo("while stopped");
        }
    }

    /** §6.1.5: stop does not return before the listeners that are running have returned. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void stopWaitsForTheListenersInProgress(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session listening = session(connection);
            Queue queue = listening.createQueue(BROKER.unique("stopwaits"));
            CountDownLatch entered = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            listening.createConsumer(queue).setMessageListener(m -> {
                entered.countDown();
                sleep(300);
                finished.set(true);
            });
            connection.start();
            Session sending = session(connection);
            sending.createProducer(queue).send(sending.createMessage());
            assertThat(entered.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();

            connection.stop();
            assertThat(finished).isTrue();
        }
    }

    // ---- serial execution -----------------------------------------------------------------------

    /** §6.2.13: a session runs its listeners one at a time, however many consumers it has. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSessionRunsItsListenersOneAtATime(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session listening = session(connection);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger mostAtOnce = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(60);
            List<Queue> queues = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Queue queue = listening.createQueue(BROKER.unique("serial"));
                queues.add(queue);
                listening.createConsumer(queue).setMessageListener(m -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    sleep(1);
                    running.decrementAndGet();
                    all.countDown();
                });
            }
            connection.start();
            Session sending = session(connection);
            MessageProducer producer = sending.createProducer(null);
            for (int i = 0; i < 20; i++) {
                for (Queue queue : queues) {
                    producer.send(queue, sending.createMessage());
                }
            }

            assertThat(all.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(mostAtOnce).hasValue(1);
        }
    }

    // ---- closing --------------------------------------------------------------------------------

    /** §8.8: closing a consumer makes a receive blocked on it return null. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingAConsumerReturnsNullFromABlockedReceive(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            MessageConsumer consumer = session.createConsumer(session.createQueue(BROKER.unique("blocked")));
            connection.start();
            CompletableFuture<Message> blocked = receiveInBackground(consumer);

            consumer.close();
            assertThat(blocked.get(WAIT_MS, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    /** §6.2.15 and §6.1.8: closing the session, or the connection, ends a blocked receive too. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingTheSessionOrConnectionReturnsNullFromABlockedReceive(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            MessageConsumer consumer = session.createConsumer(session.createTopic(BROKER.unique("blocked")));
            connection.start();
            CompletableFuture<Message> blockedBySession = receiveInBackground(consumer);
            session.close();
            assertThat(blockedBySession.get(WAIT_MS, TimeUnit.MILLISECONDS)).isNull();

            Session another = session(connection);
            MessageConsumer second = another.createConsumer(another.createTopic(BROKER.unique("blocked")));
            CompletableFuture<Message> blockedByConnection = receiveInBackground(second);
            connection.close();
            assertThat(blockedByConnection.get(WAIT_MS, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    /** §8.8: close called while the consumer's listener runs waits for the listener to return. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingAConsumerWaitsForItsListener(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session listening = session(connection);
            Queue queue = listening.createQueue(BROKER.unique("closewaits"));
            CountDownLatch entered = new CountDownLatch(1);
            AtomicBoolean finished = new AtomicBoolean();
            MessageConsumer consumer = listening.createConsumer(queue);
            consumer.setMessageListener(m -> {
                entered.countDown();
                sleep(300);
                finished.set(true);
            });
            connection.start();
            Session sending = session(connection);
            sending.createProducer(queue).send(sending.createMessage());
            assertThat(entered.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();

            consumer.close();
            assertThat(finished).isTrue();
        }
    }

    /** §8.8: a listener may close its own consumer; onMessage then completes and nothing more is delivered. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerMayCloseItsOwnConsumer(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session listening = session(connection);
            Topic topic = listening.createTopic(BROKER.unique("selfclose"));
            MessageConsumer consumer = listening.createConsumer(topic);
            List<String> heard = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            CountDownLatch completed = new CountDownLatch(1);
            consumer.setMessageListener(m -> {
                try {
                    heard.add(text(m));
                    consumer.close();
                    heard.add("completed after close");
                } catch (Throwable t) {
                    failures.add(t);
                }
                completed.countDown();
            });
            connection.start();
            Session sending = session(connection);
            MessageProducer producer = sending.createProducer(topic);
            for (int i = 0; i < 3; i++) {
                producer.send(sending.createTextMessage("m" + i));
            }

            assertThat(completed.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            Thread.sleep(QUIET_MS);
            assertThat(failures).isEmpty();
            assertThat(heard).containsExactly("m0", "completed after close");
        }
    }

    /**
     * §6.1.5, §6.1.8 and §6.2.15: a listener calling stop or close on its own connection, or close on its
     * own session, either fails with IllegalStateException or succeeds; Strand fails, and delivery goes on.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerCannotStopOrCloseItsOwnConnectionOrSession(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session listening = session(connection);
            Queue queue = listening.createQueue(BROKER.unique("listenerclose"));
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(2);
            listening.createConsumer(queue).setMessageListener(m -> {
                if (done.getCount() == 2) {
                    for (ThrowingAction action : List.<ThrowingAction>of(connection::stop, connection::close,
                            listening::close)) {
                        try {
                            action.run();
                            thrown.add(new AssertionError("succeeded"));
                        } catch (Throwable t) {
                            thrown.add(t);
                        }
                    }
                }
                done.countDown();
            });
            connection.start();
            Session sending = session(connection);
            MessageProducer producer = sending.createProducer(queue);
            producer.send(sending.createMessage());
            producer.send(sending.createMessage());

            assertThat(done.await(WAIT_MS, TimeUnit.MILLISECONDS)).as("the second message still arrives").isTrue();
            assertThat(thrown).hasSize(3).allSatisfy(t -> assertThat(t).isInstanceOf(IllegalStateException.class));
        }
    }

    /** An action that may throw, for trying several calls in a row. */
    @FunctionalInterface
    private interface ThrowingAction {
        void run() throws Exception;
    }

    /**
     * §6.2.15 and §8.8: once closed, a consumer, producer or session throws IllegalStateException on use;
     * closing it again is ignored.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void closedConsumersProducersAndSessionsThrowIllegalStateException(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = session(connection);
            Queue queue = session.createQueue(BROKER.unique("closed"));
            MessageConsumer consumer = session.createConsumer(queue);
            consumer.close();
            consumer.close();
            assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> consumer.receive(1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(consumer::getMessageSelector).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> consumer.setMessageListener(m -> { })).isInstanceOf(IllegalStateException.class);

            MessageProducer producer = session.createProducer(queue);
            producer.close();
            producer.close();
            assertThatThrownBy(() -> producer.send(session.createMessage())).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(producer::getDeliveryMode).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> producer.setPriority(1)).isInstanceOf(IllegalStateException.class);

            MessageConsumer ofSession = session.createConsumer(queue);
            MessageProducer producerOfSession = session.createProducer(queue);
            session.close();
            session.close();
            assertThatThrownBy(session::createMessage).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(session::createTextMessage).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> session.createQueue("q")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> session.createProducer(queue)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> session.createConsumer(queue)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(session::getAcknowledgeMode).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(session::getTransacted).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(session::recover).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(ofSession::receiveNoWait).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> producerOfSession.send(connection.createSession().createMessage()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * §6.1.8: closing a connection closes its sessions, producers and consumers, which then throw
     * IllegalStateException, while closing again is ignored; received messages stay usable.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClosedConnectionAndEverythingItMadeThrowIllegalStateException(Transport transport) throws Exception {
        Connection connection = BROKER.factory(transport).createConnection();
        Session session = session(connection);
        Queue queue = session.createQueue(BROKER.unique("closedconnection"));
        MessageConsumer consumer = session.createConsumer(queue);
        MessageProducer producer = session.createProducer(queue);
        connection.start();
        producer.send(session.createTextMessage("kept readable"));
        TextMessage received = (TextMessage) consumer.receive(WAIT_MS);

        connection.close();
        connection.close();
        assertThatThrownBy(connection::createSession).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::stop).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::getClientID).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::getMetaData).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> connection.setExceptionListener(e -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(session::createMessage).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> producer.send(received)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(IllegalStateException.class);
        session.close();
        producer.close();
        consumer.close();
        assertThat(received.getText()).isEqualTo("kept readable");
        assertThat(received.getJMSMessageID()).startsWith("ID:");
    }

    // ---- modes, metadata, exception listener ---------------------------------------------------

    /** §6.2 and Connection.createSession: the session modes and their defaults. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void sessionsHaveTheModeTheyWereCreatedWith(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session byDefault = connection.createSession();
            assertThat(byDefault.getAcknowledgeMode()).isEqualTo(Session.AUTO_ACKNOWLEDGE);
            assertThat(byDefault.getTransacted()).isFalse();
            assertThat(connection.createSession(Session.CLIENT_ACKNOWLEDGE).getAcknowledgeMode())
                    .isEqualTo(Session.CLIENT_ACKNOWLEDGE);
            assertThat(connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE).getAcknowledgeMode())
                    .isEqualTo(Session.DUPS_OK_ACKNOWLEDGE);
            assertThatThrownBy(() -> connection.createSession(false, 99)).isInstanceOf(JMSException.class);
        }
    }

    /** §6.1.6 ConnectionMetaData: the Jakarta Messaging version is 3.1 and the provider names itself. */
    @Test
    void metaDataNamesTheVersionAndTheProvider() throws Exception {
        try (Connection connection = BROKER.factory(Transport.TCP).createConnection()) {
            ConnectionMetaData metaData = connection.getMetaData();
            assertThat(metaData.getJMSVersion()).isEqualTo("3.1");
            assertThat(metaData.getJMSMajorVersion()).isEqualTo(3);
            assertThat(metaData.getJMSMinorVersion()).isEqualTo(1);
            assertThat(metaData.getJMSProviderName()).isNotBlank();
            assertThat(metaData.getProviderVersion()).isNotBlank();
        }
    }

    /** §6.1.7: the exception listener is kept, returned, and null when none is set. */
    @Test
    void theExceptionListenerIsKept() throws Exception {
        try (Connection connection = BROKER.factory(Transport.TCP).createConnection()) {
            assertThat(connection.getExceptionListener()).isNull();
            ExceptionListener listener = e -> { };
            connection.setExceptionListener(listener);
            assertThat(connection.getExceptionListener()).isSameAs(listener);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
