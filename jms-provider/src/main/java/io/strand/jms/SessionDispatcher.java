package io.strand.jms;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one thread of a session that runs its message listeners (JMS 3.1 §6.2.14: a session serializes
 * the delivery of its messages). Started when the session's first listener is set; woken whenever a
 * consumer's buffer may hold a takeable message; each round offers one message to each consumer with a
 * listener, so that busy consumers do not starve the others.
 *
 * <p>{@link #awaitIdle()} lets stop, recover and close wait for the listener in progress: the
 * dispatcher holds {@code deliveryLock} for each onMessage call, and callers stop the buffers first, so
 * after acquiring the lock once no further delivery starts. Thread-safe.
 */
final class SessionDispatcher implements Runnable {
    private final Supplier<List<StrandMessageConsumer>> consumers;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private boolean signalled;
    private boolean closed;
    private volatile Thread thread;

    SessionDispatcher(String name, Supplier<List<StrandMessageConsumer>> consumers) {
        this.name = name;
        this.consumers = consumers;
    }

    /** Starts the thread if it does not run yet. */
    void ensureRunning() {
        lock.lock();
        try {
            if (thread == null && !closed) {
                final Thread t = new Thread(this, name);
                t.setDaemon(true);
                thread = t;
                t.start();
            }
        } finally {
            lock.unlock();
        }
        wake();
    }

    /** Tells the thread that a message may be takeable. Cheap; any thread. */
    void wake() {
        lock.lock();
        try {
            signalled = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isDispatcherThread() {
        return Thread.currentThread() == thread;
    }

    /** Waits until no listener is running; callers have stopped the buffers first. */
    void awaitIdle() {
        if (isDispatcherThread()) {
            return;
        }
        deliveryLock.lock();
        deliveryLock.unlock();
    }

    /** Stops the thread after the listener in progress, and waits for it unless called from it. */
    void close() {
        final Thread t;
        lock.lock();
        try {
            closed = true;
            wakeUp.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        while (awaitSignal()) {
            boolean delivered;
            do {
                delivered = false;
                for (StrandMessageConsumer consumer : consumers.get()) {
                    if (isClosed()) {
                        return;
                    }
                    deliveryLock.lock();
                    try {
                        delivered |= consumer.deliverOneToListener();
                    } finally {
                        deliveryLock.unlock();
                    }
                }
            } while (delivered);
        }
    }

    private boolean awaitSignal() {
        lock.lock();
        try {
            while (!signalled && !closed) {
                wakeUp.awaitUninterruptibly();
            }
            signalled = false;
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }
}
