package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.ApiKey;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.Shares;
import io.strand.protocol.Transactions;
import io.strand.record.RecordBatch;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TransactionRolledBackException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transacted session against a {@link FakeBroker}: what its COMMIT carries (one entry per partition,
 * acknowledgements in each consumer's style, nothing sent before), and how the outcome of a commit
 * reaches the application: refused means rolled back and redelivered, a storage failure means unknown.
 */
class TransactionMessagingTest {
    private FakeBroker broker;
    private StrandConnection connection;
    private Queue orders;
    private Queue invoices;
    private Topic news;

    @BeforeEach
    void start() throws Exception {
        orders = new StrandQueue("orders");
        invoices = new StrandQueue("invoices");
        news = new StrandTopic("news");
        broker = new FakeBroker();
        connection = broker.connect("");
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    private void sendPlain(Queue queue, String text) throws JMSException {
        final Session s = connection.createSession();
        s.createProducer(queue).send(s.createTextMessage(text));
        s.close();
    }

    private Transactions.CommitRequest onlyCommit() {
        assertThat(broker.requests(ApiKey.COMMIT)).hasSize(1);
        return (Transactions.CommitRequest) broker.requests(ApiKey.COMMIT).get(0).body();
    }

    private static int recordCount(Transactions.PartitionRecords records) {
        final ByteBuffer bytes = records.records().nioBuffer();
        final RecordBatch batch = new RecordBatch();
        int count = 0;
        for (int pos = 0; pos < bytes.limit(); pos += batch.sizeInBytes()) {
            count += batch.wrap(bytes, pos).recordCount();
        }
        return count;
    }

    private static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited 5 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void shouldCarryEverySendAndAcknowledgementInOneCommit() throws Exception {
        sendPlain(orders, "in");
        final Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        final MessageConsumer receiver = session.createConsumer(orders);
        final MessageConsumer subscriber = session.createConsumer(news);
        connection.start();
        final Message received = receiver.receive(5000);
        assertThat(text(received)).isEqualTo("in");
        final MessageProducer producer = session.createProducer(null);
        producer.send(news, session.createTextMessage("n1"));
        final Message n1 = subscriber.receive(200);
        assertThat(text(n1)).isNull(); // staged: not even its own subscriber sees it before the commit
        producer.send(invoices, session.createTextMessage("i1"));
        producer.send(invoices, session.createTextMessage("i2"));
        final int producedBefore = broker.requests(ApiKey.PRODUCE).size();

        session.commit();
        assertThat(broker.requests(ApiKey.PRODUCE)).hasSize(producedBefore); // nothing was sent outside the commit
        assertThat(broker.requests(ApiKey.SHARE_ACKNOWLEDGE)).isEmpty();
        final Transactions.CommitRequest commit = onlyCommit();
        assertThat(commit.records()).extracting(Transactions.PartitionRecords::destination)
                .containsExactly("news", "invoices");
        assertThat(commit.records().get(0).type()).isEqualTo(DestinationType.TOPIC);
        assertThat(recordCount(commit.records().get(0))).isEqualTo(1);
        assertThat(recordCount(commit.records().get(1))).isEqualTo(2);
        assertThat(commit.queueAcks()).hasSize(1);
        assertThat(commit.queueAcks().get(0).ranges()).containsExactly(new Shares.AckRange(0, 0, Shares.AckType.ACCEPT));
        assertThat(commit.topicAcks()).isEmpty(); // the subscriber received nothing yet
    }

    @Test
    void shouldRollBackAndRedeliverWhenTheBrokerRefusesTheCommit() throws Exception {
        sendPlain(orders, "in");
        final Session session = connection.createSession(Session.SESSION_TRANSACTED);
        final MessageConsumer receiver = session.createConsumer(orders);
        connection.start();
        assertThat(text(receiver.receive(5000))).isEqualTo("in");
        session.createProducer(invoices).send(session.createTextMessage("out"));
        broker.errors.put(ApiKey.COMMIT, ResponseStatus.of(ErrorCode.UNKNOWN_DESTINATION, "queue invoices is gone"));

        assertThatThrownBy(session::commit).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("invoices is gone");
        assertThat(broker.requests(ApiKey.SHARE_ACKNOWLEDGE)).isEmpty();
        final List<Shares.OffsetRange> redelivered = broker.requests(ApiKey.SHARE_REDELIVER).stream()
                .flatMap(r -> ((Shares.RedeliverRequest) r.body()).ranges().stream()).toList();
        assertThat(redelivered).containsExactly(new Shares.OffsetRange(0, 0));
        final Message again = receiver.receive(5000);
        assertThat(text(again)).isEqualTo("in");
        assertThat(again.getJMSRedelivered()).isTrue();

        broker.errors.remove(ApiKey.COMMIT);
        session.commit();
        final Transactions.CommitRequest second = (Transactions.CommitRequest) broker.requests(ApiKey.COMMIT).get(1).body();
        assertThat(second.records()).as("the refused transaction's send is gone").isEmpty();
        assertThat(second.queueAcks()).hasSize(1);
    }

    @Test
    void shouldReportAnUnknownOutcomeWhenTheBrokerStorageFails() throws Exception {
        final Session session = connection.createSession(Session.SESSION_TRANSACTED);
        session.createProducer(invoices).send(session.createTextMessage("out"));
        broker.errors.put(ApiKey.COMMIT, ResponseStatus.of(ErrorCode.STORAGE_ERROR, "disk failed"));
        assertThatThrownBy(session::commit).isInstanceOf(JMSException.class)
                .isNotInstanceOf(TransactionRolledBackException.class).hasMessageContaining("unknown")
                .satisfies(e -> assertThat(((JMSException) e).getErrorCode()).isEqualTo(SessionTransaction.IN_DOUBT));
        assertThat(broker.requests(ApiKey.COMMIT_STATUS)).as("asked, and the broker could not tell").hasSize(1);
        broker.errors.remove(ApiKey.COMMIT);
        session.commit(); // a new, empty transaction: nothing to send
        assertThat(broker.requests(ApiKey.COMMIT)).hasSize(1);
    }

    @Test
    void shouldRollBackWhenTheConnectionWasLostBeforeTheCommit() throws Exception {
        final Session session = connection.createSession(Session.SESSION_TRANSACTED);
        session.createProducer(invoices).send(session.createTextMessage("out"));
        broker.dropConnections();
        waitFor(() -> connection.cluster().isFailed());
        assertThatThrownBy(session::commit).isInstanceOf(TransactionRolledBackException.class)
                .hasMessageContaining("lost");
        assertThat(broker.requests(ApiKey.COMMIT)).isEmpty();
    }

    @Test
    void shouldKeepAConsumerClosedInsideTheTransactionOpenOnTheBrokerUntilTheCommit() throws Exception {
        sendPlain(orders, "in");
        final Session session = connection.createSession(Session.SESSION_TRANSACTED);
        final MessageConsumer receiver = session.createConsumer(orders);
        connection.start();
        assertThat(text(receiver.receive(5000))).isEqualTo("in");
        receiver.close();
        assertThat(broker.requests(ApiKey.CLOSE_CONSUMER)).isEmpty();
        session.commit();
        assertThat(onlyCommit().queueAcks()).hasSize(1);
        assertThat(broker.requests(ApiKey.CLOSE_CONSUMER)).hasSize(1);
        assertThatThrownBy(() -> receiver.receive(10)).isInstanceOf(jakarta.jms.IllegalStateException.class);
    }
}
