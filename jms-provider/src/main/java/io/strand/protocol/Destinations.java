package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Destination metadata and administration: look up (and, when the broker allows it, auto-create)
 * destinations, create, delete and list them. A destination is identified by its type and name.
 */
public final class Destinations {
    /** Most destinations one request may name or one response may list. */
    public static final int MAX_DESTINATIONS = 100_000;
    /** Smallest encoding of one {@link Info}: type, empty name, partition count. */
    private static final int MIN_INFO_BYTES = 1 + 2 + 4;

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

    /** Creates a destination with a partition count (0 = the broker's default). */
    /**
     * Creates a destination. A temporary one belongs to the creating connection: only it may consume
     * from or delete it, and it is deleted when that connection ends; its name must start with the
     * prefix the broker keeps for temporary destinations ({@code _tmp.}).
     */
    public record CreateRequest(DestinationType type, String name, int partitions, boolean temporary) {
        public void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, name);
            out.writeInt(partitions);
            out.writeBoolean(temporary);
        }

        public static CreateRequest readFrom(FrameReader in) {
            CreateRequest r = new CreateRequest(DestinationType.forId(in.readInt8("destination type")),
                    in.readString("destination"), in.readInt32("partitions"), in.readBoolean("temporary"));
            in.end("create destination request");
            return r;
        }
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
