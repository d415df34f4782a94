package io.strand.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The first exchange on a connection. The client offers the range of protocol versions it speaks,
 * its JMS client id (null when it has none yet) and, unless it connects anonymously, a user name and
 * password; the broker picks the highest version both speak, or answers
 * {@link ErrorCode#UNSUPPORTED_VERSION}, and a client id already in use on another connection gets
 * {@link ErrorCode#INVALID_CLIENT_ID}. Credentials the broker refuses, or an anonymous handshake where
 * the broker allows none, get {@link ErrorCode#AUTHENTICATION_FAILED}, after which the broker closes the
 * connection. Only the first handshake of a connection authenticates; a later one (which sets the client
 * id) leaves the connection's user as it is and may carry no credentials.
 */
public final class Handshake {
    /** Protocol versions this build speaks. */
    public static final short MIN_VERSION = 0;
    /**
     * 1: topic pushes say which records were delivered before ({@link Consumers.Deliver#redeliveredBelow}).
     */
    public static final short MAX_VERSION = 1;

    private Handshake() {
    }

    /**
     * @param userName null (or empty) for an anonymous connection
     * @param password the user's password; null for an anonymous connection
     */
    public record Request(short minVersion, short maxVersion, String clientId, String clientSoftware,
                          String userName, String password) {
        /** An anonymous handshake. */
        public Request(short minVersion, short maxVersion, String clientId, String clientSoftware) {
            this(minVersion, maxVersion, clientId, clientSoftware, null, null);
        }

        public void writeTo(ByteBuf out) {
            out.writeShort(minVersion);
            out.writeShort(maxVersion);
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, clientSoftware);
            FrameWriter.writeNullableString(out, userName);
            FrameWriter.writeNullableString(out, password);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readInt16("min version"), in.readInt16("max version"),
                    in.readNullableString("client id"), in.readNullableString("client software"),
                    in.readNullableString("user name"), in.readNullableString("password"));
            in.end("handshake request");
            return r;
        }

        /** Never shows the password: requests end up in logs and test reports. */
        @Override
        public String toString() {
            return "Request[minVersion=" + minVersion + ", maxVersion=" + maxVersion + ", clientId=" + clientId
                    + ", clientSoftware=" + clientSoftware + ", userName=" + userName + ", password="
                    + (password == null ? "null" : "(hidden)") + "]";
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
