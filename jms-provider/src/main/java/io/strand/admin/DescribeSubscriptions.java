package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.MalformedFrameException;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.SubscriptionKind;
import java.util.List;

/**
 * The subscriptions of one topic (or of all) that outlive their consumers or are shared by several — durable
 * subscriptions, and shared subscriptions durable or not — with their consumers, committed positions, records in
 * flight and lag per partition. Non-durable unshared subscribers are consumers only: see {@link DescribeConnections}.
 */
public final class DescribeSubscriptions {
    /** A figure the broker did not send (an older broker). */
    public static final long UNKNOWN = -1;

    private DescribeSubscriptions() {
    }

    /** @param topic null for every topic */
    public record Request(String topic) {
        public void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, topic);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readNullableString("topic"));
            in.end("describe subscriptions request");
            return r;
        }
    }

    /**
     * Where a subscription stands in one partition.
     *
     * @param position    the offset after the last acknowledged record: for a shared subscription, the offset
     *                    below which every record is consumed
     * @param lag         records published and not yet acknowledged, those in flight included
     * @param inFlight    records delivered and not yet acknowledged; -1 from an older broker
     * @param oldestAgeMs age of the oldest record not yet acknowledged, -1 when there is none
     */
    public record PartitionLag(int partition, long position, long highWatermark, long lag, long inFlight,
                               long oldestAgeMs) {
        void writeTo(ByteBuf out, short version) {
            out.writeInt(partition);
            out.writeLong(position);
            out.writeLong(highWatermark);
            out.writeLong(lag);
            if (version >= AdminWire.SESSIONS_VERSION) {
                out.writeLong(inFlight);
            }
            out.writeLong(oldestAgeMs);
        }

        static PartitionLag readFrom(FrameReader in, short version) {
            return new PartitionLag(in.readInt32("partition"), in.readInt64("position"), in.readInt64("high watermark"),
                    in.readInt64("lag"), version >= AdminWire.SESSIONS_VERSION ? in.readInt64("in flight") : UNKNOWN,
                    in.readInt64("oldest age"));
        }

        private static int minBytes(short version) {
            return 4 + 8 * (version >= AdminWire.SESSIONS_VERSION ? 5 : 4);
        }
    }

    /** A consumer reading a subscription now: where its connection comes from, and its id on that connection. */
    public record Member(String remoteAddress, int consumerId) {
        void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, remoteAddress);
            out.writeInt(consumerId);
        }

        static Member readFrom(FrameReader in) {
            return new Member(in.readString("remote address"), in.readInt32("consumer id"));
        }
    }

    /**
     * A durable subscription ({@link SubscriptionKind#DURABLE}), or a shared one, durable or not
     * ({@link SubscriptionKind#SHARED_DURABLE}, {@link SubscriptionKind#SHARED}).
     *
     * @param clientId        the client id the subscription belongs to; null for a shared subscription opened
     *                        without one (its name is then global)
     * @param active          whether a consumer is using the subscription now
     * @param members         the consumers using it now (at most one for a durable subscription); empty from an
     *                        older broker
     * @param deadLetterQueue where a shared subscription's undeliverable records go, or null (a durable
     *                        subscription dead-letters nothing)
     * @param deadLetters     records waiting in that dead-letter queue, from every origin that shares it
     */
    public record Subscription(SubscriptionKind kind, String clientId, String name, String topic, String selector,
                               boolean noLocal, boolean active, List<Member> members, String deadLetterQueue,
                               long deadLetters, List<PartitionLag> partitions) {
        public long lag() {
            return partitions.stream().mapToLong(PartitionLag::lag).sum();
        }

        /** Records delivered and not yet acknowledged in every partition; -1 from an older broker. */
        public long inFlight() {
            return partitions.stream().anyMatch(p -> p.inFlight() < 0) ? UNKNOWN
                    : partitions.stream().mapToLong(PartitionLag::inFlight).sum();
        }

        /** Age of the oldest record not yet acknowledged in any partition, -1 when there is none. */
        public long oldestAgeMs() {
            return partitions.stream().mapToLong(PartitionLag::oldestAgeMs).max().orElse(-1);
        }

        public boolean isShared() {
            return kind != SubscriptionKind.DURABLE;
        }

        void writeTo(ByteBuf out, short version) {
            boolean current = version >= AdminWire.SESSIONS_VERSION;
            if (current) {
                out.writeByte(kind.id);
            }
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, name);
            FrameWriter.writeNullableString(out, topic);
            FrameWriter.writeNullableString(out, selector);
            FrameWriter.writeBoolean(out, noLocal);
            FrameWriter.writeBoolean(out, active);
            if (current) {
                AdminWire.writeList(out, members, Member::writeTo);
                FrameWriter.writeNullableString(out, deadLetterQueue);
                out.writeLong(deadLetters);
            }
            AdminWire.writeList(out, partitions, (p, o) -> p.writeTo(o, version));
        }

        static Subscription readFrom(FrameReader in, short version) {
            if (version < AdminWire.SESSIONS_VERSION) {
                return new Subscription(SubscriptionKind.DURABLE, in.readString("client id"), in.readString("subscription"),
                        in.readString("topic"), in.readNullableString("selector"), in.readBoolean("no local"),
                        in.readBoolean("active"), List.of(), null, 0, AdminWire.readList(in, "partitions",
                        PartitionLag.minBytes(version), r -> PartitionLag.readFrom(r, version)));
            }
            SubscriptionKind kind = SubscriptionKind.forId(in.readInt8("kind"));
            if (kind != SubscriptionKind.DURABLE && kind != SubscriptionKind.SHARED_DURABLE
                    && kind != SubscriptionKind.SHARED) {
                throw new MalformedFrameException("subscription kind " + kind + " is not a topic subscription");
            }
            return new Subscription(kind, in.readNullableString("client id"), in.readString("subscription"),
                    in.readString("topic"), in.readNullableString("selector"), in.readBoolean("no local"),
                    in.readBoolean("active"), AdminWire.readList(in, "members", 2 + 4, Member::readFrom),
                    in.readNullableString("dead-letter queue"), in.readInt64("dead letters"),
                    AdminWire.readList(in, "partitions", PartitionLag.minBytes(version),
                            r -> PartitionLag.readFrom(r, version)));
        }
    }

    /** Before {@value AdminWire#SESSIONS_VERSION}, the answer lists durable subscriptions only, in their old form. */
    public record Response(ResponseStatus status, List<Subscription> subscriptions) {
        public void writeTo(ByteBuf out, short version) {
            status.writeTo(out);
            if (status.isOk()) {
                List<Subscription> shown = version >= AdminWire.SESSIONS_VERSION ? subscriptions
                        : subscriptions.stream().filter(s -> !s.isShared()).toList();
                AdminWire.writeList(out, shown, (s, o) -> s.writeTo(o, version));
            }
        }

        public static Response readFrom(FrameReader in, short version) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<Subscription> subscriptions = status.isOk()
                    ? AdminWire.readList(in, "subscriptions", 2 * 4 + 2 + 4, r -> Subscription.readFrom(r, version))
                    : List.of();
            in.end("describe subscriptions response");
            return new Response(status, subscriptions);
        }
    }
}
