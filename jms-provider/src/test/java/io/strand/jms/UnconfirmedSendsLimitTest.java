package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.protocol.ApiKey;
import io.strand.protocol.Produce;
import io.strand.record.RecordBatch;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A producer faster than its broker confirms, against a {@link FakeBroker} that holds its PRODUCE answers: the
 * connection keeps at most {@code maxUnconfirmedSendBytes} of asynchronous and NON_PERSISTENT sends unconfirmed, a
 * send past it waits for room, and every send still completes once the broker answers.
 */
class UnconfirmedSendsLimitTest {
    private static final int LIMIT = 16 * 1024;
    private static final int PAYLOAD = 1024;

    private FakeBroker broker;
    private StrandConnection connection;
    private Session session;
    private MessageProducer producer;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        broker.holdProduceAnswers = true;
        connection = broker.connect("?maxUnconfirmedSendBytes=" + LIMIT + "&requestTimeoutMs=30000&lingerMs=0");
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue("orders"));
    }

    @AfterEach
    void stop() throws Exception {
        broker.holdProduceAnswers = false;
        broker.releaseProduceAnswers();
        connection.close();
        broker.close();
    }

    private BytesMessage payload(int seq) throws JMSException {
        final BytesMessage message = session.createBytesMessage();
        message.writeBytes(new byte[PAYLOAD]);
        message.setIntProperty("seq", seq);
        return message;
    }

    private static void waitUntil(long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + timeoutMs + " ms").isLessThan(deadlineNs);
            Thread.sleep(5);
        }
    }

    /** Counts completions and failures of asynchronous sends. */
    private static final class Outcomes implements CompletionListener {
        final AtomicInteger completed = new AtomicInteger();
        final List<Exception> failed = new CopyOnWriteArrayList<>();

        @Override
        public void onCompletion(Message message) {
            completed.incrementAndGet();
        }

        @Override
        public void onException(Message message, Exception exception) {
            failed.add(exception);
        }
    }

    /** Sends {@code count} messages asynchronously on another thread; completes with what a send threw, or null. */
    private CompletableFuture<Exception> sendAsynchronously(int count, Outcomes outcomes, AtomicInteger handedOver) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                for (int seq = 0; seq < count; seq++) {
                    producer.send(payload(seq), outcomes);
                    handedOver.incrementAndGet();
                }
                return null;
            } catch (JMSException e) {
                return e;
            }
        });
    }

    @Test
    void shouldNeverHaveMoreThanTheLimitUnconfirmedAndCompleteEverySend() throws Exception {
        final int count = 200;
        final Outcomes outcomes = new Outcomes();
        final AtomicInteger handedOver = new AtomicInteger();
        final CompletableFuture<Exception> sender = sendAsynchronously(count, outcomes, handedOver);

        // The broker answers nothing: the sender stops at the limit, with about 16 of its 200 sends on their way.
        waitUntil(10000, () -> connection.unconfirmedSends().bytes() > LIMIT - 2 * PAYLOAD);
        Thread.sleep(200);
        assertThat(sender).as("blocked at the limit").isNotDone();
        assertThat(handedOver.get()).isLessThan(LIMIT / PAYLOAD);
        assertThat(connection.unconfirmedSends().bytes()).isLessThanOrEqualTo(LIMIT);
        assertThat(outcomes.completed.get()).isZero();

        // The broker answers slowly, a few at a time: the sender goes on in step, never past the limit.
        final AtomicLong most = new AtomicLong();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!sender.isDone() || outcomes.completed.get() + outcomes.failed.size() < count)
                && System.nanoTime() < deadlineNs) {
            most.accumulateAndGet(connection.unconfirmedSends().bytes(), Math::max);
            broker.releaseProduceAnswers();
            Thread.sleep(5);
        }
        assertThat(sender.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(outcomes.failed).isEmpty();
        assertThat(outcomes.completed.get()).isEqualTo(count);
        assertThat(most.get()).isPositive().isLessThanOrEqualTo(LIMIT);
        waitUntil(5000, () -> connection.unconfirmedSends().bytes() == 0);
        assertThat(broker.requests(ApiKey.PRODUCE).stream()
                .mapToInt(r -> new RecordBatch().wrap(((Produce.Request) r.body()).records().nioBuffer(), 0).recordCount())
                .sum()).as("every send reached the broker once").isEqualTo(count);
    }

    @Test
    void shouldCountNonPersistentSendsThatReturnBeforeTheBrokerAnswers() throws Exception {
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        final CompletableFuture<Exception> sender = CompletableFuture.supplyAsync(() -> {
            try {
                for (int seq = 0; seq < 100; seq++) {
                    producer.send(payload(seq));
                }
                return null;
            } catch (JMSException e) {
                return e;
            }
        });
        waitUntil(10000, () -> connection.unconfirmedSends().bytes() > LIMIT - 2 * PAYLOAD);
        Thread.sleep(200);
        assertThat(sender).isNotDone();
        assertThat(connection.unconfirmedSends().bytes()).isLessThanOrEqualTo(LIMIT);

        broker.holdProduceAnswers = false;
        broker.releaseProduceAnswers();
        assertThat(sender.get(10, TimeUnit.SECONDS)).isNull();
        waitUntil(5000, () -> connection.unconfirmedSends().bytes() == 0);
    }

    @Test
    void shouldFailASendThatFindsNoRoomWithinTheRequestTimeout() throws Exception {
        // Over a wire that cannot fail over a send waits for room as long as for an answer: requestTimeoutMs.
        try (StrandConnection impatient = broker.connect("?maxUnconfirmedSendBytes=" + LIMIT + "&requestTimeoutMs=300")) {
            final Session s = impatient.createSession(Session.AUTO_ACKNOWLEDGE);
            final MessageProducer p = s.createProducer(s.createQueue("orders"));
            final Outcomes outcomes = new Outcomes();
            Exception thrown = null;
            for (int seq = 0; seq < 100 && thrown == null; seq++) {
                final BytesMessage message = s.createBytesMessage();
                message.writeBytes(new byte[PAYLOAD]);
                try {
                    p.send(message, outcomes);
                } catch (JMSException e) {
                    thrown = e;
                }
            }
            assertThat(thrown).isInstanceOf(ResourceAllocationException.class)
                    .hasMessageContaining("maxUnconfirmedSendBytes=" + LIMIT).hasMessageContaining("300 ms")
                    .hasMessageContaining("sending to queue://orders");
            broker.holdProduceAnswers = false;
            broker.releaseProduceAnswers();
        }
    }

    @Test
    void shouldWakeABlockedSendWhenTheConnectionFailsForGood() throws Exception {
        final Outcomes outcomes = new Outcomes();
        final AtomicInteger handedOver = new AtomicInteger();
        final CompletableFuture<Exception> sender = sendAsynchronously(100, outcomes, handedOver);
        waitUntil(10000, () -> connection.unconfirmedSends().bytes() > LIMIT - 2 * PAYLOAD);
        Thread.sleep(100);
        assertThat(sender).isNotDone();

        broker.dropConnections(); // a connection that cannot fail over fails for good at once
        final Exception thrown = sender.get(10, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(JMSException.class).isNotInstanceOf(ResourceAllocationException.class)
                .hasMessageContaining("sending to queue://orders");
        assertThat(((JMSException) thrown).getErrorCode()).isEqualTo("CONNECTION_LOST");
        waitUntil(10000, () -> outcomes.failed.size() == handedOver.get());
        assertThat(outcomes.completed.get()).isZero();
    }
}
