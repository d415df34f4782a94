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
import java.util.function.IntSupplier;

/**
 * What a session's acknowledge mode means for each delivery (JMS 3.1 §6.2.10): AUTO and DUPS_OK
 * acknowledge a message once receive has returned it or onMessage has returned; CLIENT waits for
 * {@code message.acknowledge()}, which acknowledges everything the session delivered so far; a transacted
 * session keeps its deliveries for the commit, which acknowledges them (see {@link SessionTransaction}),
 * and message.acknowledge() does nothing there. Recover (and rollback) takes every delivery not yet
 * acknowledged and puts it back in front of its consumer's buffer, from the client's own memory, as it was
 * received (§3.10: a copy is kept at hand-out) and marked redelivered, so that the session restarts with its
 * first unacknowledged message (§6.2.10) — for a throwing AUTO listener, at once (§8.7).
 *
 * <p>A topic's delivery count is the client's own (+1). A queue record stays acquired by its consumer: the
 * broker is told with SHARE_REDELIVER, which counts the delivery in the share group exactly as a new
 * acquisition would (persisted, so a restart or another consumer sees the true count) and answers with the
 * count; a record that has reached the queue's maximum deliveries is released there instead and goes to the
 * dead-letter queue, so a poison message cannot loop in one client forever. This was chosen over releasing
 * the unacknowledged records together with everything prefetched behind them: that restores the order only
 * when no other consumer takes them meanwhile, and every recover would raise the delivery count of prefetched
 * messages no one saw, pushing them towards the dead-letter queue along with the poison message.
 *
 * <p>Threading: called by the thread that receives or the session's listener thread; the state it
 * touches is in the thread-safe {@link Acknowledgements}; {@link #recoveredDuringDelivery} is only
 * used on the listener thread.
 */
final class SessionAcknowledgement {
    /** The session's acknowledge mode now: an XA session's changes as it joins and leaves transaction branches. */
    private final IntSupplier mode;
    private final Acknowledgements acknowledgements;
    private final long requestTimeoutMs;
    /** Set by recover() on the listener thread, so that the message being delivered is not acknowledged after it. */
    private volatile boolean recoveredDuringDelivery;

    SessionAcknowledgement(IntSupplier mode, Acknowledgements acknowledgements, long requestTimeoutMs) {
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
        delivery.message().setAcknowledger(mode.getAsInt() == Session.CLIENT_ACKNOWLEDGE
                ? m -> session.acknowledgeAll() : null);
    }

    /** After receive returned or onMessage completed: AUTO and DUPS_OK acknowledge here. */
    void afterDelivery(Delivery delivery) {
        final int now = mode.getAsInt();
        if (now == Session.AUTO_ACKNOWLEDGE || now == Session.DUPS_OK_ACKNOWLEDGE) {
            acknowledgements.acknowledgeDeliveredSoon(delivery);
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
     * Redelivers every unacknowledged delivery: each is put back in front of its consumer, as received and
     * marked redelivered; for queue records this waits for the broker to count the delivery. The caller
     * has stopped delivery (or is the listener whose message is among them).
     *
     * @param consumers the session's consumers by consumer id; deliveries of closed consumers are dropped
     *                  (the broker released a closed receiver's records when it closed, or does so when the
     *                  session closes the receivers it kept for acknowledgement, see {@link HeldConsumers})
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
        final List<Delivery> held = new ArrayList<>();
        for (Delivery d : deliveries) {
            final StrandMessageConsumer c = consumers.apply(d.consumerId());
            if (c == null) {
                continue;
            }
            final Delivery again = asReceived(d);
            if (d.isAcquired()) {
                held.add(again);
            } else {
                redelivered(again.message(), deliveryCountOf(again.message()) + 1);
                byConsumer.computeIfAbsent(c, k -> new ArrayList<>()).add(again);
            }
        }
        if (!held.isEmpty()) {
            // The queue records stay acquired by their consumer and go back in front of its buffer, like a topic's:
            // the session restarts with its first unacknowledged message (§6.2.10), ahead of what was prefetched.
            // The broker counts the delivery first, so its share-group state keeps the true delivery count (and
            // moves a record delivered too often to the dead-letter queue instead: it is not kept).
            final Map<Delivery, Integer> kept = JmsExceptions.await(acknowledgements.redeliverHeld(held),
                    requestTimeoutMs, "redelivering recovered messages");
            kept.forEach((d, count) -> {
                redelivered(d.message(), count);
                byConsumer.computeIfAbsent(consumers.apply(d.consumerId()), k -> new ArrayList<>()).add(d);
            });
        }
        byConsumer.forEach((c, list) -> c.core().requeue(list));
    }

    /** Takes and clears the flag that recover() ran inside the current onMessage. */
    boolean takeRecoveredDuringDelivery() {
        final boolean was = recoveredDuringDelivery;
        recoveredDuringDelivery = false;
        return was;
    }

    /** The delivery with the message as it was received (JMS 3.1 §3.10), not as the application changed it. */
    private static Delivery asReceived(Delivery d) {
        return new Delivery(d.message().forRedelivery(), d.consumerId(), d.partition(), d.offset(), d.style(), d.wire());
    }

    /** @return the delivery count the message was delivered with; 1 when it carries none */
    private static int deliveryCountOf(StrandMessage message) {
        try {
            return message.propertyExists(PropertyNames.JMSX_DELIVERY_COUNT)
                    ? message.getIntProperty(PropertyNames.JMSX_DELIVERY_COUNT) : 1;
        } catch (JMSException e) {
            return 1;
        }
    }

    private static void redelivered(StrandMessage message, int deliveryCount) {
        message.setDeliveryCount(deliveryCount);
        message.makeReadOnly(); // rewinds bytes and stream bodies for the second reading
    }
}
