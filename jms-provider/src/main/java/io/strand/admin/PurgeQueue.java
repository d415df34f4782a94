package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;

/**
 * Marks every record of a queue below its high watermark consumed, those held by consumers included
 * (their acknowledgements are then ignored). The log keeps the records until retention removes them,
 * so a purge can be undone with a rewind.
 */
public final class PurgeQueue {
    private PurgeQueue() {
    }

    public record Request(String queue) {
        public void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, queue);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readString("queue"));
            in.end("purge queue request");
            return r;
        }
    }

    /** @param purged records that were not consumed before the purge */
    public record Response(ResponseStatus status, long purged) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                out.writeLong(purged);
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            long purged = status.isOk() ? in.readInt64("purged") : 0;
            in.end("purge queue response");
            return new Response(status, purged);
        }
    }
}
