package io.strand.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Consumers: open one, give it credit, receive pushed records, acknowledge them, close it, remove a
 * durable subscription. A consumer id is chosen by the client and unique on its connection. The
 * broker pushes {@link Deliver} frames while the consumer has credit (one credit per record); a push
 * may carry a whole batch and so overdraw the credit, which the next grant makes good.
 */
public final class Consumers {
    /** Largest record bytes in one push. */
    public static final int MAX_RECORDS_BYTES = Produce.MAX_RECORDS_BYTES;

    private Consumers() {
    }

    public record OpenRequest(int consumerId, DestinationType type, String destination, SubscriptionKind kind,
                              String subscriptionName, String selector, boolean noLocal, int credit) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, destination);
            out.writeByte(kind.id);
            FrameWriter.writeNullableString(out, subscriptionName);
            FrameWriter.writeNullableString(out, selector);
            FrameWriter.writeBoolean(out, noLocal);
            out.writeInt(credit);
        }

        public static OpenRequest readFrom(FrameReader in) {
            OpenRequest r = new OpenRequest(in.readInt32("consumer id"),
                    DestinationType.forId(in.readInt8("destination type")), in.readString("destination"),
                    SubscriptionKind.forId(in.readInt8("subscription kind")), in.readNullableString("subscription name"),
                    in.readNullableString("selector"), in.readBoolean("no local"), in.readInt32("credit"));
            in.end("open consumer request");
            if (r.credit < 0) {
                throw new MalformedFrameException("open consumer request has negative credit " + r.credit);
            }
            return r;
        }
    }

    /** A request that names only a consumer: close it. */
    public record CloseRequest(int consumerId) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
        }

        public static CloseRequest readFrom(FrameReader in) {
            CloseRequest r = new CloseRequest(in.readInt32("consumer id"));
            in.end("close consumer request");
            return r;
        }
    }

    /**
     * {@link ApiKey#STOP_CONSUMER}: the consumer takes and pushes nothing more, whatever credit it had; what it
     * holds stays held until it is closed.
     */
    public record StopRequest(int consumerId) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
        }

        public static StopRequest readFrom(FrameReader in) {
            StopRequest r = new StopRequest(in.readInt32("consumer id"));
            in.end("stop consumer request");
            return r;
        }
    }

    /** More credit: the broker may push {@code credit} more records to the consumer. */
    public record CreditRequest(int consumerId, int credit) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
            out.writeInt(credit);
        }

        public static CreditRequest readFrom(FrameReader in) {
            CreditRequest r = new CreditRequest(in.readInt32("consumer id"), in.readInt32("credit"));
            in.end("consumer credit request");
            if (r.credit <= 0) {
                throw new MalformedFrameException("consumer credit must be positive, was " + r.credit);
            }
            return r;
        }
    }

    /**
     * Pushed by the broker: whole record batches of one partition for a consumer, in offset order.
     * Batches are never split, so the first one may begin before the consumer's position; the
     * consumer skips records below {@code fromOffset}. The records are a slice of the frame, valid
     * while the frame is retained.
     */
    public record Deliver(int consumerId, int partition, long fromOffset, ByteBuf records) {
        /** The part of the frame body before the records, so a broker can send the records as a file region after it. */
        public void writeHeaderTo(ByteBuf out, int recordsBytes) {
            out.writeInt(consumerId);
            out.writeInt(partition);
            out.writeLong(fromOffset);
            out.writeInt(recordsBytes);
        }

        public static Deliver readFrom(FrameReader in) {
            Deliver d = new Deliver(in.readInt32("consumer id"), in.readInt32("partition"), in.readInt64("from offset"),
                    in.readBytes("records", MAX_RECORDS_BYTES));
            in.end("deliver push");
            return d;
        }
    }

    /** Acknowledges every record of the consumer's partition up to and including {@code offset}. */
    public record AcknowledgeRequest(int consumerId, int partition, long offset) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
            out.writeInt(partition);
            out.writeLong(offset);
        }

        public static AcknowledgeRequest readFrom(FrameReader in) {
            AcknowledgeRequest r = new AcknowledgeRequest(in.readInt32("consumer id"), in.readInt32("partition"),
                    in.readInt64("offset"));
            in.end("acknowledge request");
            return r;
        }
    }

    /** Removes the durable subscription {@code name} of the connection's client id. */
    public record UnsubscribeRequest(String subscriptionName) {
        public void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, subscriptionName);
        }

        public static UnsubscribeRequest readFrom(FrameReader in) {
            UnsubscribeRequest r = new UnsubscribeRequest(in.readString("subscription name"));
            in.end("unsubscribe request");
            return r;
        }
    }
}
