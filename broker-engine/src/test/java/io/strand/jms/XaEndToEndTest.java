package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XASession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * XA transactions through the JMS API and {@link XAResource}, as a transaction manager drives them, against a
 * broker over TCP ({@code strand://}) and in the same JVM ({@code vm://}): a branch's sends appear only when it
 * commits, its receives are acknowledged only then, a rollback delivers nothing and gives received messages back as
 * redeliveries; one-phase commit, read-only prepare, join, suspend and resume, TMFAIL, timeouts, the XA errors for
 * calls out of sequence, a commit from another connection, recover; and the session outside any branch.
 */
class XaEndToEndTest {
    private static final long WAIT_MS = 10_000;
    /** How long a message that must not arrive is waited for. */
    private static final long ABSENT_MS = 300;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;
    private static int counter;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "xa-e2e", Map.of());
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    private static StrandXAConnectionFactory xa(String transport) {
        return new StrandXAConnectionFactory(brokers.factory(transport).getUrl());
    }

    private static StrandConnectionFactory plain(String transport) {
        return brokers.factory(transport);
    }

    private static synchronized String fresh(String prefix) {
        return prefix + (++counter);
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    private static void send(String transport, String queue, String... texts) throws JMSException {
        try (Connection connection = plain(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (String text : texts) {
                producer.send(session.createTextMessage(text));
            }
        }
    }

    /** Everything a fresh receiver gets from the queue until it stays quiet. */
    private static List<String> drain(String transport, String queue) throws JMSException {
        try (Connection connection = plain(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            List<String> texts = new ArrayList<>();
            Message m;
            while ((m = consumer.receive(ABSENT_MS)) != null) {
                texts.add(text(m));
            }
            return texts;
        }
    }

    private static int xaCode(ThrowingCall call) {
        XAException e = catchThrowableOfType(XAException.class, call::run);
        assertThat(e).as("an XAException").isNotNull();
        return e.errorCode;
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    // ---- sends and receives in a branch ------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aBranchsSendsAppearOnlyWhenItCommitsAndARollbackDropsThem(String transport) throws Exception {
        String queue = fresh("xaq");
        Xid committed = TestXid.of(fresh("g"), "b");
        Xid rolledBack = TestXid.of(fresh("g"), "b");
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            MessageProducer producer = session.createProducer(session.createQueue(queue));

            resource.start(committed, XAResource.TMNOFLAGS);
            producer.send(session.createTextMessage("kept-1"));
            producer.send(session.createTextMessage("kept-2"));
            resource.end(committed, XAResource.TMSUCCESS);
            resource.start(rolledBack, XAResource.TMNOFLAGS);
            producer.send(session.createTextMessage("dropped"));
            resource.end(rolledBack, XAResource.TMSUCCESS);
            assertThat(drain(transport, queue)).as("nothing before prepare").isEmpty();

            assertThat(resource.prepare(committed)).isEqualTo(XAResource.XA_OK);
            assertThat(resource.prepare(rolledBack)).isEqualTo(XAResource.XA_OK);
            assertThat(drain(transport, queue)).as("nothing of a prepared branch is visible").isEmpty();

            resource.rollback(rolledBack);
            resource.commit(committed, false);
        }
        assertThat(drain(transport, queue)).containsExactly("kept-1", "kept-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aBranchsReceiveIsAcknowledgedByItsCommit(String transport) throws Exception {
        String queue = fresh("xar");
        send(transport, queue, "input");
        Xid xid = TestXid.of(fresh("g"), "b");
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            resource.start(xid, XAResource.TMNOFLAGS);
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("input");
            resource.end(xid, XAResource.TMSUCCESS);
            assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
            resource.commit(xid, false);
            assertThat(consumer.receive(ABSENT_MS)).isNull();
        }
        assertThat(drain(transport, queue)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aRolledBackReceiveComesAgainAsARedelivery(String transport) throws Exception {
        String queue = fresh("xab");
        send(transport, queue, "first", "second");
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();

            // Rolled back before its prepare: the session puts the message back in front of its consumer.
            Xid open = TestXid.of(fresh("g"), "b");
            resource.start(open, XAResource.TMNOFLAGS);
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("first");
            resource.end(open, XAResource.TMSUCCESS);
            resource.rollback(open);
            Message again = consumer.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("first");
            assertThat(again.getJMSRedelivered()).isTrue();
            assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);

            // Rolled back once prepared: the broker gives the record back to the queue, delivered once more.
            Message secondTry;
            Xid prepared = TestXid.of(fresh("g"), "b");
            resource.start(prepared, XAResource.TMNOFLAGS);
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("second");
            resource.end(prepared, XAResource.TMSUCCESS);
            assertThat(resource.prepare(prepared)).isEqualTo(XAResource.XA_OK);
            resource.rollback(prepared);
            secondTry = consumer.receive(WAIT_MS); // outside any branch: AUTO_ACKNOWLEDGE
            assertThat(text(secondTry)).isEqualTo("second");
            assertThat(secondTry.getJMSRedelivered()).isTrue();
            assertThat(secondTry.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        }
        assertThat(drain(transport, queue)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aOnePhaseCommitAppliesSendsAndReceivesAtOnce(String transport) throws Exception {
        String in = fresh("xa1in");
        String out = fresh("xa1out");
        send(transport, in, "request");
        Xid xid = TestXid.of(fresh("g"), "b");
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            MessageConsumer consumer = session.createConsumer(session.createQueue(in));
            MessageProducer producer = session.createProducer(session.createQueue(out));
            connection.start();
            resource.start(xid, XAResource.TMNOFLAGS);
            String request = text(consumer.receive(WAIT_MS));
            producer.send(session.createTextMessage("reply to " + request));
            resource.end(xid, XAResource.TMSUCCESS);
            resource.commit(xid, true);
            assertThat(xaCode(() -> resource.commit(xid, false))).as("a committed branch is forgotten")
                    .isEqualTo(XAException.XAER_NOTA);
        }
        assertThat(drain(transport, out)).containsExactly("reply to request");
        assertThat(drain(transport, in)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aBranchThatDidNothingIsReadOnlyAndForgotten(String transport) throws Exception {
        String topic = fresh("xaro");
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            Xid idle = TestXid.of(fresh("g"), "b");
            resource.start(idle, XAResource.TMNOFLAGS);
            resource.end(idle, XAResource.TMSUCCESS);
            assertThat(resource.prepare(idle)).isEqualTo(XAResource.XA_RDONLY);
            assertThat(xaCode(() -> resource.commit(idle, false))).isEqualTo(XAException.XAER_NOTA);

            // A non-durable subscriber's receive changes nothing on the broker: the broker votes read-only.
            MessageConsumer subscriber = session.createConsumer(session.createTopic(topic));
            connection.start();
            session.createProducer(session.createTopic(topic)).send(session.createTextMessage("news"));
            Xid reading = TestXid.of(fresh("g"), "b");
            resource.start(reading, XAResource.TMNOFLAGS);
            assertThat(text(subscriber.receive(WAIT_MS))).isEqualTo("news");
            resource.end(reading, XAResource.TMSUCCESS);
            assertThat(resource.prepare(reading)).isEqualTo(XAResource.XA_RDONLY);
            assertThat(recoverAll(resource)).noneMatch(x -> sameXid(x, reading));
        }
    }

    private static boolean sameXid(Xid a, Xid b) {
        return a.getFormatId() == b.getFormatId() && Arrays.equals(a.getGlobalTransactionId(), b.getGlobalTransactionId())
                && Arrays.equals(a.getBranchQualifier(), b.getBranchQualifier());
    }

    private static List<Xid> recoverAll(XAResource resource) throws XAException {
        List<Xid> all = new ArrayList<>(Arrays.asList(resource.recover(XAResource.TMSTARTRSCAN)));
        all.addAll(Arrays.asList(resource.recover(XAResource.TMENDRSCAN)));
        return all;
    }

    // ---- associations -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void suspendResumeAndJoinsFromAnotherConnectionMakeOneBranch(String transport) throws Exception {
        String queue = fresh("xaj");
        String input = fresh("xajin");
        send(transport, input, "consumed-by-joiner");
        Xid main = TestXid.of(fresh("g"), "b");
        Xid other = TestXid.of(fresh("g"), "b");
        try (XAConnection first = xa(transport).createXAConnection();
             XAConnection second = xa(transport).createXAConnection()) {
            XASession s1 = first.createXASession();
            XASession s2 = second.createXASession();
            XAResource r1 = s1.getXAResource();
            XAResource r2 = s2.getXAResource();
            assertThat(r1.isSameRM(r2)).as("two connections to one broker are one resource manager").isTrue();
            MessageProducer p1 = s1.createProducer(s1.createQueue(queue));
            MessageProducer p2 = s2.createProducer(s2.createQueue(queue));
            MessageConsumer c2 = s2.createConsumer(s2.createQueue(input));
            second.start();

            r1.start(main, XAResource.TMNOFLAGS);
            p1.send(s1.createTextMessage("a"));
            r1.end(main, XAResource.TMSUSPEND);
            assertThat(xaCode(() -> r1.start(main, XAResource.TMJOIN))).as("a suspended association is resumed")
                    .isEqualTo(XAException.XAER_PROTO);
            r1.start(other, XAResource.TMNOFLAGS); // the session works for another branch meanwhile
            p1.send(s1.createTextMessage("other"));
            r1.end(other, XAResource.TMSUCCESS);
            r1.start(main, XAResource.TMRESUME);
            p1.send(s1.createTextMessage("c"));

            r2.start(main, XAResource.TMJOIN);
            assertThat(text(c2.receive(WAIT_MS))).isEqualTo("consumed-by-joiner");
            p2.send(s2.createTextMessage("d"));
            r2.end(main, XAResource.TMSUCCESS);
            assertThat(xaCode(() -> r1.prepare(main))).as("prepared while a session still works for it")
                    .isEqualTo(XAException.XAER_PROTO);
            r1.end(main, XAResource.TMSUCCESS);

            assertThat(r2.prepare(main)).isEqualTo(XAResource.XA_OK); // prepared through the joiner's resource
            r1.rollback(other);
            r1.commit(main, false);
        }
        List<String> delivered = drain(transport, queue);
        assertThat(delivered).containsExactlyInAnyOrder("a", "c", "d");
        assertThat(delivered.indexOf("a")).isLessThan(delivered.indexOf("c"));
        assertThat(drain(transport, input)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aBranchEndedWithTmFailOnlyRollsBack(String transport) throws Exception {
        String queue = fresh("xaf");
        String input = fresh("xafin");
        send(transport, input, "work");
        Xid xid = TestXid.of(fresh("g"), "b");
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            MessageConsumer consumer = session.createConsumer(session.createQueue(input));
            connection.start();
            resource.start(xid, XAResource.TMNOFLAGS);
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("work");
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage("never"));
            resource.end(xid, XAResource.TMFAIL);
            assertThat(xaCode(() -> resource.start(xid, XAResource.TMJOIN))).isEqualTo(XAException.XA_RBROLLBACK);
            assertThat(xaCode(() -> resource.prepare(xid))).isEqualTo(XAException.XA_RBROLLBACK);
            assertThat(xaCode(() -> resource.rollback(xid))).as("rolled back and forgotten by the prepare")
                    .isEqualTo(XAException.XAER_NOTA);
            Message again = consumer.receive(WAIT_MS);
            assertThat(text(again)).isEqualTo("work");
            assertThat(again.getJMSRedelivered()).isTrue();
        }
        assertThat(drain(transport, queue)).isEmpty();
    }

    @Test
    void aBranchNotPreparedWithinItsTimeoutRollsBackWithXaRbTimeout() throws Exception {
        String queue = fresh("xat");
        Xid xid = TestXid.of(fresh("g"), "b");
        try (XAConnection connection = xa("tcp").createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            assertThat(resource.setTransactionTimeout(1)).isTrue();
            assertThat(resource.getTransactionTimeout()).isEqualTo(1);
            resource.start(xid, XAResource.TMNOFLAGS);
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage("late"));
            Thread.sleep(1_200);
            assertThat(xaCode(() -> resource.end(xid, XAResource.TMSUCCESS))).isEqualTo(XAException.XA_RBTIMEOUT);
            assertThat(xaCode(() -> resource.prepare(xid))).isEqualTo(XAException.XA_RBTIMEOUT);
            assertThat(xaCode(() -> resource.setTransactionTimeout(-1))).isEqualTo(XAException.XAER_INVAL);
        }
        assertThat(drain("tcp", queue)).isEmpty();
    }

    @Test
    void callsOutOfSequenceOrForUnknownBranchesGetTheXaErrors() throws Exception {
        try (XAConnection connection = xa("tcp").createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            Xid unknown = TestXid.of(fresh("g"), "nobody");
            assertThat(xaCode(() -> resource.commit(unknown, false))).isEqualTo(XAException.XAER_NOTA);
            assertThat(xaCode(() -> resource.commit(unknown, true))).isEqualTo(XAException.XAER_NOTA);
            assertThat(xaCode(() -> resource.rollback(unknown))).isEqualTo(XAException.XAER_NOTA);
            assertThat(xaCode(() -> resource.prepare(unknown))).isEqualTo(XAException.XAER_NOTA);
            assertThat(xaCode(() -> resource.end(unknown, XAResource.TMSUCCESS))).isEqualTo(XAException.XAER_NOTA);
            assertThat(xaCode(() -> resource.start(unknown, XAResource.TMJOIN))).isEqualTo(XAException.XAER_NOTA);
            assertThat(xaCode(() -> resource.start(unknown, XAResource.TMRESUME))).isEqualTo(XAException.XAER_NOTA);
            assertThat(xaCode(() -> resource.forget(unknown))).isEqualTo(XAException.XAER_NOTA);

            Xid xid = TestXid.of(fresh("g"), "b");
            resource.start(xid, XAResource.TMNOFLAGS);
            assertThat(xaCode(() -> resource.start(TestXid.of(fresh("g"), "b"), XAResource.TMNOFLAGS)))
                    .as("a session works for one branch at a time").isEqualTo(XAException.XAER_PROTO);
            assertThat(xaCode(() -> resource.commit(xid, true))).as("committed while associated")
                    .isEqualTo(XAException.XAER_PROTO);
            assertThat(xaCode(() -> resource.start(xid, XAResource.TMRESUME))).isEqualTo(XAException.XAER_PROTO);
            session.createProducer(session.createQueue(fresh("xap"))).send(session.createTextMessage("x"));
            resource.end(xid, XAResource.TMSUCCESS);
            assertThat(xaCode(() -> resource.end(xid, XAResource.TMSUCCESS))).as("ended twice")
                    .isEqualTo(XAException.XAER_PROTO);
            assertThat(xaCode(() -> resource.commit(xid, false))).as("a two-phase commit before prepare")
                    .isEqualTo(XAException.XAER_PROTO);
            try (XAConnection other = xa("tcp").createXAConnection()) {
                XAResource elsewhere = other.createXASession().getXAResource();
                assertThat(xaCode(() -> elsewhere.start(xid, XAResource.TMNOFLAGS))).as("a second start of one Xid")
                        .isEqualTo(XAException.XAER_DUPID);
            }
            assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
            assertThat(xaCode(() -> resource.prepare(xid))).as("prepared twice").isEqualTo(XAException.XAER_PROTO);
            assertThat(xaCode(() -> resource.start(xid, XAResource.TMJOIN))).as("joined once prepared")
                    .isEqualTo(XAException.XAER_PROTO);
            assertThat(xaCode(() -> resource.forget(xid))).as("only heuristic outcomes are forgotten")
                    .isEqualTo(XAException.XAER_PROTO);
            resource.rollback(xid);
            resource.rollback(xid); // the broker remembers: a repeated rollback after a lost answer is fine
            assertThat(xaCode(() -> resource.commit(xid, false))).as("commit after rollback")
                    .isEqualTo(XAException.XA_RBROLLBACK);

            assertThat(xaCode(() -> resource.start(null, XAResource.TMNOFLAGS))).isEqualTo(XAException.XAER_INVAL);
            assertThat(xaCode(() -> resource.start(xid, XAResource.TMSUCCESS))).isEqualTo(XAException.XAER_INVAL);
            assertThat(xaCode(() -> resource.end(xid, XAResource.TMJOIN))).isEqualTo(XAException.XAER_INVAL);
            assertThat(xaCode(() -> resource.start(new TestXid(1, new byte[65], new byte[1]), XAResource.TMNOFLAGS)))
                    .as("a global transaction id over 64 bytes").isEqualTo(XAException.XAER_INVAL);
            assertThat(xaCode(() -> resource.start(new TestXid(1, new byte[0], new byte[1]), XAResource.TMNOFLAGS)))
                    .as("an empty global transaction id").isEqualTo(XAException.XAER_INVAL);
            assertThat(xaCode(() -> resource.start(new TestXid(-1, new byte[1], new byte[1]), XAResource.TMNOFLAGS)))
                    .as("the null Xid").isEqualTo(XAException.XAER_INVAL);
            assertThat(xaCode(() -> resource.recover(XAResource.TMNOFLAGS))).as("no scan started")
                    .isEqualTo(XAException.XAER_PROTO);
            assertThat(xaCode(() -> resource.recover(XAResource.TMJOIN))).isEqualTo(XAException.XAER_INVAL);
        }
    }

    // ---- transaction managers' recovery -----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aBranchPreparedOnOneConnectionIsRecoveredAndDecidedFromAnother(String transport) throws Exception {
        String queue = fresh("xarc");
        Xid toCommit = TestXid.of(fresh("g"), "b");
        Xid toRollBack = TestXid.of(fresh("g"), "b");
        try (XAConnection preparing = xa(transport).createXAConnection()) {
            XASession session = preparing.createXASession();
            XAResource resource = session.getXAResource();
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (Xid xid : List.of(toCommit, toRollBack)) {
                resource.start(xid, XAResource.TMNOFLAGS);
                producer.send(session.createTextMessage(xid == toCommit ? "commit" : "rollback"));
                resource.end(xid, XAResource.TMSUCCESS);
                assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
            }
        }
        try (XAConnection recovering = xa(transport).createXAConnection()) {
            XAResource resource = recovering.createXASession().getXAResource();
            Xid[] started = resource.recover(XAResource.TMSTARTRSCAN);
            assertThat(started).anyMatch(x -> sameXid(x, toCommit)).anyMatch(x -> sameXid(x, toRollBack));
            assertThat(resource.recover(XAResource.TMNOFLAGS)).isEmpty();
            assertThat(resource.recover(XAResource.TMENDRSCAN)).isEmpty();
            Xid listedCommit = Arrays.stream(started).filter(x -> sameXid(x, toCommit)).findFirst().orElseThrow();
            Xid listedRollBack = Arrays.stream(started).filter(x -> sameXid(x, toRollBack)).findFirst().orElseThrow();
            resource.commit(listedCommit, false);
            resource.commit(listedCommit, false); // a repeated commit after a lost answer is answered OK
            resource.rollback(listedRollBack);
            assertThat(recoverAll(resource)).noneMatch(x -> sameXid(x, toCommit) || sameXid(x, toRollBack));
            assertThat(xaCode(() -> resource.rollback(listedCommit))).as("rollback after commit")
                    .isEqualTo(XAException.XAER_PROTO);
        }
        assertThat(drain(transport, queue)).containsExactly("commit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aBranchEndedOnOneResourceIsCommittedInOnePhaseByAnother(String transport) throws Exception {
        String queue = fresh("xao");
        Xid xid = TestXid.of(fresh("g"), "b");
        try (XAConnection connection = xa(transport).createXAConnection();
             XAConnection other = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            session.getXAResource().start(xid, XAResource.TMNOFLAGS);
            session.createProducer(session.createQueue(queue)).send(session.createTextMessage("via another"));
            session.getXAResource().end(xid, XAResource.TMSUCCESS);
            other.createXASession().getXAResource().commit(xid, true);
        }
        assertThat(drain(transport, queue)).containsExactly("via another");
    }

    // ---- the session outside branches, and the API --------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void outsideAnyBranchTheSessionSendsAtOnceAndAcknowledgesAutomatically(String transport) throws Exception {
        String queue = fresh("xaauto");
        send(transport, queue, "one", "two");
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            assertThat(session.getTransacted()).isTrue();
            assertThat(session.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
            assertThat(session.getSession()).isSameAs(session);
            Queue q = session.createQueue(queue);
            MessageConsumer consumer = session.createConsumer(q);
            connection.start();
            assertThat(text(consumer.receive(WAIT_MS))).isEqualTo("one");
            session.createProducer(session.createQueue(queue + "-out")).send(session.createTextMessage("sent"));
            assertThat(drain(transport, queue + "-out")).containsExactly("sent");
            assertThatThrownBy(session::commit).isInstanceOf(TransactionInProgressException.class);
            assertThatThrownBy(session::rollback).isInstanceOf(TransactionInProgressException.class);
        }
        assertThat(drain(transport, queue)).as("'one' was acknowledged when receive returned it").containsExactly("two");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void anXaContextWorksInBranchesAndRefusesItsOwnCommit(String transport) throws Exception {
        String queue = fresh("xactx");
        Xid xid = TestXid.of(fresh("g"), "b");
        try (XAJMSContext context = xa(transport).createXAContext()) {
            assertThat(context.getTransacted()).isTrue();
            assertThat(context.getContext()).isSameAs(context);
            XAResource resource = context.getXAResource();
            resource.start(xid, XAResource.TMNOFLAGS);
            context.createProducer().send(context.createQueue(queue), "from a context");
            resource.end(xid, XAResource.TMSUCCESS);
            assertThat(drain(transport, queue)).isEmpty();
            assertThat(resource.prepare(xid)).isEqualTo(XAResource.XA_OK);
            resource.commit(xid, false);
            assertThatThrownBy(context::commit).isInstanceOf(TransactionInProgressRuntimeException.class);
            assertThatThrownBy(context::rollback).isInstanceOf(TransactionInProgressRuntimeException.class);
        }
        assertThat(drain(transport, queue)).containsExactly("from a context");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void aListenerWhoseDeliveriesATransactionManagerWrapsGetsARolledBackMessageAgainAndCommitsItOnce(String transport)
            throws Exception {
        String in = fresh("xalin");
        String out = fresh("xalout");
        send(transport, in, "job");
        List<String> attempts = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        try (XAConnection connection = xa(transport).createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            MessageProducer producer = session.createProducer(session.createQueue(out));
            // As a container delivers to a message-driven bean: the branch starts and ends around onMessage, inside it.
            session.createConsumer(session.createQueue(in)).setMessageListener(message -> {
                Xid xid = TestXid.of(fresh("mdb"), "b");
                try {
                    resource.start(xid, XAResource.TMNOFLAGS);
                    attempts.add(text(message) + "/" + message.getIntProperty("JMSXDeliveryCount"));
                    producer.send(session.createTextMessage("done " + text(message)));
                    if (attempts.size() == 1) {
                        resource.end(xid, XAResource.TMFAIL);
                        resource.rollback(xid);
                    } else {
                        resource.end(xid, XAResource.TMSUCCESS);
                        resource.commit(xid, true);
                    }
                } catch (Exception e) {
                    attempts.add("failed: " + e);
                } finally {
                    done.countDown();
                }
            });
            connection.start();
            assertThat(done.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(attempts).containsExactly("job/1", "job/2");
        }
        assertThat(drain(transport, out)).containsExactly("done job");
        assertThat(drain(transport, in)).isEmpty();
    }

    @Test
    void aLostConnectionIsXaerRmfailAndRollsAnUnpreparedBranchBack() throws Exception {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("lost").toString());
        StrandBroker lost = StrandBroker.start(BrokerConfig.from(properties), null);
        // Lost for good: the broker stays away longer than the failover deadline (a shorter absence goes unnoticed).
        StrandXAConnectionFactory factory = new StrandXAConnectionFactory("strand://127.0.0.1:"
                + lost.address().getPort() + "?failoverTimeoutMs=500");
        try (XAConnection connection = factory.createXAConnection()) {
            XASession session = connection.createXASession();
            XAResource resource = session.getXAResource();
            Xid xid = TestXid.of(fresh("g"), "b");
            resource.start(xid, XAResource.TMNOFLAGS);
            session.createProducer(session.createQueue("gone")).send(session.createTextMessage("lost"));
            assertThatThrownBy(session::recover).as("recover inside a branch").isInstanceOf(IllegalStateException.class);
            resource.end(xid, XAResource.TMSUCCESS);
            lost.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> ((StrandConnection) connection).isClosedOrLost());
            assertThat(xaCode(() -> resource.prepare(xid))).isEqualTo(XAException.XA_RBCOMMFAIL);
            assertThat(xaCode(() -> resource.recover(XAResource.TMSTARTRSCAN))).isEqualTo(XAException.XAER_RMFAIL);
            assertThat(xaCode(() -> resource.commit(TestXid.of(fresh("g"), "b"), false)))
                    .isEqualTo(XAException.XAER_RMFAIL);
            assertThat(xaCode(() -> resource.start(TestXid.of(fresh("g"), "b"), XAResource.TMNOFLAGS)))
                    .isEqualTo(XAException.XAER_RMFAIL);
        }
    }

    @Test
    void resourcesOfDifferentBrokersAreDifferentResourceManagers() throws Exception {
        try (XAConnection tcp = xa("tcp").createXAConnection(); XAConnection vm = xa("vm").createXAConnection();
             XAConnection tcpAgain = xa("tcp").createXAConnection()) {
            XAResource a = tcp.createXASession().getXAResource();
            XAResource b = vm.createXASession().getXAResource();
            XAResource c = tcpAgain.createXASession().getXAResource();
            assertThat(a.isSameRM(b)).isFalse();
            assertThat(a.isSameRM(c)).isTrue();
            assertThat(a.isSameRM(a)).isTrue();
        }
    }
}
