package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Destination metadata and administration: look up (and, when the broker allows it, auto-create)
 * destinations, create, delete and list them. A destination is identified by its type and name.
 */
public final class Destinations {
    /** Most destinations one request may name or one response may list. */
    public static final int MAX_DESTINATIONS = 100_000;
    /** Smallest encoding of one {@link Info}: type, empty name, partition count. */
    private static final int MIN_INFO_BYTES = 1 + 2 + 4;
    /**
     * The destination setting of how many copies of each partition a cluster keeps (the brokers' own
     * {@code replication.factor} when absent); a broker alone keeps one.
     */
    public static final String REPLICATION_FACTOR = "replication.factor";
    /**
     * The destination setting of how many in-sync copies a write needs before it is acknowledged (the brokers' own
     * {@code min.insync.replicas} when absent, at most the replication factor).
     */
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    /** The first protocol version whose create requests carry destination settings. */
    public static final short SETTINGS_VERSION = 5;
    /** Most settings one request may carry. */
    public static final int MAX_SETTINGS = 64;

    private Destinations() {
    }

    /** A destination as the broker knows it. */
    public record Info(DestinationType type, String name, int partitions) {
        void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            out.writeInt(partitions);
        }

        static Info readFrom(FrameReader in) {
            return new Info(DestinationType.forId(in.readInt8("destination type")), in.readString("destination"),
                    in.readInt32("partitions"));
        }
    }

    /** Metadata of one destination; with {@code create}, the broker creates it when missing and auto-creation is on. */
    public record MetadataRequest(DestinationType type, String name, boolean create) {
        public void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            FrameWriter.writeBoolean(out, create);
        }

        public static MetadataRequest readFrom(FrameReader in) {
            MetadataRequest r = new MetadataRequest(DestinationType.forId(in.readInt8("destination type")),
                    in.readString("destination"), in.readBoolean("create"));
            in.end("metadata request");
            return r;
        }
    }

    public record MetadataResponse(ResponseStatus status, Info destination) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            destination.writeTo(out);
        }

        public static MetadataResponse readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("metadata error response");
                return new MetadataResponse(status, null);
            }
            MetadataResponse r = new MetadataResponse(status, Info.readFrom(in));
            in.end("metadata response");
            return r;
        }
    }

    /**
     * Creates a destination with a partition count (0 = the broker's default). A temporary one belongs to the
     * creating connection: only it may consume from or delete it, and it is deleted when that connection ends; its
     * name must start with the prefix the broker keeps for temporary destinations ({@code _tmp.}).
     *
     * <p>From protocol version {@value #SETTINGS_VERSION} on, a request for a destination that is not temporary
     * ends with the destination's settings ({@link #REPLICATION_FACTOR}, {@link #MIN_INSYNC_REPLICAS}); an absent
     * one takes the broker's default. A temporary destination takes no settings, so its request reads the same in
     * every version: a client may send it again after a failover without knowing which version the next broker
     * speaks.
     *
     * @param settings setting name to value; empty for the broker's defaults
     */
    public record CreateRequest(DestinationType type, String name, int partitions, boolean temporary,
                                Map<String, String> settings) {
        public CreateRequest {
            settings = Map.copyOf(settings);
            if (temporary && !settings.isEmpty()) {
                throw new IllegalArgumentException("temporary destination " + name + " takes no settings, not "
                        + settings.keySet());
            }
            if (settings.size() > MAX_SETTINGS) {
                throw new IllegalArgumentException(settings.size() + " settings are more than the " + MAX_SETTINGS
                        + " a request may carry");
            }
        }

        /** A destination with the broker's default settings. */
        public CreateRequest(DestinationType type, String name, int partitions, boolean temporary) {
            this(type, name, partitions, temporary, Map.of());
        }

        /** @throws IllegalArgumentException for settings in a version that cannot carry them */
        public void writeTo(ByteBuf out, short version) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            out.writeInt(partitions);
            out.writeBoolean(temporary);
            if (version >= SETTINGS_VERSION && !temporary) {
                writeSettings(out, settings);
            } else if (!settings.isEmpty()) {
                throw new IllegalArgumentException("protocol version " + version + " cannot carry the settings "
                        + settings.keySet() + " of " + name + ": they need version " + SETTINGS_VERSION);
            }
        }

        public static CreateRequest readFrom(FrameReader in, short version) {
            DestinationType type = DestinationType.forId(in.readInt8("destination type"));
            String name = in.readString("destination");
            int partitions = in.readInt32("partitions");
            boolean temporary = in.readBoolean("temporary");
            Map<String, String> settings = version >= SETTINGS_VERSION && !temporary ? readSettings(in) : Map.of();
            in.end("create destination request");
            return new CreateRequest(type, name, partitions, temporary, settings);
        }
    }

    /** Settings as a count and name-value pairs, in name order. */
    public static void writeSettings(ByteBuf out, Map<String, String> settings) {
        out.writeShort(settings.size());
        new TreeMap<>(settings).forEach((key, value) -> {
            FrameWriter.writeNullableString(out, key);
            FrameWriter.writeNullableString(out, value);
        });
    }

    /** Settings written by {@link #writeSettings}; a name given twice is malformed. */
    public static Map<String, String> readSettings(FrameReader in) {
        int count = in.readInt16("settings count");
        if (count < 0 || count > MAX_SETTINGS) {
            throw new MalformedFrameException("settings count " + count + " is outside 0.." + MAX_SETTINGS);
        }
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.readString("setting name");
            if (settings.put(key, in.readString("value of setting " + key)) != null) {
                throw new MalformedFrameException("setting " + key + " is given twice");
            }
        }
        return Map.copyOf(settings);
    }

    public record DeleteRequest(DestinationType type, String name) {
        public void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
        }

        public static DeleteRequest readFrom(FrameReader in) {
            DeleteRequest r = new DeleteRequest(DestinationType.forId(in.readInt8("destination type")),
                    in.readString("destination"));
            in.end("delete destination request");
            return r;
        }
    }

    public record ListResponse(ResponseStatus status, List<Info> destinations) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeInt(destinations.size());
            destinations.forEach(d -> d.writeTo(out));
        }

        public static ListResponse readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("list destinations error response");
                return new ListResponse(status, List.of());
            }
            int count = in.readCount("destinations", MAX_DESTINATIONS, MIN_INFO_BYTES);
            List<Info> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(Info.readFrom(in));
            }
            in.end("list destinations response");
            return new ListResponse(status, list);
        }
    }
}
