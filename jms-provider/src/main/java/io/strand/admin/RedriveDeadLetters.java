package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/**
 * Moves records of a dead-letter (or expiry) queue back to the queue each came from, named by its
 * {@code JMS_Strand_OriginalQueue} property. The copy loses the properties the broker added when it
 * dead-lettered the record; the record in the dead-letter queue is consumed once its copy is durable.
 */
public final class RedriveDeadLetters {
    /** Most records one request moves. */
    public static final int MAX_MESSAGES = 100_000;

    private RedriveDeadLetters() {
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

    /** {@code count} records went back to {@code queue}. */
    public record Moved(String queue, long count) {
        void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, queue);
            out.writeLong(count);
        }

        static Moved readFrom(FrameReader in) {
            return new Moved(in.readString("queue"), in.readInt64("count"));
        }
    }

    /** @param skipped records left in the dead-letter queue because they name no original queue */
    public record Response(ResponseStatus status, List<Moved> moved, long skipped) {
        public long total() {
            return moved.stream().mapToLong(Moved::count).sum();
        }

        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, moved, Moved::writeTo);
                out.writeLong(skipped);
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("redrive error response");
                return new Response(status, List.of(), 0);
            }
            Response r = new Response(status, AdminWire.readList(in, "moved", 2 + 8, Moved::readFrom),
                    in.readInt64("skipped"));
            in.end("redrive response");
            return r;
        }
    }
}
