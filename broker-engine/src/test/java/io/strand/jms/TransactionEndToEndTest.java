package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local transactions through the JMS API against a real broker, over TCP ({@code strand://}) and in the
 * same JVM ({@code vm://}): staged sends appear only at commit, all together across destinations;
 * received messages are acknowledged by the commit and redelivered by a rollback; an open transaction
 * holds back no other producer (DESIGN.md §3).
 */
class TransactionEndToEndTest {
    private static final long WAIT_MS = 10_000;
    /** How long a message that must not arrive is waited for. */
    private static final long ABSENT_MS = 300;

    @TempDir
    static Path dir;
    private static StrandBroker broker;
    private static int counter;

    @BeforeAll
    static void startBroker() {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("tcp").toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @AfterAll
    static void stopBrokers() {
        broker.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dir.resolve("vm").resolve(".clean-shutdown")).exists());
    }

    private static StrandConnectionFactory factory(String transport) {
        return factory(transport, "");
    }

    private static StrandConnectionFactory factory(String transport, String options) {
        return new StrandConnectionFactory(transport.equals("tcp")
                ? "strand://127.0.0.1:" + broker.address().getPort() + (options.isEmpty() ? "" : "?" + options)
                : "vm://txn-e2e?dataDir=" + dir.resolve("vm") + (options.isEmpty() ? "" : "&" + options));
    }

    private static synchronized String fresh(String prefix) {
        return prefix + (++counter);
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    private static void send(ConnectionFactory factory, String queueName, String... texts) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queueName));
            for (String text : texts) {
                producer.send(session.createTextMessage(text));
            }
        }
    }

    /** Everything a fresh receiver gets from the queue until it stays quiet. */
    private static List<String> drain(ConnectionFactory factory, String queueName) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queueName));
            connection.start();
            List<String> texts = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(ABSENT_MS)) != null) {
                texts.add(text(m));
            }
            return texts;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void sendsAreInvisibleUntilCommitAndGoneAfterRollback(String transport) throws Exception {
        String name = fresh("txq");
        try (Connection connection = factory(transport).createConnection()) {
            Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(transacted.getTransacted()).isTrue();
            assertThat(transacted.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
            MessageProducer producer = transacted.createProducer(transacted.createQueue(name));
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = plain.createConsumer(plain.createQueue(name));
            connection.start();

            producer.send(transacted.createTextMessage("rolled-1"));
            producer.send(transacted.createTextMessage("rolled-2"));
            assertThat(consumer.receive(ABSENT_MS)).isNull();
            transacted.rollback();
            assertThat(consumer.receive(ABSENT_MS)).isNull();

            producer.send(transacted.createTextMessage("kept-1"));
            producer.send(transacted.createTextMessage("kept-2"));
            assertThat(consumer.receive(ABSENT_MS)).isNull();
            transacted.commit();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("kept-1");
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("kept-2");
            assertThat(consumer.receive(ABSENT_MS)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aCommitAcrossTwoQueuesAndATopicIsAllOrNothing(String transport) throws Exception {
        String q1 = fresh("txa");
        String q2 = fresh("txb");
        String topicName = fresh("txt");
        try (Connection connection = factory(transport).createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer r1 = plain.createConsumer(plain.createQueue(q1));
            MessageConsumer r2 = plain.createConsumer(plain.createQueue(q2));
            MessageConsumer subscriber = plain.createConsumer(plain.createTopic(topicName));
            connection.start();
            Session transacted = connection.createSession(Session.SESSION_TRANSACTED);
            MessageProducer producer = transacted.createProducer(null);
            Queue queue1 = transacted.createQueue(q1);
            Queue queue2 = transacted.createQueue(q2);
            Topic topic = transacted.createTopic(topicName);

            producer.send(queue1, transacted.createTextMessage("a-rolled"));
            producer.send(queue2, transacted.createTextMessage("b-rolled"));
            producer.send(topic, transacted.createTextMessage("t-rolled"));
            transacted.rollback();
            for (int i = 0; i < 3; i++) {
                producer.send(queue1, transacted.createTextMessage("a" + i));
                producer.send(queue2, transacted.createTextMessage("b" + i));
                producer.send(topic, transacted.createTextMessage("t" + i));
            }
            assertThat(r1.receive(ABSENT_MS)).isNull();
            assertThat(r2.receive(ABSENT_MS)).isNull();
            assertThat(subscriber.receive(ABSENT_MS)).isNull();
            transacted.commit();
            for (int i = 0; i < 3; i++) {
                assertThat(text(r1.receive(WAIT_MS))).isEqualTo("a" + i);
                assertThat(text(r2.receive(WAIT_MS))).isEqualTo("b" + i);
                assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("t" + i);
            }
            assertThat(r1.receive(ABSENT_MS)).isNull();
            assertThat(r2.receive(ABSENT_MS)).isNull();
            assertThat(subscriber.receive(ABSENT_MS)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aRolledBackReceiveComesAgainRedeliveredAndACommittedOneIsGone(String transport) throws Exception {
        String name = fresh("txr");
        send(factory(transport), name, "only");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(true, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            Message first = consumer.receive(WAIT_MS);
            assertThat(text(first)).isEqualTo("only");
            assertThat(first.getJMSRedelivered()).isFalse();
            assertThat(first.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
            first.acknowledge(); // ignored in a transacted session
            session.rollback();

            Message again = consumer.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("only");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            session.commit();
            assertThat(consumer.receive(ABSENT_MS)).isNull();
        }
        assertThat(drain(factory(transport), name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aTopicSubscriberGetsRolledBackMessagesAgainFromItsLastCommit(String transport) throws Exception {
        String topicName = fresh("txs");
        try (Connection connection = factory(transport).createConnection()) {
            connection.setClientID(fresh("txs-client"));
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            Topic topic = session.createTopic(topicName);
            MessageConsumer subscriber = session.createDurableSubscriber(topic, "audit");
            connection.start();
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = plain.createProducer(plain.createTopic(topicName));
            for (String t : List.of("p1", "p2", "p3")) {
                producer.send(plain.createTextMessage(t));
            }
            assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("p1");
            session.commit();
            assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("p2");
            assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("p3");
            session.rollback();
            Message p2 = subscriber.receive(WAIT_MS);
            assertThat(text(p2)).isEqualTo("p2");
            assertThat(p2.getJMSRedelivered()).isTrue();
            assertThat(p2.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("p3");
            session.rollback(); // again: p2 and p3 stay unacknowledged in the durable subscription
            subscriber.close();
            session.commit();
            // A new subscriber of the subscription starts after p1, the last committed message.
            MessageConsumer reopened = session.createDurableSubscriber(topic, "audit");
            assertThat(text(reopened.receive(WAIT_MS))).isEqualTo("p2");
            assertThat(text(reopened.receive(WAIT_MS))).isEqualTo("p3");
            session.commit();
            reopened.close();
            MessageConsumer last = session.createDurableSubscriber(topic, "audit");
            assertThat(last.receive(ABSENT_MS)).isNull();
            last.close();
            session.unsubscribe("audit");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void consumeTransformProduceCommitsTheReceiveAndTheSendTogether(String transport) throws Exception {
        String in = fresh("txin");
        String out = fresh("txout");
        send(factory(transport), in, "order-1");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(in));
            MessageProducer producer = session.createProducer(session.createQueue(out));
            connection.start();

            Message received = consumer.receive(WAIT_MS);
            producer.send(session.createTextMessage(text(received) + "-billed"));
            session.rollback(); // neither the receive nor the send happened
            assertThat(drain(factory(transport), out)).isEmpty();

            received = consumer.receive(WAIT_MS);
            assertThat(received.getJMSRedelivered()).isTrue();
            producer.send(session.createTextMessage(text(received) + "-billed"));
            session.commit();
        }
        assertThat(drain(factory(transport), out)).containsExactly("order-1-billed");
        assertThat(drain(factory(transport), in)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anOpenTransactionDoesNotHoldBackAnotherProducersMessages(String transport) throws Exception {
        String name = fresh("txopen");
        try (Connection connection = factory(transport).createConnection();
             Connection other = factory(transport).createConnection()) {
            Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer staged = transacted.createProducer(transacted.createQueue(name));
            for (int i = 0; i < 100; i++) {
                staged.send(transacted.createTextMessage("staged-" + i));
            }
            Session plain = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = plain.createConsumer(plain.createQueue(name));
            other.start();
            MessageProducer producer = plain.createProducer(plain.createQueue(name));
            producer.send(plain.createTextMessage("free"));
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("free");
            assertThat(consumer.receive(ABSENT_MS)).isNull(); // the transaction is still open

            transacted.commit();
            for (int i = 0; i < 100; i++) {
                assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("staged-" + i);
            }
        }
    }

    /**
     * A transaction left open for a minute ({@code strand.txopen.ms}) while another producer keeps
     * sending to the same queue: every one of the other producer's messages is consumed while the
     * transaction is still open, so none waited for it.
     */
    @Test
    void aTransactionLeftOpenForAMinuteHoldsBackNoOtherProducer() throws Exception {
        long openMs = Long.getLong("strand.txopen.ms", 60_000);
        String name = fresh("txminute");
        try (Connection connection = factory("tcp").createConnection();
             Connection other = factory("tcp").createConnection()) {
            Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
            transacted.createProducer(transacted.createQueue(name)).send(transacted.createTextMessage("staged"));
            Session plain = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = plain.createConsumer(plain.createQueue(name));
            other.start();
            MessageProducer producer = plain.createProducer(plain.createQueue(name));
            long end = System.nanoTime() + openMs * 1_000_000;
            int sent = 0;
            while (System.nanoTime() < end) {
                producer.send(plain.createTextMessage("free-" + sent));
                assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("free-" + sent);
                sent++;
                Thread.sleep(250);
            }
            assertThat(consumer.receive(ABSENT_MS)).as("the transaction is still open").isNull();
            transacted.commit();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("staged");
            assertThat(sent).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aTransactedJmsContextCommitsAndRollsBack(String transport) throws Exception {
        String name = fresh("txctx");
        try (JMSContext context = factory(transport).createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext reader = factory(transport).createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            assertThat(context.getTransacted()).isTrue();
            assertThat(context.getSessionMode()).isEqualTo(JMSContext.SESSION_TRANSACTED);
            Queue queue = context.createQueue(name);
            JMSConsumer consumer = reader.createConsumer(queue);
            context.createProducer().send(queue, "dropped");
            context.rollback();
            context.createProducer().send(queue, "kept");
            assertThat(consumer.receiveBody(String.class, ABSENT_MS)).isNull();
            context.commit();
            assertThat(consumer.receiveBody(String.class, WAIT_MS)).isEqualTo("kept");
            assertThat(consumer.receiveBody(String.class, ABSENT_MS)).isNull();
            consumer.close(); // the transacted consumer gets the next message alone

            reader.createProducer().send(queue, "back");
            JMSConsumer transactedConsumer = context.createConsumer(queue);
            assertThat(transactedConsumer.receiveBody(String.class, WAIT_MS)).isEqualTo("back");
            assertThatThrownBy(context::recover).isInstanceOf(IllegalStateRuntimeException.class);
            context.rollback();
            Message again = transactedConsumer.receive(WAIT_MS);
            assertThat(again.getBody(String.class)).isEqualTo("back");
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            context.commit();
        }
        assertThat(drain(factory(transport), name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aListenerCommitsEachMessageItProcesses(String transport) throws Exception {
        String in = fresh("txlin");
        String out = fresh("txlout");
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(out));
            session.createConsumer(session.createQueue(in)).setMessageListener(m -> {
                try {
                    seen.add(text(m) + ":" + m.getJMSRedelivered());
                    producer.send(session.createTextMessage(text(m) + "-done"));
                    if (text(m).equals("m2") && !m.getJMSRedelivered()) {
                        session.rollback(); // comes again, redelivered
                        return;
                    }
                    session.commit();
                    done.countDown();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            connection.start();
            send(factory(transport), in, "m1", "m2", "m3");
            assertThat(done.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        }
        assertThat(seen).containsSubsequence("m1:false", "m2:false", "m2:true").contains("m3:false").hasSize(4);
        assertThat(drain(factory(transport), out)).containsExactlyInAnyOrder("m1-done", "m2-done", "m3-done");
        assertThat(drain(factory(transport), in)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void closingATransactedSessionRollsItBack(String transport) throws Exception {
        String name = fresh("txclose");
        send(factory(transport), name, "held");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("held");
            session.createProducer(session.createQueue(name)).send(session.createTextMessage("never"));
            session.close();
            assertThatThrownBy(session::commit).isInstanceOf(jakarta.jms.IllegalStateException.class);
        }
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            Message again = consumer.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("held");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(consumer.receive(ABSENT_MS)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aConsumerClosedInsideTheTransactionIsAcknowledgedByTheCommit(String transport) throws Exception {
        String name = fresh("txcc");
        send(factory(transport), name, "one", "two");
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(name));
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("one");
            consumer.close();
            session.commit();
        }
        assertThat(drain(factory(transport), name)).containsExactly("two");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anAsynchronousSendCompletesWhenStagedAndArrivesWithTheCommit(String transport) throws Exception {
        String name = fresh("txasync");
        CountDownLatch completed = new CountDownLatch(1);
        try (Connection connection = factory(transport).createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            session.createProducer(session.createQueue(name)).send(session.createTextMessage("async"),
                    new CompletionListener() {
                        @Override
                        public void onCompletion(Message message) {
                            completed.countDown();
                        }

                        @Override
                        public void onException(Message message, Exception exception) {
                        }
                    });
            assertThat(completed.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(drain(factory(transport), name)).isEmpty();
            session.commit();
        }
        assertThat(drain(factory(transport), name)).containsExactly("async");
    }

    @Test
    void aSendPastTheTransactionLimitIsRefusedAndTheRestCommits() throws Exception {
        String name = fresh("txcap");
        String kilobyte = "k".repeat(1000);
        try (Connection connection = factory("tcp", "transactionMaxBytes=2500").createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(name));
            producer.send(session.createTextMessage("1" + kilobyte));
            producer.send(session.createTextMessage("2" + kilobyte));
            assertThatThrownBy(() -> producer.send(session.createTextMessage("3" + kilobyte)))
                    .isInstanceOf(ResourceAllocationException.class).hasMessageContaining("transactionMaxBytes");
            session.commit();
            producer.send(session.createTextMessage("4" + kilobyte)); // the next transaction starts empty
            session.commit();
        }
        assertThat(drain(factory("tcp"), name)).extracting(t -> t.substring(0, 1)).containsExactly("1", "2", "4");
    }

    @Test
    void commitAndRollbackAreRefusedOutsideATransactionAndRecoverInsideOne() throws Exception {
        try (Connection connection = factory("tcp").createConnection()) {
            Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(plain::commit).isInstanceOf(jakarta.jms.IllegalStateException.class);
            assertThatThrownBy(plain::rollback).isInstanceOf(jakarta.jms.IllegalStateException.class);
            Session transacted = connection.createSession(true, Session.CLIENT_ACKNOWLEDGE);
            assertThatThrownBy(transacted::recover).isInstanceOf(jakarta.jms.IllegalStateException.class);
            transacted.commit(); // an empty transaction commits without asking the broker
            transacted.rollback();
        }
    }
}
