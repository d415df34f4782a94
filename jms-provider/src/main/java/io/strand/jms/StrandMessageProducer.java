package io.strand.jms;

import io.strand.jms.client.NoLocal;
import io.strand.jms.client.ProduceAccumulator;
import io.strand.jms.message.EncodedMessage;
import io.strand.jms.message.PropertyNames;
import io.strand.jms.message.StrandMessage;
import io.strand.protocol.DestinationType;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.StreamMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A message producer (JMS 3.1 §7): stamps the JMS headers, encodes the message once, picks a partition
 * and hands the record to the connection's {@link ProduceAccumulator}.
 *
 * <ul>
 * <li>PERSISTENT synchronous send: the record's batch leaves at once as durable, and send returns when
 *     the broker has acknowledged it.</li>
 * <li>NON_PERSISTENT synchronous send: the record waits up to {@code lingerMs} for company and send
 *     returns at once; a failure is logged (at-most-once, as the specification allows).</li>
 * <li>Asynchronous send: batched like non-persistent ones (durable if PERSISTENT); the completion listener
 *     runs on the connection's callback thread when the broker answers.</li>
 * <li>Asynchronous and NON_PERSISTENT sends wait while the connection's unconfirmed sends are at their limit
 *     ({@link UnconfirmedSends}), so that a producer faster than the broker is slowed down, not run out of heap.</li>
 * <li>In a transacted session, every send is staged in the session's {@link SessionTransaction} instead and
 *     reaches the broker with the commit; an asynchronous send completes once staged.</li>
 * </ul>
 *
 * <p>Partition: the hash of {@code JMSXGroupID} when set, so a group stays in order on one partition;
 * else one partition per producer and destination, chosen at random once (sticky), so a producer's
 * messages stay in order. Threading: used by one thread at a time, as its session.
 */
public class StrandMessageProducer implements MessageProducer, TopicPublisher, QueueSender {
    private static final System.Logger LOG = System.getLogger(StrandMessageProducer.class.getName());

    private final StrandSession session;
    private final StrandDestination destination;
    private final Map<StrandDestination, Integer> stickyPartitions = new HashMap<>();
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLiveMs = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelayMs = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageId;
    private boolean disableTimestamp;
    private volatile boolean closed;

