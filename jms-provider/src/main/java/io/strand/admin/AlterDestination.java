package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.DestinationType;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;

/**
 * Changes a destination: more partitions (never fewer: records are placed by partition, and a
 * partition removed would lose its records), or its retention. Answered with a status alone.
 */
public final class AlterDestination {
    /** A setting the request leaves as it is. */
    public static final long UNCHANGED = Long.MIN_VALUE;

    private AlterDestination() {
    }

    /**
     * @param partitions     the new partition count, at least the current one; 0 leaves it
     * @param retentionMs    how long records are kept, -1 forever, {@link #UNCHANGED} to leave it
     * @param retentionBytes bytes each partition keeps, -1 no limit, {@link #UNCHANGED} to leave it
     */
    public record Request(DestinationType type, String name, int partitions, long retentionMs, long retentionBytes) {
        public void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            out.writeInt(partitions);
            out.writeLong(retentionMs);
            out.writeLong(retentionBytes);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(DestinationType.forId(in.readInt8("destination type")), in.readString("destination"),
                    in.readInt32("partitions"), in.readInt64("retention ms"), in.readInt64("retention bytes"));
            in.end("alter destination request");
            return r;
        }
    }
}
