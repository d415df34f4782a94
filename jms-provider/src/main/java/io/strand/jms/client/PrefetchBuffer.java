package io.strand.jms.client;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages pushed to one consumer and not yet handed to the application, in delivery order.
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
    private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
    private final Runnable onAvailable;
    private boolean started;
    private boolean closed;

    /** @param onAvailable told (outside the lock) whenever messages may have become takeable */
    public PrefetchBuffer(Runnable onAvailable) {
        this.onAvailable = onAvailable;
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
            deliveries.addAll(batch);
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
                deliveries.addFirst(batch.get(i));
            }
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
            while (!closed && (!started || deliveries.isEmpty())) {
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
            return closed ? null : deliveries.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** @return true if a take without waiting would return a message */
    public boolean isTakeable() {
        lock.lock();
        try {
            return started && !closed && !deliveries.isEmpty();
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

    /** Wakes every taker with null and drops what is buffered; the records stay unacknowledged. */
    public List<Delivery> close() {
        lock.lock();
        try {
            closed = true;
            final List<Delivery> dropped = List.copyOf(deliveries);
            deliveries.clear();
            changed.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return deliveries.size();
        } finally {
            lock.unlock();
        }
    }
}
