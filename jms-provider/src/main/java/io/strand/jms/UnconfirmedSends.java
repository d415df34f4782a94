package io.strand.jms;

import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ConnectionLostException;
import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the message bytes of a connection's sends that are not confirmed yet, so that an application sending
 * faster than the broker confirms is slowed down instead of running out of heap (each waiting send holds its
 * encoded record and the application's message). Asynchronous sends count until their CompletionListener has run,
 * which also bounds the confirmations waiting for the callback thread; NON_PERSISTENT synchronous sends, which
 * return before the broker answers, until it answered. Sends whose caller waits for the answer, and transacted sends
 * (bounded by {@code transactionMaxBytes}), do not count.
 *
 * <p>A send that would go past the limit waits until confirmations free room, for at most the time a send may
 * block, and then fails with a {@link ResourceAllocationException} naming the limit. It fails at once, and a waiting
 * one wakes and fails, once the connection failed for good or closed. A send larger than the whole limit goes when
 * nothing else is unconfirmed: else it could never go.
 *
 * <p>Thread-safe.
 */
final class UnconfirmedSends {
    private final long limitBytes;
    private final String connection;
    private long bytes;
    /** Why no send may wait any more: the connection failed for good or closed; null before. */
    private ConnectionLostException ended;

    /**
     * @param limitBytes the {@code maxUnconfirmedSendBytes} option
     * @param connection the connection, for messages
     */
    UnconfirmedSends(long limitBytes, String connection) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limitBytes=" + limitBytes);
        }
        this.limitBytes = limitBytes;
        this.connection = connection;
    }

    /**
     * Counts a send's bytes as unconfirmed, waiting for room first if the limit would be exceeded.
     *
     * @param mayWait   false on the thread that runs the connection's CompletionListeners: it is the one that frees
     *                  room, so the send is counted without waiting
     * @param timeoutMs how long to wait for room
     * @param what      what the caller does, such as {@code "sending to queue://orders"}
     * @throws ResourceAllocationException no room freed in time
     * @throws JMSException                the connection failed for good or closed, or the thread was interrupted
     */
    synchronized void reserve(int size, boolean mayWait, long timeoutMs, String what) throws JMSException {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            if (ended != null) {
                throw JmsExceptions.from(ended, what);
            }
            if (!mayWait || bytes == 0 || bytes + size <= limitBytes) {
                bytes += size;
                return;
            }
            final long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                throw new ResourceAllocationException(what + ": " + connection + " has " + bytes
                        + " bytes of sends unconfirmed, and a send of " + size + " bytes more would exceed the limit ("
                        + ClientOptions.MAX_UNCONFIRMED_SEND_BYTES + "=" + limitBytes + "); the broker confirmed too"
                        + " few of them within " + timeoutMs + " ms to make room", "UNCONFIRMED_SENDS_LIMIT");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, leftNs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException(what + ": interrupted while waiting for unconfirmed sends to make room");
            }
        }
    }

    /** A send counted by {@link #reserve} was confirmed, or failed: its bytes make room. */
    synchronized void release(int size) {
        bytes -= size;
        assert bytes >= 0 : "released more than reserved: " + bytes;
        notifyAll();
    }

    /** The connection failed for good or closed: sends waiting for room, and later ones, fail with {@code cause}. */
    synchronized void end(ConnectionLostException cause) {
        if (ended == null) {
            ended = cause;
        }
        notifyAll();
    }

    /** @return the bytes of sends counted and not yet confirmed */
    synchronized long bytes() {
        return bytes;
    }
}
