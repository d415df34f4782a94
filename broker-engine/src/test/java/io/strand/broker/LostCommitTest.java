package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.StrandConnectionFactory;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that never reached the broker: the network cut the client off right after the request left, and the
 * request arrives later still, on the connection the client gave up on. The client, connected again, asks whether
 * the commit happened; the broker says no and refuses the late commit, so the answer stays true: the transaction is
 * rolled back, none of its sends appear, and what it received comes again. A commit that only acknowledged has no
 * stamp to ask about and is in doubt.
 */
class LostCommitTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path dataDir;
    private StrandBroker broker;
    private CommitHoldingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dataDir.toString());
        broker = StrandBroker.start(BrokerConfig.from(properties), null);
        proxy = new CommitHoldingProxy(broker.address());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        broker.close();
    }

    private StrandConnectionFactory direct() {
        return new StrandConnectionFactory("strand://127.0.0.1:" + broker.address().getPort());
    }

    @Test
    void aCommitThatArrivesAfterItsClientWasToldItDidNotHappenIsRefused() throws Exception {
        send("inbox", "input");
        try (Connection connection = throughProxy().createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer inbox = session.createConsumer(session.createQueue("inbox"));
            connection.start();
            assertThat(((TextMessage) inbox.receive(WAIT_MS)).getText()).isEqualTo("input");
            MessageProducer producer = session.createProducer(null);
            producer.send(session.createQueue("billing"), session.createTextMessage("billed"));
            producer.send(session.createQueue("shipping"), session.createTextMessage("shipped"));

            proxy.holdNextCommit();
            assertThatThrownBy(session::commit).isInstanceOf(TransactionRolledBackException.class)
                    .hasMessageContaining("did not reach the broker");

            ResponseStatus late = proxy.deliverHeldCommit().get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(late.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(late.describe()).contains("told it did not happen");
            proxy.closeHeldConnection(); // the broker gives back what the lost connection had received

            Message again = inbox.receive(WAIT_MS);
            assertThat(((TextMessage) again).getText()).isEqualTo("input");
            assertThat(again.getJMSRedelivered()).isTrue();
            producer.send(session.createQueue("billing"), session.createTextMessage("billed again"));
            session.commit();
        }
        assertThat(drain("billing")).containsExactly("billed again");
        assertThat(drain("shipping")).isEmpty();
        assertThat(drain("inbox")).isEmpty();
    }

    /**
     * A commit that only acknowledges has no stamp to ask about. Whether it reaches the broker late or never, commit
     * reports that its outcome is unknown, never success: a late one consumed the message, a lost one leaves it to
     * come again, marked redelivered. An application told "committed" never sees those messages again.
     */
    @Test
    void aCommitThatOnlyAcknowledgedAndLostItsConnectionIsInDoubtAndTheMessageIsConsumedOrComesAgainRedelivered()
            throws Exception {
        send("inbox", "first", "second");
        try (Connection connection = throughProxy().createConnection()) {
            Session session = connection.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer inbox = session.createConsumer(session.createQueue("inbox"));
            connection.start();
            assertThat(((TextMessage) inbox.receive(WAIT_MS)).getText()).isEqualTo("first");
            proxy.holdNextCommit();
            assertInDoubt(session);
            ResponseStatus late = proxy.deliverHeldCommit().get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(late.isOk()).as("the late commit, on a connection its broker still had: %s", late).isTrue();
            proxy.closeHeldConnection();

            Message next = inbox.receive(WAIT_MS);
            assertThat(((TextMessage) next).getText()).as("the first was consumed by the late commit")
                    .isEqualTo("second");
            proxy.holdNextCommit();
            assertInDoubt(session);
            proxy.closeHeldConnection(); // this one never arrives: the broker gives back what that connection held

            Message again = inbox.receive(WAIT_MS);
            assertThat(((TextMessage) again).getText()).isEqualTo("second");
            assertThat(again.getJMSRedelivered()).isTrue();
            session.commit();
        }
        assertThat(drain("inbox")).isEmpty();
    }

    private static void assertInDoubt(Session session) {
        assertThatThrownBy(session::commit).isInstanceOf(JMSException.class)
                .isNotInstanceOf(TransactionRolledBackException.class)
                .satisfies(e -> assertThat(((JMSException) e).getErrorCode()).isEqualTo("TRANSACTION_IN_DOUBT"));
    }

    private StrandConnectionFactory throughProxy() {
        return new StrandConnectionFactory("strand://127.0.0.1:" + proxy.port()
                + "?failoverTimeoutMs=30000&reconnectBackoffMs=20&reconnectBackoffMaxMs=200");
    }

    private void send(String queue, String... texts) throws JMSException {
        try (Connection connection = direct().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (String text : texts) {
                producer.send(session.createTextMessage(text));
            }
        }
    }

    private List<String> drain(String queue) throws JMSException {
        try (Connection connection = direct().createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            connection.start();
            List<String> texts = new ArrayList<>();
            for (Message m = consumer.receive(1000); m != null; m = consumer.receive(300)) {
                texts.add(((TextMessage) m).getText());
            }
            return texts;
        }
    }
}
