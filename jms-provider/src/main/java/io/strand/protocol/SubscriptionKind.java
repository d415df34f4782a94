package io.strand.protocol;

/** What kind of consumer an open-consumer request asks for. Ids are stable on the wire. */
public enum SubscriptionKind {
    /** A topic subscriber that sees what is published while it is open, from the log end. */
    NON_DURABLE(0),
    /** A durable topic subscription, named by the connection's client id and a subscription name. */
    DURABLE(1),
    /** A receiver on a queue: competing consumers, each record to one of them. */
    QUEUE(2),
    /**
     * A queue browser: sees what the queue holds when it opens, takes nothing, acknowledges nothing;
     * its last push has no records (the browse is over).
     */
    BROWSER(3),
    /**
     * A consumer of a shared non-durable topic subscription, named by a subscription name and the
     * client id if set: competing consumers, each record to one of them, acknowledged record by record
     * as on a queue. The subscription ends with its last consumer.
     */
    SHARED(4),
    /** A consumer of a shared durable topic subscription: as {@link #SHARED}, but the subscription lives until unsubscribed. */
    SHARED_DURABLE(5);

    public final byte id;

    SubscriptionKind(int id) {
        this.id = (byte) id;
    }

    /** Whether consumers of this kind acquire records from a share group and acknowledge them one by one. */
    public boolean readsShareGroup() {
        return this == QUEUE || this == SHARED || this == SHARED_DURABLE;
    }

    public static SubscriptionKind forId(byte id) {
        for (SubscriptionKind kind : values()) {
            if (kind.id == id) {
                return kind;
            }
        }
        throw new MalformedFrameException("subscription kind " + id + " is not known");
    }
}
