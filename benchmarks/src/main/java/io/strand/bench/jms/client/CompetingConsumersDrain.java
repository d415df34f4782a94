package io.strand.bench.jms.client;

import io.strand.bench.jms.process.CpuWindow;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Several consumers, each on its own connection and thread, drain one preloaded queue together with
 * AUTO_ACKNOWLEDGE. All consumers exist before any connection starts, so none gets a head start
 * while the others are still being created; the window runs from the first message any of them
 * receives to the moment the last expected message is in. One shared ledger sees every delivery, so
 * a message given to two consumers fails the workload.
 */
final class CompetingConsumersDrain {
    private static final long POLL_MS = 200;

    private final ConnectionFactory factory;
    private final long brokerPid;
    private final long idleTimeoutNanos;
    private final long graceMs;

    CompetingConsumersDrain(ConnectionFactory factory, long brokerPid, long idleTimeoutMs, long graceMs) {
        this.factory = factory;
        this.brokerPid = brokerPid;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.graceMs = graceMs;
    }

    WorkloadResult drain(String workload, Backlog backlog, int consumerCount)
            throws JMSException, InterruptedException {
        DeliveryLedger ledger = DeliveryLedger.all(backlog.messages());
        List<Connection> connections = new ArrayList<>();
        try {
            List<MessageConsumer> consumers = new ArrayList<>();
            for (int i = 0; i < consumerCount; i++) {
                Connection connection = factory.createConnection();
                connections.add(connection);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                consumers.add(session.createConsumer(session.createQueue(backlog.queue())));
            }
            AtomicLong first = new AtomicLong();
            AtomicLong last = new AtomicLong();
            AtomicLongArray perConsumer = new AtomicLongArray(consumerCount);
            CountDownLatch done = new CountDownLatch(consumerCount);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < consumerCount; i++) {
                int index = i;
                Thread thread = new Thread(() -> {
                    try {
                        consume(consumers.get(index), backlog.payloadBytes(), ledger, first, last, perConsumer, index);
                    } finally {
                        done.countDown();
                    }
                }, "competing-consumer-" + i);
                threads.add(thread);
            }
            CpuWindow cpu = CpuWindow.open(brokerPid);
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            for (Connection connection : connections) {
                connection.start();
            }
            watch(ledger, done);
            CpuWindow.Usage usage = cpu.close();
            for (Thread thread : threads) {
                thread.join();
            }
            if (ledger.problem() == null) {
                checkNothingMore(consumers, backlog.payloadBytes(), ledger);
            }
            if (ledger.problem() != null) {
                return WorkloadResult.failed(workload, ledger.problem());
            }
            StringBuilder shares = new StringBuilder();
            for (int i = 0; i < consumerCount; i++) {
                shares.append(i == 0 ? "" : "/").append(perConsumer.get(i));
            }
            return new WorkloadResult(workload, true, ledger.accepted(), (last.get() - first.get()) / 1e9,
                    (last.get() - start) / 1e9, usage, consumerCount + " consumers received each of the "
                    + ledger.expectedCount() + " messages once; per consumer " + shares);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private static void consume(MessageConsumer consumer, int payloadBytes, DeliveryLedger ledger, AtomicLong first,
                                AtomicLong last, AtomicLongArray perConsumer, int index) {
        byte[] buffer = new byte[payloadBytes];
        try {
            while (!ledger.complete() && ledger.problem() == null) {
                Message message = consumer.receive(POLL_MS);
                if (message == null) {
                    continue;
                }
                long now = System.nanoTime();
                first.compareAndSet(0, now);
                if (Backlog.receive(message, buffer, ledger)) {
                    perConsumer.incrementAndGet(index);
                    if (ledger.complete()) {
                        last.accumulateAndGet(now, Math::max);
                    }
                }
            }
        } catch (JMSException | RuntimeException e) {
            ledger.fail("consumer " + index + " failed: " + e);
        }
    }

    /** Waits until the consumers are done, failing the ledger when no message arrives for the idle timeout. */
    private void watch(DeliveryLedger ledger, CountDownLatch done) throws InterruptedException {
        int seen = ledger.accepted();
        long lastProgress = System.nanoTime();
        while (!done.await(100, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            if (ledger.accepted() != seen) {
                seen = ledger.accepted();
                lastProgress = now;
            } else if (now - lastProgress > idleTimeoutNanos) {
                ledger.fail("stalled: no message for " + TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNanos)
                        + " s after " + seen + " of " + ledger.expectedCount() + " (first missing seq="
                        + ledger.firstMissing() + ")");
            }
        }
    }

    /** After the last expected message, nothing more may arrive at any consumer. */
    private void checkNothingMore(List<MessageConsumer> consumers, int payloadBytes, DeliveryLedger ledger)
            throws JMSException {
        byte[] buffer = new byte[payloadBytes];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
        for (MessageConsumer consumer : consumers) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            Message extra = left > 0 ? consumer.receive(left) : consumer.receiveNoWait();
            if (extra != null) {
                Backlog.receive(extra, buffer, ledger);
                return;
            }
        }
    }
}
