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
    BROWSER(3);

    public final byte id;

    SubscriptionKind(int id) {
        this.id = (byte) id;
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
