package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/** Durable subscriptions of one topic (or of all) with their committed positions and lag per partition. */
public final class DescribeSubscriptions {
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
     * @param position    the offset after the last acknowledged record
     * @param lag         records published and not yet acknowledged
     * @param oldestAgeMs age of the oldest record not yet acknowledged, -1 when there is none
     */
    public record PartitionLag(int partition, long position, long highWatermark, long lag, long oldestAgeMs) {
        void writeTo(ByteBuf out) {
            out.writeInt(partition);
            out.writeLong(position);
            out.writeLong(highWatermark);
            out.writeLong(lag);
            out.writeLong(oldestAgeMs);
        }

        static PartitionLag readFrom(FrameReader in) {
            return new PartitionLag(in.readInt32("partition"), in.readInt64("position"), in.readInt64("high watermark"),
                    in.readInt64("lag"), in.readInt64("oldest age"));
        }
    }

    /** @param active whether a consumer is using the subscription now */
    public record Subscription(String clientId, String name, String topic, String selector, boolean noLocal,
                               boolean active, List<PartitionLag> partitions) {
        public long lag() {
            return partitions.stream().mapToLong(PartitionLag::lag).sum();
        }

        /** Age of the oldest record not yet acknowledged in any partition, -1 when there is none. */
        public long oldestAgeMs() {
            return partitions.stream().mapToLong(PartitionLag::oldestAgeMs).max().orElse(-1);
        }

        void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, clientId);
            FrameWriter.writeNullableString(out, name);
            FrameWriter.writeNullableString(out, topic);
            FrameWriter.writeNullableString(out, selector);
            FrameWriter.writeBoolean(out, noLocal);
            FrameWriter.writeBoolean(out, active);
            AdminWire.writeList(out, partitions, PartitionLag::writeTo);
        }

        static Subscription readFrom(FrameReader in) {
            return new Subscription(in.readString("client id"), in.readString("subscription"), in.readString("topic"),
                    in.readNullableString("selector"), in.readBoolean("no local"), in.readBoolean("active"),
                    AdminWire.readList(in, "partitions", 4 + 8 * 4, PartitionLag::readFrom));
        }
    }

    public record Response(ResponseStatus status, List<Subscription> subscriptions) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, subscriptions, Subscription::writeTo);
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<Subscription> subscriptions = status.isOk()
                    ? AdminWire.readList(in, "subscriptions", 2 * 4 + 2 + 4, Subscription::readFrom) : List.of();
            in.end("describe subscriptions response");
            return new Response(status, subscriptions);
        }
    }
}
