package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/** The brokers of the cluster and which one is the controller; the request has no body. */
public final class DescribeCluster {
    private DescribeCluster() {
    }

    /** A broker and the address a client reaches it at ({@code port} -1 for an in-JVM listener). */
    public record Broker(int id, String host, int port) {
        void writeTo(ByteBuf out) {
            out.writeInt(id);
            FrameWriter.writeNullableString(out, host);
            out.writeInt(port);
        }

        static Broker readFrom(FrameReader in) {
            return new Broker(in.readInt32("broker id"), in.readString("host"), in.readInt32("port"));
        }
    }

    public record Response(ResponseStatus status, int controllerId, List<Broker> brokers) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeInt(controllerId);
            AdminWire.writeList(out, brokers, Broker::writeTo);
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("describe cluster error response");
                return new Response(status, -1, List.of());
            }
            Response r = new Response(status, in.readInt32("controller id"),
                    AdminWire.readList(in, "brokers", 4 + 2 + 4, Broker::readFrom));
            in.end("describe cluster response");
            return r;
        }
    }
}
