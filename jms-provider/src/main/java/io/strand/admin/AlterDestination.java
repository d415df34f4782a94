package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Destinations;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import java.util.Map;

/**
 * Changes a destination: more partitions (never fewer: records are placed by partition, and a
 * partition removed would lose its records), its retention, or, from protocol version
 * {@value Destinations#SETTINGS_VERSION} on, its settings: {@link Destinations#MIN_INSYNC_REPLICAS}. The
 * {@link Destinations#REPLICATION_FACTOR} of a destination is changed by moving its partitions to more or fewer
 * brokers ({@link ReassignPartition}); a request to set it to another value is refused. Answered with a status alone.
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
     * @param settings       setting name to its new value; the settings it does not name stay as they are
     */
    public record Request(DestinationType type, String name, int partitions, long retentionMs, long retentionBytes,
                          Map<String, String> settings) {
        public Request {
            settings = Map.copyOf(settings);
            if (settings.size() > Destinations.MAX_SETTINGS) {
                throw new IllegalArgumentException(settings.size() + " settings are more than the "
                        + Destinations.MAX_SETTINGS + " a request may carry");
            }
        }

        /** A request that changes no setting. */
        public Request(DestinationType type, String name, int partitions, long retentionMs, long retentionBytes) {
            this(type, name, partitions, retentionMs, retentionBytes, Map.of());
        }

        /** @throws IllegalArgumentException for settings in a version that cannot carry them */
        public void writeTo(ByteBuf out, short version) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            out.writeInt(partitions);
            out.writeLong(retentionMs);
            out.writeLong(retentionBytes);
            if (version >= Destinations.SETTINGS_VERSION) {
                Destinations.writeSettings(out, settings);
            } else if (!settings.isEmpty()) {
                throw new IllegalArgumentException("protocol version " + version + " cannot carry the settings "
                        + settings.keySet() + " of " + name + ": they need version " + Destinations.SETTINGS_VERSION);
            }
        }

        public static Request readFrom(FrameReader in, short version) {
            DestinationType type = DestinationType.forId(in.readInt8("destination type"));
            String name = in.readString("destination");
            int partitions = in.readInt32("partitions");
            long retentionMs = in.readInt64("retention ms");
            long retentionBytes = in.readInt64("retention bytes");
            Map<String, String> settings = version >= Destinations.SETTINGS_VERSION ? Destinations.readSettings(in)
                    : Map.of();
            in.end("alter destination request");
            return new Request(type, name, partitions, retentionMs, retentionBytes, settings);
        }
    }
}
