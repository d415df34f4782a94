package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a prepared XA branch holds on the broker, whatever becomes of the connection that prepared it: the queue
 * records it received stay with it — no other consumer gets them — until a transaction manager commits it (they are
 * gone) or rolls it back (they come back, as redeliveries), from another connection; the durable subscription
 * positions it acknowledged move only when it commits, and a subscriber's acknowledgements outside the branch never
 * pass a message the branch received.
 */
class XaPreparedBranchTest {
    private static final long WAIT_MS = 10_000;
    private static final long ABSENT_MS = 500;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;
    private static int counter;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "xa-prepared", Map.of());
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    private static StrandXAConnectionFactory xa(String transport) {
        return new StrandXAConnectionFactory(brokers.factory(transport).getUrl());
    }

    private static synchronized String fresh(String prefix) {
        return prefix + (++counter);
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    private static void send(String transport, String queue, String... texts) throws JMSException {
        try (Connection connection = brokers.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (String text : texts) {
                producer.send(session.createTextMessage(text));
            }
        }
    }

    /** Prepares a branch that received every message of {@code queue}, then closes its connection. */
    private static List<String> prepareReceiveAndClose(String transport, String queue, Xid xid, int messages)
            throws Exception {
        List<String> received = new ArrayList<>();
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            resource.start(xid, XAResource.TMNOFLAGS);
            for (int i = 0; i < messages; i++) {
                received.add(text(consumer.receive(WAIT_MS)));
            }
            resource.end(xid, XAResource.TMSUCCESS);
            assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
        }
        return received;
    }

    private static void decide(String transport, Xid xid, boolean commit) throws Exception {
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XAResource resource = connection.createXASession().getXAResource();
            if (commit) {
                resource.commit(xid, false);
            } else {
                resource.rollback(xid);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void queueRecordsAPreparedBranchReceivedStayWithItAfterItsConnectionClosesUntilItCommits(String transport)
            throws Exception {
        String queue = fresh("xah");
        send(transport, queue, "m1", "m2");
        Xid xid = TestXid.of(fresh("g"), "b");
        assertThat(prepareReceiveAndClose(transport, queue, xid, 2)).containsExactly("m1", "m2");
        try (Connection connection = brokers.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer other = session.createConsumer(session.createQueue(queue));
            connection.start();
            assertThat(other.receive(ABSENT_MS)).as("held by the prepared branch").isNull();
            send(transport, queue, "m3");
            assertThat(text(other.receive(WAIT_MS))).as("the queue goes on behind the held records").isEqualTo("m3");
            decide(transport, xid, true);
            assertThat(other.receive(ABSENT_MS)).as("committed: consumed for good").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void queueRecordsOfAPreparedBranchRolledBackComeBackAsRedeliveries(String transport) throws Exception {
        String queue = fresh("xahr");
        send(transport, queue, "m1");
        Xid xid = TestXid.of(fresh("g"), "b");
        prepareReceiveAndClose(transport, queue, xid, 1);
        try (Connection connection = brokers.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer other = session.createConsumer(session.createQueue(queue));
            connection.start();
            assertThat(other.receive(ABSENT_MS)).isNull();
            decide(transport, xid, false);
            Message back = other.receive(WAIT_MS);
            assertThat(text(back)).isEqualTo("m1");
            assertThat(back.getJMSRedelivered()).isTrue();
            assertThat(back.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            assertThat(other.receive(ABSENT_MS)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aDurableSubscriptionMovesOnlyWhenTheBranchThatAcknowledgedItCommits(String transport) throws Exception {
        String topicName = fresh("xatopic");
        String clientId = fresh("xaclient");
        Xid rolledBack = TestXid.of(fresh("g"), "b");
        Xid committed = TestXid.of(fresh("g"), "b");
        StrandXAConnectionFactory factory = xa(transport);
        try (XAConnection connection = factory.createXAConnection()) {
            connection.setClientID(clientId);
            XASession session = connection.createXASession();
            Topic topic = session.createTopic(topicName);
            session.createDurableSubscriber(topic, "audit").close();
            MessageProducer producer = session.createProducer(topic);
            producer.send(session.createTextMessage("t1"));
            producer.send(session.createTextMessage("t2"));
        }
        for (Xid xid : List.of(rolledBack, committed)) {
            try (XAConnection connection = factory.createXAConnection()) {
                connection.setClientID(clientId);
                XASession session = connection.createXASession();
                MessageConsumer subscriber = session.createDurableSubscriber(session.createTopic(topicName), "audit");
                connection.start();
                XAResource resource = session.getXAResource();
                resource.start(xid, XAResource.TMNOFLAGS);
                Message first = subscriber.receive(WAIT_MS);
                assertThat(text(first)).isEqualTo("t1");
                assertThat(first.getJMSRedelivered()).isEqualTo(xid == committed);
                resource.end(xid, XAResource.TMSUCCESS);
                // Outside the branch the session acknowledges automatically, but never past what the branch holds.
                assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("t2");
                assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
            }
            decide(transport, xid, xid == committed);
        }
        try (XAConnection connection = factory.createXAConnection()) {
            connection.setClientID(clientId);
            XASession session = connection.createXASession();
            MessageConsumer subscriber = session.createDurableSubscriber(session.createTopic(topicName), "audit");
            connection.start();
            session.createProducer(session.createTopic(topicName)).send(session.createTextMessage("t3"));
            List<String> rest = new ArrayList<>();
            for (Message m = subscriber.receive(WAIT_MS); m != null; m = subscriber.receive(ABSENT_MS)) {
                rest.add(text(m));
            }
            // t2's acknowledgement waited behind t1 and its consumer closed first: t2 comes again, t1 does not.
            assertThat(rest).containsExactly("t2", "t3");
        }
    }
}
