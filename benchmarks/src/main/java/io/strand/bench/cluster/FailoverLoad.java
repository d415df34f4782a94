package io.strand.bench.cluster;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The steady load of the failover benchmark: producer threads, each on its own connection, send persistent
 * 1 KiB messages with blocking {@code send()} (acknowledged once the in-sync replicas hold them), together at a
 * fixed rate; consumer threads, each on its own connection, receive them with {@code AUTO_ACKNOWLEDGE}. Each
 * consumer has a queue of its own, fed by every {@code consumers}-th producer: consumers competing on one queue
 * may legitimately get nothing for seconds while another holds the prefetched messages, which would hide a
 * consumer stalled by a failover. Every acknowledged send and every receipt is put on its thread's {@link Timeline}.
 * A send that fails is sent again (on a new connection when the source gives one), so a producer never skips a
 * sequence number; whatever was acknowledged must be received at least once, which {@link #lostAcknowledged()}
 * checks at the end.
 */
public final class FailoverLoad implements AutoCloseable {
    private static final String PRODUCER = "p";
    private static final String SEQUENCE = "s";

    private final ConnectionSource source;
    private final String queuePrefix;
    private final int consumers;
    private final int producers;
    private final long periodNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Timeline> sendTimelines = new ArrayList<>();
    private final List<Timeline> receiveTimelines = new ArrayList<>();
    private final AtomicLong[] acknowledged;
    private final BitSet[] received;
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong receiveFailures = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final byte[][] payloads;
    private volatile String lastFailure = "none";
    private volatile boolean producing = true;
    private volatile boolean consuming = true;

    /**
     * @param ratePerSecond all producers together
     */
    public FailoverLoad(ConnectionSource source, String queuePrefix, int producers, int consumers, int ratePerSecond,
                        int payloadBytes) {
        if (producers < consumers) {
            throw new IllegalArgumentException("every consumer's queue needs a producer: " + producers
                    + " producer(s), " + consumers + " consumer(s)");
        }
        this.source = source;
        this.queuePrefix = queuePrefix;
        this.consumers = consumers;
        this.producers = producers;
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) * producers / ratePerSecond;
        this.acknowledged = new AtomicLong[producers];
        this.received = new BitSet[producers];
        SplittableRandom random = new SplittableRandom(7);
        this.payloads = new byte[256][payloadBytes];
        for (byte[] payload : payloads) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) random.nextInt(256);
            }
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        for (int p = 0; p < producers; p++) {
            acknowledged[p] = new AtomicLong();
            received[p] = new BitSet();
            Timeline timeline = new Timeline("producer-" + p);
            sendTimelines.add(timeline);
            int index = p;
            long offset = periodNanos * p / producers; // spread the producers' sends over the period
            threads.add(new Thread(() -> produce(index, timeline, start + offset), timeline.name()));
        }
        for (int c = 0; c < consumers; c++) {
            Timeline timeline = new Timeline("consumer-" + c);
            receiveTimelines.add(timeline);
            String queue = queue(c);
            threads.add(new Thread(() -> consume(queue, timeline), timeline.name()));
        }
    }

    /** The queue of consumer {@code c}, which producers {@code c}, {@code c + consumers}, ... feed. */
    public String queue(int c) {
        return queuePrefix + "-" + c;
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    public List<Timeline> sendTimelines() {
        return sendTimelines;
    }

    public List<Timeline> receiveTimelines() {
        return receiveTimelines;
    }

    private void produce(int index, Timeline timeline, long start) {
        Connection connection = null;
        MessageProducer producer = null;
        Session session = null;
        long seq = 0;
        while (producing) {
            try {
                if (connection == null) {
                    connection = open();
                    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    producer = session.createProducer(session.createQueue(queue(index % consumers)));
                    lastFailure = "none since producer " + index + " reconnected";
                    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                }
                long due = start + seq * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // behind schedule: send at once, to catch up
                }
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(payloads[(int) (seq % payloads.length)]);
                message.setIntProperty(PRODUCER, index);
                message.setLongProperty(SEQUENCE, seq);
                producer.send(message);
                timeline.add(System.nanoTime());
                acknowledged[index].set(++seq);
            } catch (JMSException | RuntimeException e) {
                sendFailures.incrementAndGet(); // in doubt: the same sequence number is sent again
                lastFailure = describe(e);
                connection = closeQuietly(connection);
                reconnects.incrementAndGet();
                pause();
            }
        }
        closeQuietly(connection);
    }

    private void consume(String queue, Timeline timeline) {
        Connection connection = null;
        MessageConsumer consumer = null;
        AtomicBoolean lost = new AtomicBoolean();
        while (consuming) {
            try {
                if (connection == null) {
                    lost.set(false);
                    connection = open();
                    connection.setExceptionListener(e -> lost.set(true));
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    consumer = session.createConsumer(session.createQueue(queue));
                    connection.start();
                }
                Message message = consumer.receive(200);
                if (message == null && lost.get()) {
                    throw new JMSException("the connection was lost");
                }
                if (message != null) {
                    timeline.add(System.nanoTime());
                    int p = message.getIntProperty(PRODUCER);
                    long seq = message.getLongProperty(SEQUENCE);
                    synchronized (received[p]) {
                        if (received[p].get((int) seq)) {
                            duplicates.incrementAndGet();
                        } else {
                            received[p].set((int) seq);
                        }
                    }
                }
            } catch (JMSException | RuntimeException e) {
                receiveFailures.incrementAndGet();
                lastFailure = describe(e);
                connection = closeQuietly(connection);
                reconnects.incrementAndGet();
                pause();
            }
        }
        closeQuietly(connection);
    }

    /** A connection whose loss is reported by the next call failing, not by a warning in the log. */
    private Connection open() throws JMSException {
        Connection connection = source.open();
        connection.setExceptionListener(e -> { });
        return connection;
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof JMSException j && j.getLinkedException() != null ? j.getLinkedException()
                : e.getCause();
        return e + (cause != null ? " (" + cause + ")" : "");
    }

    /** The last failure a client thread saw, for diagnostics. */
    public String lastFailure() {
        return lastFailure;
    }

    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                // already broken
            }
        }
        return null;
    }

    /** Stops the producers and waits for them. */
    public void stopProducing() throws InterruptedException {
        producing = false;
        for (Thread t : threads.subList(0, producers)) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    /** Messages acknowledged to a producer and not received (so far). */
    public long lostAcknowledged() {
        long lost = 0;
        for (int p = 0; p < producers; p++) {
            long acked = acknowledged[p].get();
            synchronized (received[p]) {
                lost += acked - received[p].get(0, (int) acked).cardinality();
            }
        }
        return lost;
    }

    public long acknowledged() {
        long total = 0;
        for (AtomicLong a : acknowledged) {
            total += a.get();
        }
        return total;
    }

    public long duplicates() {
        return duplicates.get();
    }

    public long sendFailures() {
        return sendFailures.get();
    }

    public long receiveFailures() {
        return receiveFailures.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    @Override
    public void close() throws InterruptedException {
        producing = false;
        consuming = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
