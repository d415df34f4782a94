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
 *
 * <p>In a cluster one broker serves JMS clients at a time; the others answer the handshake with
 * {@link ErrorCode#NOT_LEADER} and, after the status, one nullable string: the endpoint {@code host:port} of the
 * broker that serves clients now, or null when they do not know it ({@link Response#notLeader}). That answer is the
 * one error response of the protocol that carries more than its status; every other error of the handshake is the
 * status alone.
 */
public final class Handshake {
    /** Protocol versions this build speaks. */
    public static final short MIN_VERSION = 0;
    /**
     * 1: topic pushes say which records were delivered before ({@link Consumers.Deliver#redeliveredBelow}).
     * 2: the handshake answer names the broker's resource manager ({@link Response#resourceManagerId}).
     * 3: an open-consumer request names the consumer's session ({@link Consumers.OpenRequest#session}), and the
     * admin describe calls answer with sessions, consumer rates and shared subscriptions (see {@code io.strand.admin}).
     * 4: described partitions name their in-sync replicas (a cluster's ISR).
     * 5: a destination is created and altered with settings ({@link Destinations#REPLICATION_FACTOR},
     * {@link Destinations#MIN_INSYNC_REPLICAS}), and described destinations carry their replication factor and
     * min.insync.replicas.
     * 6: a non-durable topic subscriber opened again after a failover resumes where it was
     * ({@link Consumers.OpenRequest#resumeAt}), and an accepted open answers with where the subscriber starts
     * ({@link Consumers.OpenResponse}).
     */
    public static final short MAX_VERSION = 6;
    /** The first version whose handshake answer carries the resource manager id. */
    public static final short RESOURCE_MANAGER_ID_VERSION = 2;

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

    /**
     * @param resourceManagerId what identifies the broker's data, and so its prepared XA branches, for as long as
     *                          the data lives (a transaction manager's {@code isSameRM}); sent from version
     *                          {@value #RESOURCE_MANAGER_ID_VERSION} on, null before
     * @param leaderEndpoint    in a {@link ErrorCode#NOT_LEADER} answer, {@code host:port} of the broker that serves
     *                          clients now, or null when unknown; null in every other answer
     */
    public record Response(ResponseStatus status, short version, int brokerId, String brokerName,
                           String resourceManagerId, String leaderEndpoint) {
        public Response {
            if (leaderEndpoint != null && status.error() != ErrorCode.NOT_LEADER) {
                throw new IllegalArgumentException("only a NOT_LEADER answer names the leader's endpoint, not a "
                        + status.error() + " answer");
            }
        }

        /** An answer naming no leader. */
        public Response(ResponseStatus status, short version, int brokerId, String brokerName,
                        String resourceManagerId) {
            this(status, version, brokerId, brokerName, resourceManagerId, null);
        }

        /** An answer naming no resource manager and no leader. */
        public Response(ResponseStatus status, short version, int brokerId, String brokerName) {
            this(status, version, brokerId, brokerName, null, null);
        }

        /**
         * The answer of a broker that does not serve JMS clients now.
         *
         * @param message        why, for the client's log; null for the code's default
         * @param leaderEndpoint {@code host:port} of the broker that serves clients now; null when unknown
         */
        public static Response notLeader(String message, String leaderEndpoint) {
            return new Response(ResponseStatus.of(ErrorCode.NOT_LEADER, message), (short) -1, -1, null, null,
                    leaderEndpoint);
        }

        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.error() == ErrorCode.NOT_LEADER) {
                FrameWriter.writeNullableString(out, leaderEndpoint);
                return;
            }
            if (!status.isOk()) {
                return;
            }
            out.writeShort(version);
            out.writeInt(brokerId);
            FrameWriter.writeNullableString(out, brokerName);
            if (version >= RESOURCE_MANAGER_ID_VERSION) {
                FrameWriter.writeNullableString(out, resourceManagerId);
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (status.error() == ErrorCode.NOT_LEADER) {
                String leaderEndpoint = in.readNullableString("leader endpoint");
                in.end("handshake not-leader response");
                return new Response(status, (short) -1, -1, null, null, leaderEndpoint);
            }
            if (!status.isOk()) {
                in.end("handshake error response");
                return new Response(status, (short) -1, -1, null, null, null);
            }
            short version = in.readInt16("version");
            int brokerId = in.readInt32("broker id");
            String brokerName = in.readNullableString("broker name");
            String resourceManagerId = version >= RESOURCE_MANAGER_ID_VERSION
                    ? in.readNullableString("resource manager id") : null;
            Response r = new Response(status, version, brokerId, brokerName, resourceManagerId, null);
            in.end("handshake response");
            return r;
        }
    }
}
