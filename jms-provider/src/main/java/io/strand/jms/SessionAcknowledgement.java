package io.strand.jms;

import io.strand.jms.client.Acknowledgements;
import io.strand.jms.client.Delivery;
import io.strand.jms.message.PropertyNames;
import io.strand.jms.message.StrandMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What a session's acknowledge mode means for each delivery (JMS 3.1 §6.2.10): AUTO and DUPS_OK
 * acknowledge a message once receive has returned it or onMessage has returned; CLIENT waits for
 * {@code message.acknowledge()}, which acknowledges everything the session delivered so far; a transacted
 * session keeps its deliveries for the commit, which acknowledges them (see {@link SessionTransaction}),
 * and message.acknowledge() does nothing there. Recover (and rollback) takes every delivery not yet
 * acknowledged: a topic's is marked redelivered (delivery count + 1) and put
 * back in front of its consumer's buffer, from the client's own memory, without asking the broker; a
 * queue's is released to the broker, which delivers it again with its count raised, perhaps to another
 * receiver (JMS 3.1 §6.2.12 does not ask redelivered messages to keep their order). Prefetched queue
 * messages the application has not seen stay where they are: releasing them too would raise the
 * delivery count of messages no one saw each time one poison message is recovered.
 *
 * <p>Threading: called by the thread that receives or the session's listener thread; the state it
 * touches is in the thread-safe {@link Acknowledgements}; {@link #recoveredDuringDelivery} is only
 * used on the listener thread.
 */
final class SessionAcknowledgement {
    private final int mode;
    private final Acknowledgements acknowledgements;
    private final long requestTimeoutMs;
    /** Set by recover() on the listener thread, so that the message being delivered is not acknowledged after it. */
    private volatile boolean recoveredDuringDelivery;

    SessionAcknowledgement(int mode, Acknowledgements acknowledgements, long requestTimeoutMs) {
        this.mode = mode;
        this.acknowledgements = acknowledgements;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    Acknowledgements acknowledgements() {
        return acknowledgements;
    }

    /** For each message handed to the application, before it sees it. */
    void beforeDelivery(Delivery delivery, StrandSession session) {
        delivery.message().keepAsReceived(); // what recover and rollback redeliver, whatever the application changes
        acknowledgements.delivered(delivery);
        delivery.message().setAcknowledger(mode == Session.CLIENT_ACKNOWLEDGE ? m -> session.acknowledgeAll() : null);
    }

    /** After receive returned or onMessage completed: AUTO and DUPS_OK acknowledge here. */
    void afterDelivery(Delivery delivery) {
        if (mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE) {
            acknowledgements.acknowledgeSoon(delivery);
        }
    }

    /** Acknowledges every message delivered so far and waits for the broker. */
    void acknowledgeAll() throws JMSException {
        JmsExceptions.await(acknowledgements.acknowledgeAll(), requestTimeoutMs, "acknowledging messages");
    }

    /** Sends the acknowledgements queued by AUTO and DUPS_OK and waits for the broker (stop, close). */
    void flush() throws JMSException {
        JmsExceptions.await(acknowledgements.flush(), requestTimeoutMs, "acknowledging consumed messages");
    }

    /**
     * Redelivers every unacknowledged delivery: a topic's is put back in front of its consumer, marked
     * redelivered; a queue's is released to the broker, and this waits for the broker's answer. The caller
     * has stopped delivery (or is the listener whose message is among them).
     *
     * @param consumers the session's consumers by consumer id; deliveries of closed consumers are dropped
     *                  (the broker released a closed queue receiver's records when it closed)
     */
    void recover(IntFunction<StrandMessageConsumer> consumers, boolean onListenerThread) throws JMSException {
        redeliver(acknowledgements.takeUnacknowledged(), consumers, onListenerThread);
    }

    /**
     * Redelivers the given deliveries, taken from the unacknowledged ones already, as {@link #recover} does:
     * for a rollback, and for a commit the broker refused.
     */
    void redeliver(List<Delivery> deliveries, IntFunction<StrandMessageConsumer> consumers, boolean onListenerThread)
            throws JMSException {
        if (onListenerThread) {
            recoveredDuringDelivery = true;
        }
        final Map<StrandMessageConsumer, List<Delivery>> byConsumer = new LinkedHashMap<>();
        final List<Delivery> toRelease = new ArrayList<>();
        for (Delivery d : deliveries) {
            final StrandMessageConsumer c = consumers.apply(d.consumerId());
            if (c == null) {
                continue;
            }
            if (d.isAcquired()) {
                toRelease.add(d);
            } else {
                final Delivery again = asReceived(d);
                redelivered(again.message());
                byConsumer.computeIfAbsent(c, k -> new ArrayList<>()).add(again);
            }
        }
        byConsumer.forEach((c, list) -> c.core().requeue(list));
        if (!toRelease.isEmpty()) {
            JmsExceptions.await(acknowledgements.release(toRelease), requestTimeoutMs, "releasing recovered messages");
        }
    }

    /** Takes and clears the flag that recover() ran inside the current onMessage. */
    boolean takeRecoveredDuringDelivery() {
        final boolean was = recoveredDuringDelivery;
        recoveredDuringDelivery = false;
        return was;
    }

    /** The delivery with the message as it was received (JMS 3.1 §3.10), not as the application changed it. */
    private static Delivery asReceived(Delivery d) {
        return new Delivery(d.message().forRedelivery(), d.consumerId(), d.partition(), d.offset(), d.style());
    }

    private static void redelivered(StrandMessage message) {
        int count;
        try {
            count = message.propertyExists(PropertyNames.JMSX_DELIVERY_COUNT)
                    ? message.getIntProperty(PropertyNames.JMSX_DELIVERY_COUNT) : 1;
        } catch (JMSException e) {
            count = 1; // the application cleared or replaced the property; the count restarts
        }
        message.setDeliveryCount(count + 1);
        message.makeReadOnly(); // rewinds bytes and stream bodies for the second reading
    }
}
