package io.strand.ra;

/**
 * How long an inbound activation waits before its next attempt to reach the broker: the first delay after a
 * failure, then that delay multiplied after each failed attempt, never more than the maximum. A successful
 * connection starts the sequence again.
 *
 * <p>Immutable; {@link #delayMs(int)} is a pure function of the attempt number so the sequence is easy to test.
 */
record ReconnectBackoff(long initialDelayMs, long maxDelayMs, double multiplier) {

    ReconnectBackoff {
        if (initialDelayMs < 1) {
            throw new IllegalArgumentException("reconnect initial delay must be at least 1 ms: reconnectInitialDelayMs="
                    + initialDelayMs);
        }
        if (maxDelayMs < initialDelayMs) {
            throw new IllegalArgumentException("reconnect maximum delay must be at least the initial delay: reconnectMaxDelayMs="
                    + maxDelayMs + " reconnectInitialDelayMs=" + initialDelayMs);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("reconnect multiplier must be a finite number of at least 1: reconnectMultiplier="
                    + multiplier);
        }
    }

    /**
     * @param attempt 1 for the first attempt after a failure, 2 for the next, and so on
     * @return the delay before that attempt in milliseconds
     */
    long delayMs(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1: attempt=" + attempt);
        }
        final double delay = initialDelayMs * Math.pow(multiplier, attempt - 1);
        return delay >= maxDelayMs ? maxDelayMs : (long) delay;
    }
}
