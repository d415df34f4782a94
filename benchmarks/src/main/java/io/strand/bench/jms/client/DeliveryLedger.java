package io.strand.bench.jms.client;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

/**
 * What a drain received, checked message by message against what it should receive: every message
 * carries its sequence number (0 to sent - 1); the ledger accepts each expected number exactly once
 * and records the first problem (an unexpected number, a duplicate, a bad body). Thread-safe, so the
 * competing consumers share one ledger: a message delivered to two of them is a duplicate too.
 */
final class DeliveryLedger {
    private final int sent;
    private final IntPredicate expected;
    private final int expectedCount;
    private final String expectation;
    private final AtomicLongArray seen;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicReference<String> problem = new AtomicReference<>();

    /**
     * @param sent        messages in the queue, numbered 0 to sent - 1
     * @param expected    which numbers this drain must receive
     * @param expectation the expectation in words, for failure messages (e.g. "color = 'red'")
     */
    DeliveryLedger(int sent, IntPredicate expected, String expectation) {
        this.sent = sent;
        this.expected = expected;
        this.expectation = expectation;
        this.seen = new AtomicLongArray((sent + 63) / 64);
        int count = 0;
        for (int i = 0; i < sent; i++) {
            if (expected.test(i)) {
                count++;
            }
        }
        this.expectedCount = count;
    }

    /** A ledger expecting every message. */
    static DeliveryLedger all(int sent) {
        return new DeliveryLedger(sent, seq -> true, "every message");
    }

    /**
     * Records one received message by its sequence number ({@code null} when it had none).
     *
     * @return whether it was expected and new; when not, {@link #problem()} says why
     */
    boolean accept(Integer seq) {
        if (seq == null || seq < 0 || seq >= sent) {
            return fail("received a message whose seq property is " + seq + "; sent were 0.." + (sent - 1));
        }
        if (!expected.test(seq)) {
            return fail("received message seq=" + seq + " which is not expected (" + expectation + ")");
        }
        long bit = 1L << (seq & 63);
        long word;
        do {
            word = seen.get(seq >>> 6);
            if ((word & bit) != 0) {
                return fail("message seq=" + seq + " was delivered twice");
            }
        } while (!seen.compareAndSet(seq >>> 6, word, word | bit));
        accepted.incrementAndGet();
        return true;
    }

    /** Records a problem found outside the ledger (a bad body, an exception); the first one counts. */
    boolean fail(String reason) {
        problem.compareAndSet(null, reason);
        return false;
    }

    int accepted() {
        return accepted.get();
    }

    int expectedCount() {
        return expectedCount;
    }

    /** Every expected message arrived, once. */
    boolean complete() {
        return accepted.get() == expectedCount;
    }

    /** The first problem, or null. */
    String problem() {
        return problem.get();
    }

    /** The lowest expected sequence number not received, or -1; for failure messages. */
    int firstMissing() {
        for (int i = 0; i < sent; i++) {
            if (expected.test(i) && (seen.get(i >>> 6) & (1L << (i & 63))) == 0) {
                return i;
            }
        }
        return -1;
    }
}
