package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/**
 * Moves records of a dead-letter (or expiry) queue back to where each came from: the queue named by its
 * {@code JMS_Strand_OriginalQueue} property, or the shared subscription named by its {@code JMS_Strand_OriginalTopic}
 * and {@code JMS_Strand_OriginalSubscription} properties, which gets a copy published to its topic for it alone. The
 * copy loses the properties the broker added when it dead-lettered the record; the record in the dead-letter queue is
 * consumed once its copy is durable. Before protocol version {@value AdminWire#SESSIONS_VERSION} the broker moves
 * records back to queues only, and leaves the others as skipped.
 */
public final class RedriveDeadLetters {
    /** Most records one request moves. */
    public static final int MAX_MESSAGES = 100_000;

    private RedriveDeadLetters() {
    }

    /** Whether a redrive asked for in protocol version {@code version} may move records back to shared subscriptions. */
    public static boolean movesToSubscriptions(short version) {
        return version >= AdminWire.SESSIONS_VERSION;
    }

    public record Request(String deadLetterQueue, int maxMessages) {
        public Request {
            if (maxMessages < 1 || maxMessages > MAX_MESSAGES) {
                throw new MalformedFrameException("a redrive moves 1 to " + MAX_MESSAGES + " messages; asked for "
                        + maxMessages);
            }
        }

        public void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, deadLetterQueue);
            out.writeInt(maxMessages);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readString("dead-letter queue"), in.readInt32("max messages"));
            in.end("redrive request");
            return r;
        }
    }

    /**
     * {@code count} records went back to {@code destination}: a queue when {@code subscription} is null, else the
     * topic whose shared subscription {@code subscription} (as the dead letters name it: {@code clientId:name}, or
     * the name alone) received them.
     */
    public record Moved(String destination, String subscription, long count) {
        /** Records moved back to a queue. */
        public Moved(String queue, long count) {
            this(queue, null, count);
        }

        void writeTo(ByteBuf out, short version) {
            FrameWriter.writeNullableString(out, destination);
            if (movesToSubscriptions(version)) {
                FrameWriter.writeNullableString(out, subscription);
            }
            out.writeLong(count);
        }

        static Moved readFrom(FrameReader in, short version) {
            return new Moved(in.readString("destination"),
                    movesToSubscriptions(version) ? in.readNullableString("subscription") : null, in.readInt64("count"));
        }
    }

    /** @param skipped records left in the dead-letter queue because they name nothing that exists to go back to */
    public record Response(ResponseStatus status, List<Moved> moved, long skipped) {
        public long total() {
            return moved.stream().mapToLong(Moved::count).sum();
        }

        public void writeTo(ByteBuf out, short version) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, moved, (m, o) -> m.writeTo(o, version));
                out.writeLong(skipped);
            }
        }

        public static Response readFrom(FrameReader in, short version) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("redrive error response");
                return new Response(status, List.of(), 0);
            }
            Response r = new Response(status, AdminWire.readList(in, "moved", 2 + 8, m -> Moved.readFrom(m, version)),
                    in.readInt64("skipped"));
            in.end("redrive response");
            return r;
        }
    }
}
