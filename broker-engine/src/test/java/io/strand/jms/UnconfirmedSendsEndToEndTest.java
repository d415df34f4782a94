package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JMS 2.0 asynchronous sends as fast as a producer can make them, against a real broker that forces every batch to
 * disk before it confirms: the connection holds at most {@code maxUnconfirmedSendBytes} of them unconfirmed (the
 * benchmarks once ran a client out of heap with a million sends queued), and every one completes and arrives.
 */
class UnconfirmedSendsEndToEndTest {
    private static final int LIMIT = 64 * 1024;
    private static final int COUNT = 5_000;
    private static final long WAIT_MS = 60_000;

    @TempDir
    Path dir;

    @Test
    void aProducerFasterThanTheBrokerIsHeldAtTheLimitAndEverySendCompletes() throws Exception {
        final Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.toString());
        final StrandBroker broker = StrandBroker.start(BrokerConfig.from(properties), null);
        final String url = "strand://127.0.0.1:" + broker.address().getPort() + "?maxUnconfirmedSendBytes=" + LIMIT;
        try (Connection connection = new StrandConnectionFactory(url).createConnection()) {
            final StrandConnection strand = (StrandConnection) connection;
            final Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            final Queue queue = session.createQueue("unconfirmed.bound");
            final MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);

            final AtomicLong most = new AtomicLong();
            final AtomicBoolean sending = new AtomicBoolean(true);
            final Thread sampler = new Thread(() -> {
                while (sending.get()) {
                    most.accumulateAndGet(strand.unconfirmedSends().bytes(), Math::max);
                    Thread.onSpinWait();
                }
            }, "unconfirmed-sampler");
            sampler.setDaemon(true);
            sampler.start();

            final CountDownLatch completed = new CountDownLatch(COUNT);
            final List<Exception> failed = new CopyOnWriteArrayList<>();
            final CompletionListener listener = new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    completed.countDown();
                }

                @Override
                public void onException(Message message, Exception exception) {
                    failed.add(exception);
                    completed.countDown();
                }
            };
            final byte[] payload = new byte[1024];
            for (int i = 0; i < COUNT; i++) {
                final BytesMessage message = session.createBytesMessage();
                message.writeBytes(payload);
                producer.send(message, listener);
            }
            assertThat(completed.await(WAIT_MS, TimeUnit.MILLISECONDS)).as("every send completed").isTrue();
            sending.set(false);
            sampler.join(WAIT_MS);

            assertThat(failed).isEmpty();
            assertThat(most.get()).as("unconfirmed bytes at most").isLessThanOrEqualTo(LIMIT)
                    .as("the producer was ahead of the broker").isGreaterThan(LIMIT / 4);

            connection.start();
            final MessageConsumer consumer = session.createConsumer(queue);
            int received = 0;
            while (received < COUNT && consumer.receive(WAIT_MS) != null) {
                received++;
            }
            assertThat(received).isEqualTo(COUNT);
        } finally {
            broker.close();
        }
    }
}
