package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.SubscriptionKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The client connections of a broker, each with its sessions and the consumers open in each; the request has
 * no body. From protocol version {@value AdminWire#SESSIONS_VERSION} on, consumers come grouped by session, with
 * their selector, delivery rate, records in flight and lag; before, a connection's consumers come in one
 * {@linkplain Session#UNKNOWN unknown} session and those figures read as {@link #UNKNOWN}.
 */
public final class DescribeConnections {
    /** A figure the broker did not send (an older broker). */
    public static final long UNKNOWN = -1;

    private DescribeConnections() {
    }

    /**
     * @param subscription     the durable or shared subscription's name, or null
     * @param selector         the consumer's message selector, or null
     * @param credit           records the broker may still push to it
     * @param delivered        records pushed to it since it opened
     * @param deliveredRecently records pushed to it within the last {@code rateWindowMs}
     * @param rateWindowMs     the window the broker counted {@code deliveredRecently} over: its recent-rate window,
     *                         or the consumer's age when it is younger
     * @param inFlight         records pushed to it and not yet acknowledged
     * @param lag              records waiting to be delivered from what it reads: for a topic subscriber the
     *                         records after its position, for a queue receiver or a shared-subscription consumer
     *                         the records of its share group neither consumed nor held by a consumer; a browser
     *                         has none ({@link #UNKNOWN})
     * @param oldestAgeMs      age of the oldest of those records, -1 when there is none
     */
    public record Consumer(int id, SubscriptionKind kind, DestinationType type, String destination, String subscription,
                           String selector, long credit, long delivered, long deliveredRecently, long rateWindowMs,
                           long inFlight, long lag, long oldestAgeMs) {
        /** Records delivered per second over the broker's recent window; -1 when the broker did not say. */
        public double deliveryRate() {
            return rateWindowMs <= 0 ? UNKNOWN : deliveredRecently * 1000.0 / rateWindowMs;
        }

        void writeTo(ByteBuf out, short version) {
            out.writeInt(id);
            out.writeByte(kind.id);
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, destination);
            FrameWriter.writeNullableString(out, subscription);
            if (version >= AdminWire.SESSIONS_VERSION) {
                FrameWriter.writeNullableString(out, selector);
            }
            out.writeLong(credit);
            if (version >= AdminWire.SESSIONS_VERSION) {
                out.writeLong(delivered);
                out.writeLong(deliveredRecently);
                out.writeLong(rateWindowMs);
                out.writeLong(inFlight);
                out.writeLong(lag);
                out.writeLong(oldestAgeMs);
            }
        }

        static Consumer readFrom(FrameReader in, short version) {
            int id = in.readInt32("consumer id");
            SubscriptionKind kind = SubscriptionKind.forId(in.readInt8("kind"));
            DestinationType type = DestinationType.forId(in.readInt8("destination type"));
            String destination = in.readString("destination");
            String subscription = in.readNullableString("subscription");
            if (version < AdminWire.SESSIONS_VERSION) {
                return new Consumer(id, kind, type, destination, subscription, null, in.readInt64("credit"), UNKNOWN,
                        UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
            }
            return new Consumer(id, kind, type, destination, subscription, in.readNullableString("selector"),
                    in.readInt64("credit"), in.readInt64("delivered"), in.readInt64("delivered recently"),
                    in.readInt64("rate window"), in.readInt64("in flight"), in.readInt64("lag"),
                    in.readInt64("oldest age"));
        }

        private static int minBytes(short version) {
            return version >= AdminWire.SESSIONS_VERSION ? 4 + 1 + 1 + 2 * 3 + 8 * 7 : 4 + 1 + 1 + 2 * 2 + 8;
        }
    }

    /**
     * The consumers one session of a connection has open; sessions without consumers are not known to the broker.
     *
     * @param id the session's number on its connection, from 0; {@link #UNKNOWN} when the client did not say
     */
    public record Session(int id, List<Consumer> consumers) {
        /** The session of consumers whose client named none (an older client), or of an older broker's answer. */
        public static final int UNKNOWN = Consumers.OpenRequest.UNKNOWN_SESSION;

        public long inFlight() {
            return consumers.stream().mapToLong(c -> Math.max(0, c.inFlight())).sum();
        }

        public double deliveryRate() {
            return consumers.stream().mapToDouble(c -> Math.max(0, c.deliveryRate())).sum();
        }

        void writeTo(ByteBuf out, short version) {
            out.writeInt(id);
            AdminWire.writeList(out, consumers, (c, o) -> c.writeTo(o, version));
        }

        static Session readFrom(FrameReader in, short version) {
            return new Session(in.readInt32("session"), AdminWire.readList(in, "consumers",
                    Consumer.minBytes(version), r -> Consumer.readFrom(r, version)));
        }
    }

    /**
     * @param clientId the JMS client id, or null when none is set
     * @param user     the authenticated user, or null for an anonymous connection
     * @param sessions the sessions with consumers, by number
     */
    public record Connection(String remoteAddress, String clientId, String user, List<Session> sessions) {
        /** Every consumer of the connection, session after session. */
        public List<Consumer> consumers() {
            return sessions.stream().flatMap(s -> s.consumers().stream()).toList();
        }

        void writeTo(ByteBuf out, short version) {
            FrameWriter.writeNullableString(out, remoteAddress);
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, user);
            if (version >= AdminWire.SESSIONS_VERSION) {
                AdminWire.writeList(out, sessions, (s, o) -> s.writeTo(o, version));
            } else {
                AdminWire.writeList(out, consumers(), (c, o) -> c.writeTo(o, version));
            }
        }

        static Connection readFrom(FrameReader in, short version) {
            String remoteAddress = in.readString("remote address");
            String clientId = in.readNullableString("client id");
            String user = in.readNullableString("user");
            List<Session> sessions;
            if (version >= AdminWire.SESSIONS_VERSION) {
                sessions = AdminWire.readList(in, "sessions", 4 + 4, r -> Session.readFrom(r, version));
            } else {
                List<Consumer> consumers = AdminWire.readList(in, "consumers", Consumer.minBytes(version),
                        r -> Consumer.readFrom(r, version));
                sessions = consumers.isEmpty() ? List.of() : List.of(new Session(Session.UNKNOWN, consumers));
            }
            return new Connection(remoteAddress, clientId, user, sessions);
        }
    }

    /**
     * The connections of one JMS client id — those of an application that uses it, say each MDB's pool — or of
     * none ({@code clientId} null).
     */
    public record ClientGroup(String clientId, List<Connection> connections) {
        public List<Consumer> consumers() {
            return connections.stream().flatMap(c -> c.consumers().stream()).toList();
        }
    }

    /** Connections grouped by client id, in client id order; connections without one come last, as one group. */
    public static List<ClientGroup> byClientId(List<Connection> connections) {
        List<Connection> sorted = connections.stream()
                .sorted(Comparator.comparing(Connection::clientId, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Connection::remoteAddress))
                .toList();
        List<ClientGroup> groups = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i == sorted.size() || !Objects.equals(sorted.get(i).clientId(), sorted.get(from).clientId())) {
                groups.add(new ClientGroup(sorted.get(from).clientId(), sorted.subList(from, i)));
                from = i;
            }
        }
        return groups;
    }

    public record Response(ResponseStatus status, List<Connection> connections) {
        public void writeTo(ByteBuf out, short version) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, connections, (c, o) -> c.writeTo(o, version));
            }
        }

        public static Response readFrom(FrameReader in, short version) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<Connection> connections = status.isOk()
                    ? AdminWire.readList(in, "connections", 2 * 3 + 4, r -> Connection.readFrom(r, version))
                    : List.of();
            in.end("describe connections response");
            return new Response(status, connections);
        }
    }
}
