package io.strand.bench.cluster;

import io.strand.bench.jms.process.Flags;
import io.strand.bench.jms.process.OrphanGuard;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The throughput benchmark's load generator for Strand (a JVM of its own): the shared whole-system harness' W1 and
 * W3 through the JMS API. Warm-up first, unreported: W1 for {@code --warmup-sec}, then its drain. Then W1, JMS 2.0
 * asynchronous persistent sends of 1 KiB {@code BytesMessage}s with a {@link CompletionListener} to a fresh queue
 * for {@code --w1-sec} with at most {@code --max-in-flight} unconfirmed, timed until the last send is confirmed;
 * and W3, one consumer draining that backlog with
 * {@code AUTO_ACKNOWLEDGE} {@code receive()}, timed from the first message to the last. Prints one
 * {@link ThroughputRow} per workload, with the CPU of the processes named in {@code --pids}.
 */
public final class JmsThroughputLoad {
    private static final Set<String> FLAGS = Set.of("url", "warmup-sec", "w1-sec", "pids", "payload", "max-messages",
            "max-in-flight");
    /**
     * Unconfirmed sends at most, 32 MiB of 1 KiB messages as Kafka's producer buffers ({@code buffer.memory}): the
     * Strand client queues asynchronous sends without bound, and a producer that never waits fills a 2 GiB heap
     * within seconds.
     */
    private static final int MAX_IN_FLIGHT = 32_768;

    private JmsThroughputLoad() {
    }

    public static void main(String[] args) throws Exception {
        OrphanGuard.start();
        Flags flags = Flags.parse(args, FLAGS);
        ConnectionFactory factory = new StrandConnectionFactory(flags.required("url"));
        int warmupSec = flags.integer("warmup-sec", 20, 0);
        int w1Sec = flags.integer("w1-sec", 10, 1);
        long max = flags.number("max-messages", 5_000_000, 1);
        int window = flags.integer("max-in-flight", MAX_IN_FLIGHT, 1);
        Map<String, Long> pids = ThroughputLoads.pids(flags.string("pids", ""));
        byte[][] payloads = ThroughputLoads.payloads(flags.integer("payload", 1024, 1));

        long warm = produce(factory, "warmup", payloads, warmupSec, max, window, null).messages();
        drain(factory, "warmup", warm, null);
        ThroughputRow w1 = produce(factory, "bench.w1", payloads, w1Sec, max, window, pids);
        System.out.println(ThroughputRow.PREFIX + w1.toLine());
        System.out.println(ThroughputRow.PREFIX + drain(factory, "bench.w1", w1.messages(), pids).toLine());
        System.exit(0);
    }

    private static ThroughputRow produce(ConnectionFactory factory, String queue, byte[][] payloads, int seconds,
                                         long max, int window, Map<String, Long> pids) throws Exception {
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore inFlight = new Semaphore(window); // blocks, not spins: the client's threads need the cores
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                completed.incrementAndGet();
                inFlight.release();
            }

            @Override
            public void onException(Message message, Exception exception) {
                failed.incrementAndGet();
                completed.incrementAndGet();
                inFlight.release();
            }
        };
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            producer.setDisableMessageID(true);
            producer.setDisableMessageTimestamp(true);
            CpuWindow cpu = pids == null ? null : CpuWindow.open(pids);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (sent < max && ((sent & 1023) != 0 || System.nanoTime() < end)) {
                inFlight.acquire();
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(payloads[(int) (sent % payloads.length)]);
                producer.send(message, listener);
                sent++;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (completed.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            String note = (completed.get() < sent ? "TIMEOUT confirmed " + completed.get() + " " : "")
                    + (failed.get() > 0 ? "FAILED sends " + failed.get() : "");
            return new ThroughputRow("W1", sent, elapsed, cpu == null ? Map.of() : cpu.close(), note.trim());
        }
    }

    private static ThroughputRow drain(ConnectionFactory factory, String queue, long expected, Map<String, Long> pids)
            throws Exception {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            CpuWindow cpu = pids == null ? null : CpuWindow.open(pids);
            connection.start();
            long got = 0;
            long first = 0;
            long checksum = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            byte[] body = new byte[64 * 1024];
            while (got < expected && System.nanoTime() < deadline) {
                Message message = consumer.receive(1000);
                if (message == null) {
                    continue;
                }
                if (got == 0) {
                    first = System.nanoTime();
                }
                checksum += ((BytesMessage) message).readBytes(body);
                got++;
            }
            double elapsed = (System.nanoTime() - first) / 1e9;
            String note = got < expected ? "INCOMPLETE got " + got + " of " + expected : "bytes " + checksum;
            return new ThroughputRow("W3", got, elapsed, cpu == null ? Map.of() : cpu.close(), note);
        }
    }
}
