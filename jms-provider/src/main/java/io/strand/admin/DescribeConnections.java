package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.DestinationType;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.SubscriptionKind;
import java.util.List;

/** The client connections of a broker and the consumers open on each; the request has no body. */
public final class DescribeConnections {
    private DescribeConnections() {
    }

    /**
     * @param subscription the durable subscription's name, or null
     * @param credit       records the broker may still push to it
     */
    public record Consumer(int id, SubscriptionKind kind, DestinationType type, String destination, String subscription,
                           long credit) {
        void writeTo(ByteBuf out) {
            out.writeInt(id);
            out.writeByte(kind.id);
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, destination);
            FrameWriter.writeNullableString(out, subscription);
            out.writeLong(credit);
        }

        static Consumer readFrom(FrameReader in) {
            return new Consumer(in.readInt32("consumer id"), SubscriptionKind.forId(in.readInt8("kind")),
                    DestinationType.forId(in.readInt8("destination type")), in.readString("destination"),
                    in.readNullableString("subscription"), in.readInt64("credit"));
        }
    }

    /**
     * @param clientId the JMS client id, or null when none is set
     * @param user     the authenticated user, or null for an anonymous connection
     */
    public record Connection(String remoteAddress, String clientId, String user, List<Consumer> consumers) {
        void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, remoteAddress);
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, user);
            AdminWire.writeList(out, consumers, Consumer::writeTo);
        }

        static Connection readFrom(FrameReader in) {
            return new Connection(in.readString("remote address"), in.readNullableString("client id"),
                    in.readNullableString("user"), AdminWire.readList(in, "consumers", 4 + 2 + 2 + 2 + 8,
                    Consumer::readFrom));
        }
    }

    public record Response(ResponseStatus status, List<Connection> connections) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, connections, Connection::writeTo);
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<Connection> connections = status.isOk()
                    ? AdminWire.readList(in, "connections", 2 * 3 + 4, Connection::readFrom) : List.of();
            in.end("describe connections response");
            return new Response(status, connections);
        }
    }
}
