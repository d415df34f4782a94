package io.strand.jms.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A topic subscriber's holding area for messages pushed before their delivery time (JMS 3.1 §7.9), ordered by
 * {@code JMSDeliveryTime}: one timer on the connection's event loop waits for the earliest, and everything
 * due is passed on together ({@code onDue}), after whatever arrived meanwhile. JMS does not order messages
 * with different delivery times, so messages behind a delayed one are handed out without waiting for it.
 *
 * <p>A message is passed on only once the client's clock has reached its delivery time: a timer that fires
 * early is set again for the rest.
 *
 * <p>Thread-safe: the event loop holds messages and runs the timer, any thread closes. {@code onDue} runs
 * outside the lock.
 */
final class DelayedDeliveries {
    private static final Comparator<Delivery> BY_DELIVERY_TIME = Comparator
            .<Delivery>comparingLong(d -> d.message().getJMSDeliveryTime())
            .thenComparingInt(Delivery::partition)
            .thenComparingLong(Delivery::offset);

    private final ProduceAccumulator.Scheduler scheduler;
    private final Consumer<List<Delivery>> onDue;
    private final PriorityQueue<Delivery> held = new PriorityQueue<>(BY_DELIVERY_TIME);
    /** When the timer fires, {@link Long#MAX_VALUE} when none is set. */
    private long timerAtMs = Long.MAX_VALUE;
    private Runnable cancelTimer;
    private boolean closed;

    /**
     * @param scheduler runs the timer (the connection's event loop)
     * @param onDue     takes the messages whose delivery time has come, in delivery time order
     */
    DelayedDeliveries(ProduceAccumulator.Scheduler scheduler, Consumer<List<Delivery>> onDue) {
        this.scheduler = scheduler;
        this.onDue = onDue;
    }

    /** @return whether a message delivered now would come before its delivery time */
    static boolean isEarly(Delivery delivery, long nowMs) {
        return delivery.message() != null && delivery.message().getJMSDeliveryTime() > nowMs;
    }

    /** Holds a message (with a delivery time ahead) until it is due. */
    void hold(Delivery delivery) {
        synchronized (this) {
            if (closed) {
                return;
            }
            held.add(delivery);
            setTimer(System.currentTimeMillis());
        }
    }

    /** Sets the timer for the earliest held message if it is not set for that time or earlier. Under the lock. */
    private void setTimer(long nowMs) {
        final Delivery first = held.peek();
        if (first == null) {
            return;
        }
        final long dueMs = first.message().getJMSDeliveryTime();
        if (dueMs >= timerAtMs) {
            return;
        }
        if (cancelTimer != null) {
            cancelTimer.run();
        }
        timerAtMs = dueMs;
        cancelTimer = scheduler.schedule(this::releaseDue, Math.max(1, dueMs - nowMs));
    }

    private void releaseDue() {
        final List<Delivery> due = new ArrayList<>();
        synchronized (this) {
            timerAtMs = Long.MAX_VALUE;
            cancelTimer = null;
            if (closed) {
                return;
            }
            final long nowMs = System.currentTimeMillis();
            while (!held.isEmpty() && !isEarly(held.peek(), nowMs)) {
                due.add(held.poll());
            }
            setTimer(nowMs);
        }
        if (!due.isEmpty()) {
            onDue.accept(due);
        }
    }

    /** Stops the timer and drops the held messages, which were never delivered. */
    void close() {
        synchronized (this) {
            closed = true;
            clear();
        }
    }

    /**
     * Drops the held messages and stops the timer, staying open: for a subscriber opened again on a new broker
     * connection, whose broker pushes them again.
     */
    synchronized void clear() {
        held.clear();
        if (cancelTimer != null) {
            cancelTimer.run();
            cancelTimer = null;
        }
        timerAtMs = Long.MAX_VALUE;
    }
}
