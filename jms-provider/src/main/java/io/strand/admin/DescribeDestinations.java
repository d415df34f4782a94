package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/**
 * Destinations with their retention and, per partition, the log's offsets, its size on disk and who
 * leads and holds it. A request names one destination, or none for all of them. From protocol version
 * {@value AdminWire#ISR_VERSION} on, a partition also names its in-sync replicas; from version
 * {@value io.strand.protocol.Destinations#SETTINGS_VERSION} on, a destination carries its replication factor and
 * min.insync.replicas.
 */
public final class DescribeDestinations {
    private DescribeDestinations() {
    }

    /** @param type null for both types; @param name null for every destination */
    public record Request(DestinationType type, String name) {
        public void writeTo(ByteBuf out) {
            AdminWire.writeOptionalType(out, type);
            FrameWriter.writeNullableString(out, name);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(AdminWire.readOptionalType(in, "destination type"),
                    in.readNullableString("destination"));
            in.end("describe destinations request");
            return r;
        }
    }

    /**
     * One partition's log.
     *
     * @param isr           the replicas in sync with the leader (all of them on a broker alone); before protocol
     *                        version {@value AdminWire#ISR_VERSION}, read as the replicas
     * @param highWatermark consumers read below it
     * @param sizeBytes     bytes of its segments on disk
     */
    public record Partition(int partition, int leader, List<Integer> replicas, List<Integer> isr, long logStartOffset,
                            long logEndOffset, long highWatermark, long sizeBytes, int segments) {
        public Partition {
            replicas = List.copyOf(replicas);
            isr = List.copyOf(isr);
        }

        /** Records the partition holds for consumers: what lies between the log start and the high watermark. */
        public long messages() {
            return highWatermark - logStartOffset;
        }

        /** Whether fewer replicas are in sync than are assigned. */
        public boolean underReplicated() {
            return isr.size() < replicas.size();
        }

        void writeTo(ByteBuf out, short version) {
            out.writeInt(partition);
            out.writeInt(leader);
            AdminWire.writeList(out, replicas, (replica, o) -> o.writeInt(replica));
            if (version >= AdminWire.ISR_VERSION) {
                AdminWire.writeList(out, isr, (member, o) -> o.writeInt(member));
            }
            out.writeLong(logStartOffset);
            out.writeLong(logEndOffset);
            out.writeLong(highWatermark);
            out.writeLong(sizeBytes);
            out.writeInt(segments);
        }

        static Partition readFrom(FrameReader in, short version) {
            int partition = in.readInt32("partition");
            int leader = in.readInt32("leader");
            List<Integer> replicas = AdminWire.readList(in, "replicas", 4, r -> r.readInt32("replica"));
            List<Integer> isr = version >= AdminWire.ISR_VERSION
                    ? AdminWire.readList(in, "in-sync replicas", 4, r -> r.readInt32("in-sync replica")) : replicas;
            return new Partition(partition, leader, replicas, isr, in.readInt64("log start offset"),
                    in.readInt64("log end offset"), in.readInt64("high watermark"), in.readInt64("size"),
                    in.readInt32("segments"));
        }
    }

    /**
     * @param retentionMs       how long records are kept; -1 forever
     * @param retentionBytes    how many bytes each partition keeps; -1 no limit
     * @param replicationFactor copies of each partition (1 on a broker alone); {@value #NOT_REPORTED} from a broker
     *                          older than protocol version {@value io.strand.protocol.Destinations#SETTINGS_VERSION}
     * @param minInsyncReplicas in-sync copies a write needs before it is acknowledged; {@value #NOT_REPORTED} from
     *                          a broker older than that version
     */
    public record Destination(DestinationType type, String name, boolean temporary, long retentionMs,
                              long retentionBytes, List<Partition> partitions, int replicationFactor,
                              int minInsyncReplicas) {
        /** The replication factor or min.insync.replicas of a broker that does not report them. */
        public static final int NOT_REPORTED = 0;

        public Destination {
            partitions = List.copyOf(partitions);
        }

        public long messages() {
            return partitions.stream().mapToLong(Partition::messages).sum();
        }

        public long sizeBytes() {
            return partitions.stream().mapToLong(Partition::sizeBytes).sum();
        }

        void writeTo(ByteBuf out, short version) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            FrameWriter.writeBoolean(out, temporary);
            out.writeLong(retentionMs);
            out.writeLong(retentionBytes);
            if (version >= Destinations.SETTINGS_VERSION) {
                out.writeInt(replicationFactor);
                out.writeInt(minInsyncReplicas);
            }
            AdminWire.writeList(out, partitions, (p, o) -> p.writeTo(o, version));
        }

        static Destination readFrom(FrameReader in, short version) {
            DestinationType type = DestinationType.forId(in.readInt8("destination type"));
            String name = in.readString("destination");
            boolean temporary = in.readBoolean("temporary");
            long retentionMs = in.readInt64("retention ms");
            long retentionBytes = in.readInt64("retention bytes");
            boolean reported = version >= Destinations.SETTINGS_VERSION;
            int replicationFactor = reported ? in.readInt32("replication factor") : NOT_REPORTED;
            int minInsyncReplicas = reported ? in.readInt32("min insync replicas") : NOT_REPORTED;
            List<Partition> partitions = AdminWire.readList(in, "partitions", 4 + 4 + 4 + 8 * 4 + 4,
                    r -> Partition.readFrom(r, version));
            return new Destination(type, name, temporary, retentionMs, retentionBytes, partitions, replicationFactor,
                    minInsyncReplicas);
        }
    }

    public record Response(ResponseStatus status, List<Destination> destinations) {
        public void writeTo(ByteBuf out, short version) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, destinations, (d, o) -> d.writeTo(o, version));
            }
        }

        public static Response readFrom(FrameReader in, short version) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<Destination> destinations = status.isOk() ? AdminWire.readList(in, "destinations",
                    1 + 2 + 1 + 8 + 8 + 4, r -> Destination.readFrom(r, version)) : List.of();
            in.end("describe destinations response");
            return new Response(status, destinations);
        }
    }
}