    StrandMessageProducer(StrandSession session, StrandDestination destination) {
        this.session = session;
        this.destination = destination;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("message producer is closed");
        }
        session.checkOpen();
    }

    // ---- properties ---------------------------------------------------------------------------

    @Override public void setDisableMessageID(boolean value) throws JMSException { checkOpen(); disableMessageId = value; }
    @Override public boolean getDisableMessageID() throws JMSException { checkOpen(); return disableMessageId; }
    @Override public void setDisableMessageTimestamp(boolean value) throws JMSException { checkOpen(); disableTimestamp = value; }
    @Override public boolean getDisableMessageTimestamp() throws JMSException { checkOpen(); return disableTimestamp; }
    @Override public int getDeliveryMode() throws JMSException { checkOpen(); return deliveryMode; }
    @Override public int getPriority() throws JMSException { checkOpen(); return priority; }
    @Override public void setTimeToLive(long timeToLive) throws JMSException { checkOpen(); timeToLiveMs = timeToLive; }
    @Override public long getTimeToLive() throws JMSException { checkOpen(); return timeToLiveMs; }
    @Override public void setDeliveryDelay(long deliveryDelay) throws JMSException { checkOpen(); deliveryDelayMs = deliveryDelay; }
    @Override public long getDeliveryDelay() throws JMSException { checkOpen(); return deliveryDelayMs; }
    @Override public Destination getDestination() throws JMSException { checkOpen(); return destination; }
    @Override public Topic getTopic() throws JMSException { checkOpen(); return destination instanceof Topic t ? t : null; }
    @Override public Queue getQueue() throws JMSException { checkOpen(); return destination instanceof Queue q ? q : null; }

    @Override
    public void setDeliveryMode(int mode) throws JMSException {
        checkOpen();
        deliveryMode = checkDeliveryMode(mode);
    }

    @Override
    public void setPriority(int value) throws JMSException {
        checkOpen();
        priority = checkPriority(value);
    }

    static int checkDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("delivery mode " + mode + " is neither PERSISTENT (2) nor NON_PERSISTENT (1)");
        }
        return mode;
    }

    static int checkPriority(int value) throws JMSException {
        if (value < 0 || value > 9) {
            throw new JMSException("priority " + value + " is outside [0, 9]");
        }
        return value;
    }

    // ---- send ---------------------------------------------------------------------------------

    @Override public void send(Message m) throws JMSException { send(m, deliveryMode, priority, timeToLiveMs); }
    @Override public void send(Message m, int mode, int prio, long ttl) throws JMSException { doSend(null, false, m, mode, prio, ttl, null); }
    @Override public void send(Destination d, Message m) throws JMSException { send(d, m, deliveryMode, priority, timeToLiveMs); }
    @Override public void send(Destination d, Message m, int mode, int prio, long ttl) throws JMSException { doSend(d, true, m, mode, prio, ttl, null); }
    @Override public void send(Message m, CompletionListener l) throws JMSException { send(m, deliveryMode, priority, timeToLiveMs, l); }
    @Override public void send(Message m, int mode, int prio, long ttl, CompletionListener l) throws JMSException { doSend(null, false, m, mode, prio, ttl, checkListener(l)); }
    @Override public void send(Destination d, Message m, CompletionListener l) throws JMSException { send(d, m, deliveryMode, priority, timeToLiveMs, l); }
    @Override public void send(Destination d, Message m, int mode, int prio, long ttl, CompletionListener l) throws JMSException { doSend(d, true, m, mode, prio, ttl, checkListener(l)); }
    @Override public void publish(Message m) throws JMSException { send(m); }
    @Override public void publish(Message m, int mode, int prio, long ttl) throws JMSException { send(m, mode, prio, ttl); }
    @Override public void publish(Topic t, Message m) throws JMSException { send(t, m); }
    @Override public void publish(Topic t, Message m, int mode, int prio, long ttl) throws JMSException { send(t, m, mode, prio, ttl); }
    @Override public void send(Queue q, Message m) throws JMSException { send((Destination) q, m); }
    @Override public void send(Queue q, Message m, int mode, int prio, long ttl) throws JMSException { send((Destination) q, m, mode, prio, ttl); }

    private static CompletionListener checkListener(CompletionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("completionListener must not be null");
        }
        return listener;
    }

    private void doSend(Destination given, boolean destinationGiven, Message message, int mode, int prio, long ttlMs,
                        CompletionListener listener) throws JMSException {
        checkOpen();
        final StrandDestination target = target(given, destinationGiven);
        if (message == null) {
            throw new MessageFormatException("message must not be null");
        }
        checkDeliveryMode(mode);
        checkPriority(prio);
        final StrandConnection connection = session.connection();
        final StrandMessage m = message instanceof StrandMessage sm ? sm : ForeignMessages.copy(message);
        final long nowMs = System.currentTimeMillis();
        stampHeaders(m, target, mode, prio, ttlMs, nowMs);
        if (m != message) {
            ForeignMessages.copyHeadersBack(m, message);
        }
        final EncodedMessage record = NoLocal.stamp(connection.codec().encode(m), connection.connectionId());
        final DestinationType type = target.isQueue() ? DestinationType.QUEUE : DestinationType.TOPIC;
        final String what = "sending to " + target;
        final int partitions = JmsExceptions.await(connection.metadata().partitions(type, target.name()),
                connection.options().callTimeoutMs(), what);
        final ProduceAccumulator.PartitionKey key = new ProduceAccumulator.PartitionKey(type, target.name(),
                partitionFor(target, m, partitions));
        final boolean persistent = mode == DeliveryMode.PERSISTENT;
        final long timestampMs = m.getJMSTimestamp() != 0 ? m.getJMSTimestamp() : nowMs;
        final StagingTransaction transaction = session.stagingTransaction();
        if (transaction != null) {
            transaction.stage(key, record, timestampMs);
            if (listener != null) {
                completeStaged(message, listener);
            }
        } else if (listener != null) {
            sendAsync(key, record, timestampMs, persistent, message, listener, what);
        } else if (persistent) {
            JmsExceptions.await(connection.accumulator().append(key, record, timestampMs, true, true),
                    connection.options().callTimeoutMs(), what);
        } else {
            final int size = reserveRoom(connection, record, what);
            connection.accumulator().append(key, record, timestampMs, false, false).whenComplete((offset, error) -> {
                connection.unconfirmedSends().release(size);
                if (error != null) {
                    LOG.log(System.Logger.Level.WARNING, "a NON_PERSISTENT message " + what + " was lost: " + error);
                }
            });
        }
    }

    /**
     * Counts a send that returns before the broker confirms it among the connection's unconfirmed sends, waiting for
     * room if they are at their limit. The thread that runs completion listeners frees that room, so a send from a
     * listener does not wait.
     *
     * @return the bytes counted, to release once the send is confirmed
     */
    private static int reserveRoom(StrandConnection connection, EncodedMessage record, String what)
            throws JMSException {
        final int size = record.sizeInBytes();
        connection.unconfirmedSends().reserve(size, !connection.callbacks().isCurrentThread(),
                connection.sendTimeoutMs(), what);
        return size;
    }

    private void sendAsync(ProduceAccumulator.PartitionKey key, EncodedMessage record, long timestampMs,
                           boolean persistent, Message message, CompletionListener listener, String what)
            throws JMSException {
        final StrandConnection connection = session.connection();
        final int size = reserveRoom(connection, record, what);
        final AsyncSends pending = session.asyncSends();
        pending.started();
        final CompletableFuture<Long> sent = connection.accumulator().append(key, record, timestampMs, persistent, false);
        // Room is freed once the listener ran: until then the confirmation holds the message, waiting for its turn.
        sent.whenComplete((offset, error) -> connection.callbacks().execute(() -> {
            try {
                readableForListener(message);
                if (error == null) {
                    listener.onCompletion(message);
                } else {
                    listener.onException(message, JmsExceptions.from(error, what));
                }
            } finally {
                pending.completed();
                connection.unconfirmedSends().release(size);
            }
        }));
    }

    /** A staged send is complete: its listener runs on the callback thread, as for any asynchronous send. */
    private void completeStaged(Message message, CompletionListener listener) {
        final AsyncSends pending = session.asyncSends();
        pending.started();
        session.connection().callbacks().execute(() -> {
            try {
                readableForListener(message);
                listener.onCompletion(message);
            } finally {
                pending.completed();
            }
        });
    }

    /**
     * The BytesMessage and StreamMessage javadoc: a message sent asynchronously is reset before it is handed to
     * the CompletionListener, so the listener can read the body it sent. Other bodies are readable anyway.
     */
    private static void readableForListener(Message message) {
        try {
            if (message instanceof BytesMessage bytes) {
                bytes.reset();
            } else if (message instanceof StreamMessage stream) {
                stream.reset();
            }
        } catch (JMSException e) {
            // A foreign implementation refused; the listener still learns the outcome of its send.
            LOG.log(System.Logger.Level.DEBUG, "resetting a sent message for its CompletionListener failed", e);
        }
    }

    private StrandDestination target(Destination given, boolean destinationGiven) throws JMSException {
        if (destination != null) {
            if (destinationGiven) {
                throw new UnsupportedOperationException("this producer sends to " + destination
                        + "; use a producer created without a destination to name one per send");
            }
            return destination;
        }
        if (!destinationGiven) {
            throw new UnsupportedOperationException("this producer has no destination; name one in send");
        }
        return StrandSession.strand(given, false);
    }

    private void stampHeaders(StrandMessage m, StrandDestination target, int mode, int prio, long ttlMs, long nowMs)
            throws JMSException {
        m.setJMSDestination(target);
        m.setJMSDeliveryMode(mode);
        m.setJMSPriority(prio);
        m.setJMSExpiration(ttlMs > 0 ? nowMs + ttlMs : 0);
        m.setJMSTimestamp(disableTimestamp ? 0 : nowMs);
        m.setJMSDeliveryTime(nowMs + Math.max(0, deliveryDelayMs));
        m.setJMSMessageID(disableMessageId ? null : session.connection().nextMessageId());
    }

    private int partitionFor(StrandDestination target, StrandMessage m, int partitions) {
        final Object group = m.getObjectProperty(PropertyNames.JMSX_GROUP_ID);
        if (group instanceof String g) {
            return Math.floorMod(g.hashCode(), partitions);
        }
        final Integer sticky = stickyPartitions.get(target);
        if (sticky != null && sticky < partitions) {
            return sticky;
        }
        final int chosen = ThreadLocalRandom.current().nextInt(partitions);
        stickyPartitions.put(target, chosen);
        return chosen;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (session.connection().callbacks().isCurrentThread()) {
            throw new IllegalStateException("a CompletionListener may not close its own producer");
        }
        closed = true;
        session.connection().accumulator().flush();
        session.asyncSends().awaitAll(session.connection().options().callTimeoutMs());
        session.removeProducer(this);
    }
}
