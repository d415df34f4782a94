package io.strand.bench.jms.client;

import io.strand.bench.jms.process.CpuWindow;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fills a queue with its backlog: one producer, persistent messages, JMS 2.0 asynchronous sends with a
 * {@link CompletionListener} (the shared harness' W1), done when the broker has confirmed every send.
 * Its rate is reported too, as a reference, but the queue's contents are what the drains need.
 */
final class Preloader {
    private final ConnectionFactory factory;
    private final long brokerPid;
    private final long idleTimeoutNanos;

    Preloader(ConnectionFactory factory, long brokerPid, long idleTimeoutMs) {
        this.factory = factory;
        this.brokerPid = brokerPid;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
    }

    WorkloadResult fill(Backlog backlog) throws JMSException, InterruptedException {
        byte[][] payloads = backlog.payloads();
        AtomicLong confirmed = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                confirmed.incrementAndGet();
            }

            @Override
            public void onException(Message message, Exception exception) {
                error.compareAndSet(null, "a send failed: " + exception);
                confirmed.incrementAndGet();
            }
        };
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(backlog.queue()));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.setDisableMessageID(true);
            producer.setDisableMessageTimestamp(true);
            CpuWindow cpu = CpuWindow.open(brokerPid);
            long start = System.nanoTime();
            for (int seq = 0; seq < backlog.messages(); seq++) {
                producer.send(backlog.create(session, seq, payloads), listener);
            }
            long lastProgress = System.nanoTime();
            long seenConfirmed = confirmed.get();
            while (confirmed.get() < backlog.messages()) {
                Thread.sleep(1);
                long now = System.nanoTime();
                if (confirmed.get() != seenConfirmed) {
                    seenConfirmed = confirmed.get();
                    lastProgress = now;
                } else if (now - lastProgress > idleTimeoutNanos) {
                    return WorkloadResult.failed(WorkloadResult.SEND, "only " + seenConfirmed + " of "
                            + backlog.messages() + " sends to " + backlog.queue() + " were confirmed");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuWindow.Usage usage = cpu.close();
            if (error.get() != null) {
                return WorkloadResult.failed(WorkloadResult.SEND, error.get());
            }
            return new WorkloadResult(WorkloadResult.SEND, true, backlog.messages(), seconds, seconds, usage,
                    "persistent async sends to " + backlog.queue() + " all confirmed");
        }
    }
}
