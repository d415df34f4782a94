package io.strand.jms.client;

import jakarta.jms.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages pushed to one consumer and not yet handed to the application, in delivery order —
 * or, for a queue receiver, highest JMSPriority first and in delivery order within a priority (JMS
 * 3.1 §3.4.10: expedited messages ahead of normal ones). A topic subscriber's buffer ignores priority:
 * its acknowledgements are cumulative, so it must hand messages out in offset order.
 *
 * <p>Takers wait while the buffer is empty or the connection is stopped; {@link #close()} wakes them
 * with null. {@link #addFirst} puts recovered messages back in front, in their original order, so that
 * {@code Session.recover()} redelivers them before anything newer.
 *
 * <p>Thread-safe: the event loop adds, one application or session thread takes, any thread starts,
 * stops or closes. {@code onAvailable} runs outside the lock after messages arrive, so a session's
 * listener thread can be woken without lock ordering worries.
 */
public final class PrefetchBuffer {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** One lane per priority, highest last, or a single lane when priority is ignored. */
    private final ArrayDeque<Delivery>[] lanes;
    private final Runnable onAvailable;
    private int size;
    private boolean started;
    private boolean closed;

    /**
     * @param onAvailable told (outside the lock) whenever messages may have become takeable
     * @param byPriority  whether higher priorities are handed out first
     */
    @SuppressWarnings("unchecked")
    public PrefetchBuffer(Runnable onAvailable, boolean byPriority) {
        this.onAvailable = onAvailable;
        this.lanes = new ArrayDeque[byPriority ? 10 : 1];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new ArrayDeque<>();
        }
    }

    private ArrayDeque<Delivery> laneOf(Delivery delivery) {
        if (lanes.length == 1) {
            return lanes[0];
        }
        int priority = delivery.message() == null ? Message.DEFAULT_PRIORITY : delivery.message().getJMSPriority();
        return lanes[Math.max(0, Math.min(lanes.length - 1, priority))];
    }

    private Delivery pollHighest() {
        for (int i = lanes.length - 1; i >= 0; i--) {
            Delivery next = lanes[i].pollFirst();
            if (next != null) {
                size--;
                return next;
            }
        }
        return null;
    }

    public void addLast(Collection<Delivery> batch) {
        if (batch.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (Delivery delivery : batch) {
                laneOf(delivery).addLast(delivery);
            }
            size += batch.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onAvailable.run();
    }

    /** Puts messages back in front, keeping their order: the next take returns {@code batch.get(0)}. */
    public void addFirst(List<Delivery> batch) {
        lock.lock();
        try {
            for (int i = batch.size() - 1; i >= 0; i--) {
                laneOf(batch.get(i)).addFirst(batch.get(i));
            }
            size += batch.size();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onAvailable.run();
    }

    /**
     * Takes the next message.
     *
     * @param timeoutMs how long to wait: negative for not at all, 0 for as long as it takes
     * @return the next delivery, or null when none came in time or the buffer closed
     */
    public Delivery take(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            long remainingNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (!closed && (!started || size == 0)) {
                if (timeoutMs < 0) {
                    return null;
                }
                if (timeoutMs == 0) {
                    changed.await();
                } else {
                    if (remainingNs <= 0) {
                        return null;
                    }
                    remainingNs = changed.awaitNanos(remainingNs);
                }
            }
            return closed ? null : pollHighest();
        } finally {
            lock.unlock();
        }
    }

    /** @return true if a take without waiting would return a message */
    public boolean isTakeable() {
        lock.lock();
        try {
            return started && !closed && size > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Lets takers take (connection started) or makes them wait (stopped). */
    public void setStarted(boolean started) {
        lock.lock();
        try {
            this.started = started;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (started) {
            onAvailable.run();
        }
    }

    /**
     * Drops what is buffered and stays open: for a consumer opened again on a new broker connection, whose broker
     * delivers the dropped records again.
     */
    public void clear() {
        lock.lock();
        try {
            for (ArrayDeque<Delivery> lane : lanes) {
                lane.clear();
            }
            size = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every taker with null and drops what is buffered; the records stay unacknowledged. */
    public List<Delivery> close() {
        lock.lock();
        try {
            closed = true;
            final List<Delivery> dropped = new ArrayList<>(size);
            for (int i = lanes.length - 1; i >= 0; i--) {
                dropped.addAll(lanes[i]);
                lanes[i].clear();
            }
            size = 0;
            changed.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }
}
