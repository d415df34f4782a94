package io.strand.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Record batches for one partition of a destination. The broker validates them, appends them and
 * answers once they are durable under the destination's guarantee ({@code durable=true}: a JMS
 * PERSISTENT send) or once they are in the log ({@code durable=false}: NON_PERSISTENT). Several
 * produce requests may be in flight on a connection; the broker answers them in order per partition.
 */
public final class Produce {
    /** Largest record bytes in one produce request, whatever the broker's own limit. */
    public static final int MAX_RECORDS_BYTES = 64 << 20;

    private Produce() {
    }

    public record Request(DestinationType type, String destination, int partition, boolean durable, ByteBuf records) {
        public void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, destination);
            out.writeInt(partition);
            FrameWriter.writeBoolean(out, durable);
            FrameWriter.writeNullableBytes(out, records);
        }

        /** Reads a request; {@code records} is a slice of the frame, valid while the frame is retained. */
        public static Request readFrom(FrameReader in) {
            Request r = new Request(DestinationType.forId(in.readInt8("destination type")), in.readString("destination"),
                    in.readInt32("partition"), in.readBoolean("durable"), in.readBytes("records", MAX_RECORDS_BYTES));
            in.end("produce request");
            return r;
        }
    }

    /** The offset given to the first record, or -1 with an error. */
    public record Response(ResponseStatus status, long baseOffset) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeLong(baseOffset);
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("produce error response");
                return new Response(status, -1);
            }
            Response r = new Response(status, in.readInt64("base offset"));
            in.end("produce response");
            return r;
        }
    }
}
