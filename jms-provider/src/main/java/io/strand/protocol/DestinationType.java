package io.strand.protocol;

/** Whether a destination is a queue or a topic; both are logs, their consumers differ. Ids are stable on the wire. */
public enum DestinationType {
    QUEUE(0),
    TOPIC(1);

    public final byte id;

    DestinationType(int id) {
        this.id = (byte) id;
    }

    public static DestinationType forId(byte id) {
        for (DestinationType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new MalformedFrameException("destination type " + id + " is not 0 (queue) or 1 (topic)");
    }
}
