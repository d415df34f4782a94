package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/**
 * Moves a durable subscription's positions, or a queue's share group, to an offset or to a time:
 * everything from there on is delivered again (or, moving forward, skipped). The log makes this
 * natural: nothing is copied, only positions change. Refused while a consumer uses the subscription
 * or the queue, and for an offset outside the log.
 */
public final class Rewind {
    private Rewind() {
    }

    /** What is rewound. Ids are stable on the wire. */
    public enum Target {
        /** A durable subscription, named by client id and subscription name. */
        SUBSCRIPTION(0),
        /** The share group of a queue, named by the queue. */
        QUEUE(1);

        public final byte id;

        Target(int id) {
            this.id = (byte) id;
        }

        public static Target forId(byte id) {
            for (Target target : values()) {
                if (target.id == id) {
                    return target;
                }
            }
            throw new MalformedFrameException("rewind target " + id + " is not 0 (subscription) or 1 (queue)");
        }
    }

    /**
     * @param clientId  the subscription's client id; null for a queue
     * @param name      the subscription's name, or the queue's
     * @param partition one partition, or -1 for all
     * @param offset    the new position, or -1 to use {@code timestamp}
     * @param timestamp the new position is the first record written at or after this time (epoch ms), or -1
     */
    public record Request(Target target, String clientId, String name, int partition, long offset, long timestamp) {
        public Request {
            if ((offset < 0) == (timestamp < 0) || offset < -1 || timestamp < -1) {
                throw new MalformedFrameException("a rewind goes to an offset or to a time, exactly one of them; got offset "
                        + offset + ", time " + timestamp);
            }
        }

        public void writeTo(ByteBuf out) {
            out.writeByte(target.id);
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, name);
            out.writeInt(partition);
            out.writeLong(offset);
            out.writeLong(timestamp);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(Target.forId(in.readInt8("target")), in.readNullableString("client id"),
                    in.readString("name"), in.readInt32("partition"), in.readInt64("offset"), in.readInt64("timestamp"));
            in.end("rewind request");
            return r;
        }
    }

    /** The position one partition moved to. */
    public record Position(int partition, long offset) {
        void writeTo(ByteBuf out) {
            out.writeInt(partition);
            out.writeLong(offset);
        }

        static Position readFrom(FrameReader in) {
            return new Position(in.readInt32("partition"), in.readInt64("offset"));
        }
    }

    public record Response(ResponseStatus status, List<Position> positions) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, positions, Position::writeTo);
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<Position> positions = status.isOk() ? AdminWire.readList(in, "positions", 12, Position::readFrom)
                    : List.of();
            in.end("rewind response");
            return new Response(status, positions);
        }
    }
}
