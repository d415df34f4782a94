package io.strand.jms;

import io.strand.jms.client.AckStyle;
import io.strand.jms.client.ConsumerCore;
import io.strand.jms.client.Delivery;
import io.strand.jms.message.StrandMessage;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.SubscriptionKind;
import io.strand.selector.MessageSelector;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;

/**
 * A message consumer (JMS 3.1 §8.3): synchronous receive or a message listener, over a
 * {@link ConsumerCore} that holds the prefetched messages. AUTO and DUPS_OK acknowledge each message
 * after receive returns it or onMessage returns; CLIENT waits for {@code message.acknowledge()}; a
 * transacted session for its commit (see {@link SessionTransaction}, which also keeps a consumer closed
 * inside the transaction open on the broker until the transaction ends). A queue receiver of a CLIENT session
 * closed before its messages were acknowledged stays open on the broker, stopped, until the session
 * acknowledges, recovers or closes ({@link HeldConsumers}).
 * A topic subscriber acknowledges cumulatively; a queue receiver accepts or releases each record
 * ({@link AckStyle}) and, on a connection not yet started, is opened without credit so that it takes
 * no records other receivers of the queue could have.
 *
 * <p>Threading: receive is called by the one thread using the session; onMessage runs on the session's
 * dispatcher thread; close may be called from any thread, including this consumer's own listener.
 */
public class StrandMessageConsumer implements MessageConsumer {
    private static final System.Logger LOG = System.getLogger(StrandMessageConsumer.class.getName());

    private final StrandSession session;
    private final StrandDestination destination;
    private final SubscriptionKind kind;
    private final String subscriptionName;
    private final String selector;
    private final boolean noLocal;
    private final ConsumerCore core;
    private volatile MessageListener listener;
    private volatile boolean closed;

    StrandMessageConsumer(StrandSession session, StrandDestination destination, SubscriptionKind kind,
                          String subscriptionName, String selector, boolean noLocal) throws InvalidSelectorException {
        this.session = session;
        this.destination = destination;
        this.kind = kind;
        this.subscriptionName = subscriptionName;
        this.selector = selector;
        this.noLocal = noLocal;
        final StrandConnection connection = session.connection();
        // Parsed here so that a wrong selector fails at once, with its position. The broker filters what a
        // share group (a queue, a shared subscription) hands out; a topic subscriber filters the batches it is pushed.
        final MessageSelector parsed = selector == null ? null : MessageSelector.parse(selector);
        final boolean shareGroup = kind.readsShareGroup();
        this.core = new ConsumerCore(connection.cluster(), connection.liveConsumers(), connection.format(),
                connection.codec(), connection.nextConsumerId(), destination,
                shareGroup ? AckStyle.PER_RECORD : AckStyle.CUMULATIVE,
                connection.options().prefetch(), noLocal ? connection.connectionId() : null,
                shareGroup ? null : parsed, new ConsumerCore.Owner() {
                    @Override
                    public void messagesAvailable() {
                        session.dispatcher().wake();
                    }

                    @Override
                    public void skipped(Delivery delivery) {
                        if (delivery.isAcquired()) { // a topic's are covered by the next cumulative acknowledgement
                            session.acknowledgements().acknowledgeSoon(delivery);
                        } else if (delivery.message() != null) {
                            // Expired: if it was a delayed message, acknowledgements may have waited behind it.
                            session.acknowledgements().flushSoon();
                        }
                    }
                });
        if (core.heldBack() != null) {
            session.acknowledgements().capBelowHeldBack(core.consumerId(), core.heldBack());
        }
    }

    /** Opens the consumer on the broker (after looking up the destination, which creates it if allowed). */
    void open() throws JMSException {
        final StrandConnection connection = session.connection();
        final DestinationType type = destination.isQueue() ? DestinationType.QUEUE : DestinationType.TOPIC;
        final String what = (kind == SubscriptionKind.QUEUE ? "receiving from " : "subscribing to ") + destination
                + (subscriptionName == null ? "" : " as " + describe(kind) + " '" + subscriptionName + "'");
        JmsExceptions.await(connection.metadata().partitions(type, destination.name()),
                connection.options().callTimeoutMs(), what);
        final Consumers.OpenRequest request = new Consumers.OpenRequest(core.consumerId(), type, destination.name(),
                kind, subscriptionName, selector, noLocal, 0, session.number());
        // A queue receiver of a connection never started must not take records others could consume.
        JmsExceptions.await(core.open(request, () -> core.style() == AckStyle.PER_RECORD && !connection.isStarted()),
                connection.options().callTimeoutMs(), what);
    }

    private static String describe(SubscriptionKind kind) {
        return switch (kind) {
            case SHARED -> "shared subscription";
            case SHARED_DURABLE -> "shared durable subscription";
            default -> "durable subscription";
        };
    }

    ConsumerCore core() {
        return core;
    }

    String subscriptionName() {
        return subscriptionName;
    }

    StrandDestination destination() {
        return destination;
    }

    boolean isNoLocal() {
        return noLocal;
    }

