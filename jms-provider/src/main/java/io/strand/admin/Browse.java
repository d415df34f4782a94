package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;

/**
 * Reads records of one partition from an offset or from a time, below the high watermark, whether
 * consumed or not; consumes nothing. The broker answers with whole record batches from the first
 * record asked for; the client decodes them ({@link BrowsedMessage}).
 */
public final class Browse {
    /** Most messages one browse returns. */
    public static final int MAX_MESSAGES = 1000;

    private Browse() {
    }

    /**
     * @param offset      the first offset to read, or -1 to start at {@code timestamp}
     * @param timestamp   start at the first record written at or after this time (epoch ms), or -1
     * @param maxMessages 1 to {@link #MAX_MESSAGES}
     */
    public record Request(DestinationType type, String name, int partition, long offset, long timestamp,
                          int maxMessages) {
        public Request {
            if ((offset < 0) == (timestamp < 0) || offset < -1 || timestamp < -1) {
                throw new MalformedFrameException("a browse starts at an offset or at a time, exactly one of them; got offset "
                        + offset + ", time " + timestamp);
            }
            if (maxMessages < 1 || maxMessages > MAX_MESSAGES) {
                throw new MalformedFrameException("a browse returns 1 to " + MAX_MESSAGES + " messages; asked for "
                        + maxMessages);
            }
        }

        public void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            out.writeInt(partition);
            out.writeLong(offset);
            out.writeLong(timestamp);
            out.writeInt(maxMessages);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(DestinationType.forId(in.readInt8("destination type")), in.readString("destination"),
                    in.readInt32("partition"), in.readInt64("offset"), in.readInt64("timestamp"),
                    in.readInt32("max messages"));
            in.end("browse request");
            return r;
        }
    }

    /**
     * @param firstOffset the first offset asked for (resolved from the time when the request gave one)
     * @param records     whole batches holding the records from {@code firstOffset}; records before it
     *                    in the first batch are not part of the answer
     */
    public record Response(ResponseStatus status, int partition, long firstOffset, long highWatermark, ByteBuf records) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeInt(partition);
            out.writeLong(firstOffset);
            out.writeLong(highWatermark);
            FrameWriter.writeNullableBytes(out, records);
        }

        /** Copies the records out of the frame, which is released once read. */
        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("browse error response");
                return new Response(status, -1, -1, -1, Unpooled.EMPTY_BUFFER);
            }
            Response r = new Response(status, in.readInt32("partition"), in.readInt64("first offset"),
                    in.readInt64("high watermark"),
                    Unpooled.copiedBuffer(in.readBytes("records", Consumers.MAX_RECORDS_BYTES)));
            in.end("browse response");
            return r;
        }
    }
}
