package io.strand.jms;

import jakarta.jms.JMSException;

/**
 * Counts a session's asynchronous sends whose completion listener has not run yet, so that closing the
 * session or its producers can wait for them (JMS 3.1 §7.3.5: close blocks until incomplete sends have
 * completed). Thread-safe.
 */
final class AsyncSends {
    private int incomplete;

    synchronized void started() {
        incomplete++;
    }

    synchronized void completed() {
        incomplete--;
        if (incomplete == 0) {
            notifyAll();
        }
    }

    synchronized int incomplete() {
        return incomplete;
    }

    /** Waits until every started send has completed, or the timeout passes. */
    synchronized void awaitAll(long timeoutMs) throws JMSException {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (incomplete > 0) {
            final long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new JMSException(incomplete + " asynchronous sends did not complete within " + timeoutMs + " ms");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException("interrupted while waiting for asynchronous sends to complete");
            }
        }
    }
}
