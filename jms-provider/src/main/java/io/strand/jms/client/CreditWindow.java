package io.strand.jms.client;

/**
 * The credit arithmetic of one consumer: the broker may push {@code prefetch} records beyond what the
 * application has consumed. Rather than one CONSUMER_CREDIT per message, credit for consumed records is
 * granted back in one request once half the prefetch has been consumed, so a busy consumer costs one
 * small request per {@code prefetch / 2} messages while the broker never runs dry.
 *
 * <p>Not thread-safe: the consumer calls it under its own lock.
 */
public final class CreditWindow {
    private final int prefetch;
    private final int threshold;
    private int consumedSinceGrant;

    public CreditWindow(int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1: prefetch=" + prefetch);
        }
        this.prefetch = prefetch;
        this.threshold = Math.max(1, prefetch / 2);
    }

    /** @return the credit to open the consumer with */
    public int initialCredit() {
        return prefetch;
    }

    /**
     * Counts records the application consumed (or the client discarded, such as noLocal ones).
     *
     * @return the credit to grant now, or 0 to wait for more
     */
    public int consumed(int records) {
        if (records < 0) {
            throw new IllegalArgumentException("records=" + records);
        }
        consumedSinceGrant += records;
        if (consumedSinceGrant < threshold) {
            return 0;
        }
        final int grant = consumedSinceGrant;
        consumedSinceGrant = 0;
        return grant;
    }

    /** @return consumed records not yet granted back */
    public int ungranted() {
        return consumedSinceGrant;
    }
}
