package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.jms.StrandConnectionFactory;
import io.strand.jms.StrandXAConnectionFactory;
import io.strand.jms.TestXid;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XA branches prepared on a broker in its own JVM, which is then killed with SIGKILL: after the restart the broker
 * lists exactly those branches to a transaction manager's recovery, still holds the queue records they received
 * for no one else, and commits or rolls them back from a fresh connection — sends, queue acknowledgements and
 * durable subscription acknowledgements — with nothing delivered twice and nothing lost, also across a second kill
 * between the decisions. A commit halted right after its commit record (the failpoint of
 * {@link TransactionCommitter}) is finished by the restart, and the transaction manager's repeated commit is
 * answered OK.
 */
class XaCrashTest {
    private static final long WAIT_MS = 10_000;
    private static final long ABSENT_MS = 1_000;
    private static final List<String> BRANCHES = List.of("a", "b", "c", "d");

    @TempDir
    Path dir;

    /** The Xid a transaction manager gives the branch named {@code branch}. */
    private static TestXid tmXid(String branch) {
        return TestXid.of("global-" + branch, branch);
    }

    @Test
    void preparedBranchesSurviveKillNineAndAreDecidedExactlyOnceFromAFreshConnection() throws Exception {
        Path dataDir = dir.resolve("data");
        int port = BrokerProcess.freePort();
        String url = "strand://127.0.0.1:" + port;
        StrandConnectionFactory plain = new StrandConnectionFactory(url);
        StrandXAConnectionFactory xa = new StrandXAConnectionFactory(url);
        List<XAConnection> preparing = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port)) {
            setUp(plain);
            for (String branch : BRANCHES) {
                preparing.add(prepare(xa, branch));
            }
            broker.kill9(); // the connections that prepared are still open
        }
        for (XAConnection connection : preparing) {
            connection.close();
        }
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port);
             XAConnection tm = xa.createXAConnection();
             Connection other = plain.createConnection()) {
            XAResource resource = tm.createXASession().getXAResource();
            assertThat(recovered(resource)).as("exactly the prepared branches").hasSize(4)
                    .allMatch(x -> BRANCHES.stream().anyMatch(b -> tmXid(b).sameAs(x)));
            Session session = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            other.start();
            for (String branch : BRANCHES) {
                MessageConsumer input = session.createConsumer(session.createQueue("xin-" + branch));
                assertThat(receiveAll(input)).as("the record branch " + branch + " holds stays held after the restart")
                        .containsExactly("in-" + branch + "-1");
                input.close();
            }
            resource.commit(tmXid("a"), false);
            resource.rollback(tmXid("c"));
            broker.kill9(); // between the decisions
        }
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port);
             XAConnection tm = xa.createXAConnection();
             Connection other = plain.createConnection()) {
            XAResource resource = tm.createXASession().getXAResource();
            assertThat(recovered(resource)).hasSize(2).anyMatch(x -> tmXid("b").sameAs(x))
                    .anyMatch(x -> tmXid("d").sameAs(x));
            resource.commit(tmXid("a"), false); // decided before the kill: remembered
            resource.commit(tmXid("b"), false);
            resource.rollback(tmXid("d"));
            assertThat(recovered(resource)).isEmpty();

            other.setClientID("xacrash-check");
            Session session = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            other.start();
            for (String branch : BRANCHES) {
                List<Message> back = receiveAllMessages(session.createConsumer(session.createQueue("xin-" + branch)));
                if (branch.equals("a") || branch.equals("b")) {
                    assertThat(back).as("branch " + branch + " committed its receive").isEmpty();
                    continue;
                }
                assertThat(texts(back)).as("branch " + branch + " rolled back: its record comes back, once")
                        .containsExactly("in-" + branch + "-0");
                assertThat(back.get(0).getJMSRedelivered()).isTrue();
                assertThat(back.get(0).getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
            }
            assertThat(receiveAll(session.createConsumer(session.createQueue("xout"))))
                    .as("the committed branches' sends, once").containsExactlyInAnyOrder("out-a-1", "out-a-2",
                            "out-b-1", "out-b-2");
            assertThat(receiveAll(session.createDurableSubscriber(session.createTopic("xnews"), "news")))
                    .containsExactlyInAnyOrder("news-a", "news-b");
        }
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port)) {
            for (String branch : BRANCHES) {
                try (Connection connection = plain.createConnection()) {
                    connection.setClientID("xacrash-" + branch);
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    connection.start();
                    List<String> rest = receiveAll(session.createDurableSubscriber(session.createTopic("xfeed"), "feed"));
                    boolean committed = branch.equals("a") || branch.equals("b");
                    assertThat(rest).as("durable subscription of branch " + branch)
                            .isEqualTo(committed ? List.of("feed-1") : List.of("feed-0", "feed-1"));
                }
            }
        }
    }

    /**
     * A queue per branch with two messages (the branch receives the first), topic xfeed with two messages for each
     * branch's durable subscription, and the durable subscription news to the branches' topic xnews.
     */
    private static void setUp(StrandConnectionFactory plain) throws JMSException {
        for (String branch : BRANCHES) {
            try (Connection connection = plain.createConnection()) {
                connection.setClientID("xacrash-" + branch);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createDurableSubscriber(session.createTopic("xfeed"), "feed").close();
            }
        }
        try (Connection connection = plain.createConnection()) {
            connection.setClientID("xacrash-check");
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createDurableSubscriber(session.createTopic("xnews"), "news").close();
            MessageProducer producer = session.createProducer(null);
            for (String branch : BRANCHES) {
                for (int i = 0; i < 2; i++) {
                    producer.send(session.createQueue("xin-" + branch), session.createTextMessage("in-" + branch + "-" + i));
                }
            }
            for (int i = 0; i < 2; i++) {
                producer.send(session.createTopic("xfeed"), session.createTextMessage("feed-" + i));
            }
        }
    }

    /**
     * Prepares branch {@code name}: it receives the first message of its queue and of its durable subscription, and
     * sends two messages to xout and one to the topic xnews. Returns its connection, left open.
     */
    private static XAConnection prepare(StrandXAConnectionFactory xa, String name) throws Exception {
        XAConnection connection = xa.createXAConnection();
        connection.setClientID("xacrash-" + name);
        XASession session = connection.createXASession();
        MessageConsumer input = session.createConsumer(session.createQueue("xin-" + name));
        MessageConsumer feed = session.createDurableSubscriber(session.createTopic("xfeed"), "feed");
        MessageProducer producer = session.createProducer(null);
        connection.start();
        XAResource resource = session.getXAResource();
        Xid xid = tmXid(name);
        resource.start(xid, XAResource.TMNOFLAGS);
        assertThat(((TextMessage) input.receive(WAIT_MS)).getText()).isEqualTo("in-" + name + "-0");
        assertThat(((TextMessage) feed.receive(WAIT_MS)).getText()).isEqualTo("feed-0");
        producer.send(session.createQueue("xout"), session.createTextMessage("out-" + name + "-1"));
        producer.send(session.createQueue("xout"), session.createTextMessage("out-" + name + "-2"));
        producer.send(session.createTopic("xnews"), session.createTextMessage("news-" + name));
        resource.end(xid, XAResource.TMSUCCESS);
        assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
        return connection;
    }

    private static List<Xid> recovered(XAResource resource) throws XAException {
        List<Xid> all = new ArrayList<>(Arrays.asList(resource.recover(XAResource.TMSTARTRSCAN)));
        all.addAll(Arrays.asList(resource.recover(XAResource.TMENDRSCAN)));
        return all;
    }

    private static List<String> receiveAll(MessageConsumer consumer) throws JMSException {
        return texts(receiveAllMessages(consumer));
    }

    private static List<Message> receiveAllMessages(MessageConsumer consumer) throws JMSException {
        List<Message> messages = new ArrayList<>();
        for (Message m = consumer.receive(WAIT_MS / 5); m != null; m = consumer.receive(ABSENT_MS)) {
            messages.add(m);
        }
        return messages;
    }

    private static List<String> texts(List<Message> messages) throws JMSException {
        List<String> texts = new ArrayList<>();
        for (Message m : messages) {
            texts.add(((TextMessage) m).getText());
        }
        return texts;
    }

    @Test
    void aCommitHaltedAfterItsCommitRecordIsFinishedByTheRestart() throws Exception {
        Path dataDir = dir.resolve("halted");
        int port = BrokerProcess.freePort();
        String url = "strand://127.0.0.1:" + port;
        StrandXAConnectionFactory xa = new StrandXAConnectionFactory(url);
        Xid xid = tmXid("halted");
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port,
                List.of("-D" + TransactionCommitter.HALT_AFTER_COMMIT_RECORD + "=true"))) {
            try (Connection setup = new StrandConnectionFactory(url).createConnection()) {
                Session session = setup.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("hin")).send(session.createTextMessage("input"));
            }
            try (XAConnection connection = xa.createXAConnection()) {
                XASession session = connection.createXASession();
                MessageConsumer input = session.createConsumer(session.createQueue("hin"));
                MessageProducer producer = session.createProducer(null);
                connection.start();
                XAResource resource = session.getXAResource();
                resource.start(xid, XAResource.TMNOFLAGS);
                assertThat(input.receive(WAIT_MS)).isNotNull();
                producer.send(session.createQueue("hout"), session.createTextMessage("out"));
                resource.end(xid, XAResource.TMSUCCESS);
                assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
                XAException lost = null;
                try {
                    resource.commit(xid, false);
                } catch (XAException e) {
                    lost = e;
                }
                assertThat(lost).as("the broker halts before it answers").isNotNull();
                assertThat(lost.errorCode).isEqualTo(XAException.XAER_RMFAIL);
            }
            assertThat(broker.awaitExit(30_000)).isEqualTo(TransactionCommitter.FAILPOINT_EXIT_STATUS);
        }
        try (BrokerProcess broker = BrokerProcess.start(dataDir, port);
             XAConnection tm = xa.createXAConnection()) {
            XAResource resource = tm.createXASession().getXAResource();
            assertThat(recovered(resource)).as("the restart finished the commit").isEmpty();
            resource.commit(xid, false); // the transaction manager tries again: committed already
            Session session = tm.createSession(false, Session.AUTO_ACKNOWLEDGE);
            tm.start();
            assertThat(receiveAll(session.createConsumer(session.createQueue("hout")))).containsExactly("out");
            assertThat(receiveAll(session.createConsumer(session.createQueue("hin")))).isEmpty();
        }
    }
}
