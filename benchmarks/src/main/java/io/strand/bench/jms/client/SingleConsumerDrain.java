package io.strand.bench.jms.client;

import io.strand.bench.jms.process.CpuWindow;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.concurrent.TimeUnit;

/**
 * One consumer on its own connection drains what it should from a preloaded queue with a
 * {@code receive()} loop (the shared harness' W3), optionally through a message selector. Timed from
 * the first message received to the last, so connection set-up is not counted; the time from starting
 * the connection is kept too, since a selector may have to pass many messages before its first match.
 * Once every expected message is in, the consumer waits a moment more: anything that still arrives
 * (a duplicate, a message the selector should have left) fails the workload.
 */
final class SingleConsumerDrain {
    private static final long POLL_MS = 200;

    private final ConnectionFactory factory;
    private final long brokerPid;
    private final long idleTimeoutNanos;
    private final long graceMs;

    SingleConsumerDrain(ConnectionFactory factory, long brokerPid, long idleTimeoutMs, long graceMs) {
        this.factory = factory;
        this.brokerPid = brokerPid;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.graceMs = graceMs;
    }

    /**
     * @param selector the consumer's message selector, or null for none
     * @param ledger   which messages must arrive; it holds the reason when the drain fails
     */
    WorkloadResult drain(String workload, Backlog backlog, int acknowledgeMode, String selector, DeliveryLedger ledger)
            throws JMSException {
        byte[] buffer = new byte[backlog.payloadBytes()];
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, acknowledgeMode);
            Queue queue = session.createQueue(backlog.queue());
            MessageConsumer consumer = selector == null ? session.createConsumer(queue)
                    : session.createConsumer(queue, selector);
            CpuWindow cpu = CpuWindow.open(brokerPid);
            long start = System.nanoTime();
            connection.start();
            boolean anyReceived = false;
            long first = start;
            long last = start;
            while (!ledger.complete() && ledger.problem() == null) {
                Message message = consumer.receive(POLL_MS);
                long now = System.nanoTime();
                if (message == null) {
                    if (now - last > idleTimeoutNanos) {
                        ledger.fail(stalled(ledger));
                    }
                    continue;
                }
                if (!anyReceived) {
                    anyReceived = true;
                    first = now;
                }
                last = now;
                Backlog.receive(message, buffer, ledger);
            }
            CpuWindow.Usage usage = cpu.close();
            if (ledger.problem() == null) {
                // receive(0) would wait for ever.
                Message extra = graceMs > 0 ? consumer.receive(graceMs) : consumer.receiveNoWait();
                if (extra != null) {
                    Backlog.receive(extra, buffer, ledger);
                }
            }
            if (ledger.problem() != null) {
                return WorkloadResult.failed(workload, ledger.problem());
            }
            return new WorkloadResult(workload, true, ledger.accepted(), (last - first) / 1e9, (last - start) / 1e9,
                    usage, "received each of the " + ledger.expectedCount() + " expected messages once (queue held "
                    + backlog.messages() + ")");
        }
    }

    private String stalled(DeliveryLedger ledger) {
        return "stalled: no message for " + TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNanos) + " s after "
                + ledger.accepted() + " of " + ledger.expectedCount() + " expected (first missing seq="
                + ledger.firstMissing() + ")";
    }
}