    boolean hasListener() {
        return listener != null && !closed;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("message consumer is closed");
        }
        session.checkOpen();
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        this.listener = listener;
        if (listener != null) {
            session.dispatcher().ensureRunning();
        }
    }

    @Override
    public Message receive() throws JMSException {
        return receive(0);
    }

    @Override
    public Message receive(long timeoutMs) throws JMSException {
        return doReceive(timeoutMs <= 0 ? 0 : timeoutMs);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return doReceive(-1);
    }

    private Message doReceive(long timeoutMs) throws JMSException {
        return doReceive(timeoutMs, null);
    }

    /**
     * Receives a message whose body can be returned as {@code bodyType} (for {@code JMSConsumer.receiveBody}):
     * a message that has no body, or whose body cannot be assigned to the type, is refused with a
     * MessageFormatException (JMS 3.1 §8.6 and {@code JMSConsumer.receiveBody}).
     */
    Message receiveForBody(long timeoutMs, Class<?> bodyType) throws JMSException {
        return doReceive(timeoutMs, bodyType);
    }

    private Message doReceive(long timeoutMs, Class<?> bodyType) throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("receive may not be called on a consumer with a MessageListener");
        }
        final Delivery d = core.take(timeoutMs);
        if (d == null) {
            return null;
        }
        if (bodyType != null) {
            final String refusal = bodyRefusal(d, bodyType);
            if (refusal != null) {
                // JMSConsumer.receiveBody: AUTO and DUPS_OK behave as if the call had not happened (the message
                // comes again, not as a redelivery); CLIENT and a transaction count it as delivered and unacknowledged.
                final int mode = session.acknowledgeModeUnchecked();
                if (mode == jakarta.jms.Session.CLIENT_ACKNOWLEDGE || mode == jakarta.jms.Session.SESSION_TRANSACTED) {
                    session.beforeDelivery(d);
                } else {
                    core.requeue(java.util.List.of(d));
                }
                throw new jakarta.jms.MessageFormatException("receiveBody cannot return message "
                        + d.message().getJMSMessageID() + ": " + refusal);
            }
        }
        session.beforeDelivery(d);
        session.afterDelivery(d); // AUTO: the message counts as acknowledged once receive returns it
        return d.message();
    }

    /**
     * receiveBody returns only the body of a text, bytes, map or object message that has one and whose body
     * fits the type; a null body would look like the timeout's null.
     *
     * @return why the message's body cannot be returned as {@code bodyType}, or null when it can
     */
    private static String bodyRefusal(Delivery d, Class<?> bodyType) throws JMSException {
        final StrandMessage m = d.message();
        return switch (m.kind()) {
            case TEXT, BYTES, MAP, OBJECT -> !m.isBodyPresent() ? "the " + m.kind() + " has no body"
                    : m.isBodyAssignableTo(bodyType) ? null
                    : "the body of the " + m.kind() + " cannot be assigned to " + bodyType.getName();
            case MESSAGE, STREAM -> "the body of a " + m.kind() + " cannot be returned by receiveBody";
        };
    }

    /**
     * Hands one message to the listener, on the dispatcher thread.
     *
     * @return true if a message was delivered
     */
    boolean deliverOneToListener() {
        final MessageListener l = listener;
        if (l == null || closed) {
            return false;
        }
        final Delivery d;
        try {
            d = core.take(-1);
        } catch (JMSException e) {
            return false;
        }
        if (d == null) {
            return false;
        }
        session.beforeDelivery(d);
        try {
            l.onMessage(d.message());
        } catch (RuntimeException e) {
            // JMS 3.1 §8.7: in AUTO and DUPS_OK the message is redelivered at once (a queue's by releasing it
            // to the broker); in CLIENT it waits for recover, in a transaction for the commit or rollback.
            final int mode = session.acknowledgeModeUnchecked();
            final boolean redeliverNow = mode == jakarta.jms.Session.AUTO_ACKNOWLEDGE
                    || mode == jakarta.jms.Session.DUPS_OK_ACKNOWLEDGE;
            LOG.log(System.Logger.Level.WARNING, "MessageListener of " + destination + " threw"
                    + (redeliverNow ? "; redelivering" : ""), e);
            if (redeliverNow) {
                try {
                    session.recover();
                } catch (JMSException failed) {
                    // Session closed meanwhile (nothing to redeliver to), or the broker did not take the
                    // release: the record stays with this consumer until it closes, then goes back to the queue.
                    LOG.log(System.Logger.Level.DEBUG, "redelivering after the listener of " + destination + " threw failed",
                            failed);
                }
            }
        }
        if (!session.takeRecoveredDuringDelivery()) {
            session.afterDelivery(d);
        }
        return true;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        core.buffer().setStarted(false);
        session.dispatcher().awaitIdle(); // returns at once on our own listener thread
        if (session.keepOpenForTransaction(core)) {
            // Its messages belong to an open transaction: the broker keeps the consumer until the commit has
            // acknowledged them or the rollback given them back.
            session.removeConsumer(this);
            return;
        }
        final StrandConnection connection = session.connection();
        if (holdsDeliveriesForAcknowledge(connection) && session.heldConsumers().hold(core)) {
            // JMS 3.1 §8.8: its delivered messages may still be acknowledged through the session.
            session.removeConsumer(this);
            return;
        }
        try {
            if (core.isOnLiveConnection()) {
                JmsExceptions.await(session.acknowledgements().flush(), connection.options().requestTimeoutMs(),
                        "acknowledging before closing the consumer of " + destination);
                JmsExceptions.await(core.close(), connection.options().requestTimeoutMs(),
                        "closing the consumer of " + destination);
            } else {
                core.close();
            }
        } finally {
            session.acknowledgements().forgetConsumer(core.consumerId());
            session.removeConsumer(this);
        }
    }

    /** Whether closing leaves queue messages this consumer delivered for a later CLIENT acknowledge. */
    private boolean holdsDeliveriesForAcknowledge(StrandConnection connection) {
        return core.style() == AckStyle.PER_RECORD
                && session.acknowledgeModeUnchecked() == jakarta.jms.Session.CLIENT_ACKNOWLEDGE
                && !session.isClosing() && core.isOnLiveConnection()
                && session.acknowledgements().hasUnacknowledged(core.consumerId());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + destination + ", consumer " + core.consumerId()
                + (subscriptionName == null ? "" : ", subscription " + subscriptionName)
                + (noLocal ? ", noLocal" : "") + "]";
    }
}
