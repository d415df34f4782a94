package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Opens a consumer. {@code session} numbers the client's session the consumer belongs to, unique on its
     * connection, so that an operator sees a connection's consumers session by session; it travels from
     * protocol version {@value #SESSION_VERSION} on and reads as {@link #UNKNOWN_SESSION} before.
     *
     * <p>{@code resuming} says that the consumer is opened again on another broker connection (after a failover) and
     * goes on with the subscription it had, which matters for the two kinds whose subscription lives only while it
     * has consumers: a non-durable subscriber, with {@code resumeAt} per partition the offset it goes on from (a
     * partition it does not name starts at the high watermark, as a new subscriber does), and a consumer of a
     * non-durable shared subscription, which takes up the subscription's state the broker kept. Both travel from
     * protocol version {@value #RESUME_VERSION} on; they are false and empty for every other consumer.
     */
    public record OpenRequest(int consumerId, DestinationType type, String destination, SubscriptionKind kind,
                              String subscriptionName, String selector, boolean noLocal, int credit, int session,
                              boolean resuming, List<PartitionOffset> resumeAt) {
        /** The first protocol version whose open requests name the consumer's session. */
        public static final short SESSION_VERSION = 3;
        /** The first protocol version whose open requests may say where a non-durable subscriber resumes. */
        public static final short RESUME_VERSION = 6;
        /** The session of a consumer whose client did not say (an older client). */
        public static final int UNKNOWN_SESSION = -1;
        private static final int MAX_PARTITIONS = 100_000;

        public OpenRequest {
            resumeAt = List.copyOf(resumeAt);
            if (!resuming && !resumeAt.isEmpty()) {
                throw new IllegalArgumentException("resume positions belong to a consumer that resumes");
            }
        }

        /** A request that resumes nowhere: every consumer's first open. */
        public OpenRequest(int consumerId, DestinationType type, String destination, SubscriptionKind kind,
                           String subscriptionName, String selector, boolean noLocal, int credit, int session) {
            this(consumerId, type, destination, kind, subscriptionName, selector, noLocal, credit, session, false,
                    List.of());
        }

        /** A request that names no session. */
        public OpenRequest(int consumerId, DestinationType type, String destination, SubscriptionKind kind,
                           String subscriptionName, String selector, boolean noLocal, int credit) {
            this(consumerId, type, destination, kind, subscriptionName, selector, noLocal, credit, UNKNOWN_SESSION);
        }

        /**
         * The same request with other credit, and resuming or not: how a consumer is opened again on the next broker
         * connection.
         */
        public OpenRequest reopening(int newCredit, boolean resume, List<PartitionOffset> newResumeAt) {
            return new OpenRequest(consumerId, type, destination, kind, subscriptionName, selector, noLocal, newCredit,
                    session, resume, newResumeAt);
        }

        public void writeTo(ByteBuf out, short version) {
            if (resuming && version < RESUME_VERSION) {
                throw new IllegalArgumentException("resume positions need protocol version " + RESUME_VERSION
                        + "; the connection speaks " + version);
            }
            out.writeInt(consumerId);
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, destination);
            out.writeByte(kind.id);
            FrameWriter.writeNullableString(out, subscriptionName);
            FrameWriter.writeNullableString(out, selector);
            FrameWriter.writeBoolean(out, noLocal);
            out.writeInt(credit);
            if (version >= SESSION_VERSION) {
                out.writeInt(session);
            }
            if (version >= RESUME_VERSION) {
                FrameWriter.writeBoolean(out, resuming);
                writePartitionOffsets(out, resumeAt);
            }
        }

        public static OpenRequest readFrom(FrameReader in, short version) {
            OpenRequest r = new OpenRequest(in.readInt32("consumer id"),
                    DestinationType.forId(in.readInt8("destination type")), in.readString("destination"),
                    SubscriptionKind.forId(in.readInt8("subscription kind")), in.readNullableString("subscription name"),
                    in.readNullableString("selector"), in.readBoolean("no local"), in.readInt32("credit"),
                    version >= SESSION_VERSION ? in.readInt32("session") : UNKNOWN_SESSION,
                    version >= RESUME_VERSION && in.readBoolean("resuming"),
                    version >= RESUME_VERSION ? readPartitionOffsets(in, "resume positions") : List.of());
            in.end("open consumer request");
            if (r.credit < 0) {
                throw new MalformedFrameException("open consumer request has negative credit " + r.credit);
            }
            if (r.session < UNKNOWN_SESSION) {
                throw new MalformedFrameException("open consumer request names session " + r.session
                        + "; sessions are numbered from 0, or " + UNKNOWN_SESSION + " for none");
            }
            if (!r.resumeAt.isEmpty() && r.kind != SubscriptionKind.NON_DURABLE) {
                throw new MalformedFrameException("open consumer request of a " + r.kind + " consumer has resume"
                        + " positions; only a non-durable topic subscriber resumes from positions of its own");
            }
            if (r.resuming && r.kind != SubscriptionKind.NON_DURABLE && r.kind != SubscriptionKind.SHARED) {
                throw new MalformedFrameException("open consumer request of a " + r.kind + " consumer resumes; only a"
                        + " non-durable subscriber or a consumer of a non-durable shared subscription does (the others'"
                        + " subscriptions outlive their consumers)");
            }
            return r;
        }
    }

    /**
     * The answer to {@link ApiKey#OPEN_CONSUMER}. From protocol version {@value OpenRequest#RESUME_VERSION} on, an
     * accepted open of a non-durable topic subscriber carries, per partition, the offset the subscriber starts at,
     * which its client keeps in order to resume there after a failover; the list is empty for every other consumer.
     * Before that version, and for a refused open, the answer is the status alone.
     */
    public record OpenResponse(ResponseStatus status, List<PartitionOffset> startAt) {
        public OpenResponse {
            startAt = List.copyOf(startAt);
        }

        public void writeTo(ByteBuf out, short version) {
            status.writeTo(out);
            if (status.isOk() && version >= OpenRequest.RESUME_VERSION) {
                writePartitionOffsets(out, startAt);
            }
        }

        public static OpenResponse readFrom(FrameReader in, short version) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<PartitionOffset> startAt = status.isOk() && version >= OpenRequest.RESUME_VERSION
                    ? readPartitionOffsets(in, "start positions") : List.of();
            in.end("open consumer response");
            return new OpenResponse(status, startAt);
        }
    }

    private static void writePartitionOffsets(ByteBuf out, List<PartitionOffset> offsets) {
        out.writeInt(offsets.size());
        for (PartitionOffset p : offsets) {
            out.writeInt(p.partition());
            out.writeLong(p.nextOffset());
        }
    }

    private static List<PartitionOffset> readPartitionOffsets(FrameReader in, String field) {
        int count = in.readCount(field, OpenRequest.MAX_PARTITIONS, 4 + 8);
        List<PartitionOffset> offsets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            PartitionOffset p = new PartitionOffset(in.readInt32("partition"), in.readInt64("offset"));
            if (p.partition() < 0 || p.nextOffset() < 0) {
                throw new MalformedFrameException(field + " name partition " + p.partition() + " at offset "
                        + p.nextOffset() + "; neither may be negative");
            }
            offsets.add(p);
        }
        return offsets;
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

    /** In partition {@code partition}, every record below {@code nextOffset}. */
    public record PartitionOffset(int partition, long nextOffset) {
    }

    /**
     * {@link ApiKey#CONSUMER_HANDED_OUT}: how far, in each partition, a topic consumer handed records to the
     * application (partitions not listed: none); sent just before it closes.
     */
    public record HandedOutRequest(int consumerId, List<PartitionOffset> handedOut) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
            writePartitionOffsets(out, handedOut);
        }

        public static HandedOutRequest readFrom(FrameReader in) {
            int consumerId = in.readInt32("consumer id");
            List<PartitionOffset> handedOut = readPartitionOffsets(in, "handed-out positions");
            in.end("consumer handed out request");
            return new HandedOutRequest(consumerId, handedOut);
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
     * while the frame is retained. Records below
     * {@code redeliveredBelow} were delivered before (to an earlier consumer of the same durable subscription)
     * and are not acknowledged: the consumer marks them redelivered. That field travels from protocol
     * version {@value #REDELIVERED_BELOW_VERSION}; in older versions it reads as {@code fromOffset} (nothing
     * redelivered).
     */
    public record Deliver(int consumerId, int partition, long fromOffset, long redeliveredBelow, ByteBuf records) {
        /** The first protocol version whose pushes carry {@code redeliveredBelow}. */
        public static final short REDELIVERED_BELOW_VERSION = 1;

        /** A push of records none of which was delivered before. */
        public Deliver(int consumerId, int partition, long fromOffset, ByteBuf records) {
            this(consumerId, partition, fromOffset, fromOffset, records);
        }

        /** The part of the frame body before the records, so a broker can send the records as a file region after it. */
        public void writeHeaderTo(ByteBuf out, int recordsBytes, short version) {
            out.writeInt(consumerId);
            out.writeInt(partition);
            out.writeLong(fromOffset);
            if (version >= REDELIVERED_BELOW_VERSION) {
                out.writeLong(redeliveredBelow);
            }
            out.writeInt(recordsBytes);
        }

        /** Bytes of the body before the records in the given protocol version. */
        public static int headerBytes(short version) {
            return 4 + 4 + 8 + (version >= REDELIVERED_BELOW_VERSION ? 8 : 0) + 4;
        }

        public static Deliver readFrom(FrameReader in, short version) {
            int consumerId = in.readInt32("consumer id");
            int partition = in.readInt32("partition");
            long fromOffset = in.readInt64("from offset");
            long redeliveredBelow = version >= REDELIVERED_BELOW_VERSION ? in.readInt64("redelivered below") : fromOffset;
            Deliver d = new Deliver(consumerId, partition, fromOffset, redeliveredBelow,
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
