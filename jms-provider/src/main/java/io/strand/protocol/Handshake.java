package io.strand.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The first exchange on a connection. The client offers the range of protocol versions it speaks
 * and its JMS client id (null when it has none yet); the broker picks the highest version both
 * speak, or answers {@link ErrorCode#UNSUPPORTED_VERSION}, and a client id already in use on
 * another connection gets {@link ErrorCode#INVALID_CLIENT_ID}.
 */
public final class Handshake {
    /** Protocol versions this build speaks. */
    public static final short MIN_VERSION = 0;
    public static final short MAX_VERSION = 0;

    private Handshake() {
    }

    public record Request(short minVersion, short maxVersion, String clientId, String clientSoftware) {
        public void writeTo(ByteBuf out) {
            out.writeShort(minVersion);
            out.writeShort(maxVersion);
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, clientSoftware);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readInt16("min version"), in.readInt16("max version"),
                    in.readNullableString("client id"), in.readNullableString("client software"));
            in.end("handshake request");
            return r;
        }
    }

    public record Response(ResponseStatus status, short version, int brokerId, String brokerName) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeShort(version);
            out.writeInt(brokerId);
            FrameWriter.writeNullableString(out, brokerName);
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("handshake error response");
                return new Response(status, (short) -1, -1, null);
            }
            Response r = new Response(status, in.readInt16("version"), in.readInt32("broker id"),
                    in.readNullableString("broker name"));
            in.end("handshake response");
            return r;
        }
    }
}
