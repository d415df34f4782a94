package io.strand.jms.client;

/**
 * How the records of one consumer are acknowledged on the wire, which depends on how the broker hands
 * them out (DESIGN.md §3).
 */
public enum AckStyle {
    /**
     * Topic subscriptions: a consumer sees each partition in offset order, so one {@code ACKNOWLEDGE}
     * of an offset covers every record up to it. Records cannot be released: recover redelivers them
     * from the client's memory.
     */
    CUMULATIVE,
    /**
     * Queues: records are acquired one by one from a share group, so each is accepted or released by
     * its own offset, in {@code SHARE_ACKNOWLEDGE} ranges. Records the application never saw stay
     * acquired until the consumer closes, when the broker releases them.
     */
    PER_RECORD;

    /** @return an empty set of acknowledgements queued in this style for one consumer partition */
    PendingAcks newPending() {
        return this == CUMULATIVE ? new CumulativeAcks() : new RangeAcks();
    }
}
