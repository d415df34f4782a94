package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/**
 * The share groups of queues (the competing consumers of each queue): members, records in flight and
 * lag per partition, and how many records wait in the queue's dead-letter queue.
 */
public final class DescribeShareGroups {
    private DescribeShareGroups() {
    }

    /** @param queue null for every queue */
    public record Request(String queue) {
        public void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, queue);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readNullableString("queue"));
            in.end("describe share groups request");
            return r;
        }
    }

    /**
     * One partition of a queue.
     *
     * @param startOffset every record below it is consumed
     * @param lag         records not yet consumed (acknowledged), those in flight included
     * @param inFlight    records delivered and not yet acknowledged (held by a consumer or waiting to be redelivered)
     * @param delayed     records waiting for their delivery time
     * @param oldestAgeMs age of the oldest record not yet consumed, -1 when there is none
     */
    public record PartitionLag(int partition, long startOffset, long highWatermark, long lag, int inFlight,
                               int delayed, long oldestAgeMs) {
        void writeTo(ByteBuf out) {
            out.writeInt(partition);
            out.writeLong(startOffset);
            out.writeLong(highWatermark);
            out.writeLong(lag);
            out.writeInt(inFlight);
            out.writeInt(delayed);
            out.writeLong(oldestAgeMs);
        }

        static PartitionLag readFrom(FrameReader in) {
            return new PartitionLag(in.readInt32("partition"), in.readInt64("start offset"),
                    in.readInt64("high watermark"), in.readInt64("lag"), in.readInt32("in flight"),
                    in.readInt32("delayed"), in.readInt64("oldest age"));
        }
    }

    /**
     * @param consumers       queue receivers open on the queue now
     * @param deadLetterQueue where the queue's undeliverable records go
     * @param deadLetters     records waiting in that dead-letter queue (from every queue that shares it)
     */
    public record ShareGroup(String queue, int consumers, String deadLetterQueue, long deadLetters,
                             List<PartitionLag> partitions) {
        public long lag() {
            return partitions.stream().mapToLong(PartitionLag::lag).sum();
        }

        public long inFlight() {
            return partitions.stream().mapToLong(PartitionLag::inFlight).sum();
        }

        public long oldestAgeMs() {
            return partitions.stream().mapToLong(PartitionLag::oldestAgeMs).max().orElse(-1);
        }

        void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, queue);
            out.writeInt(consumers);
            FrameWriter.writeNullableString(out, deadLetterQueue);
            out.writeLong(deadLetters);
            AdminWire.writeList(out, partitions, PartitionLag::writeTo);
        }

        static ShareGroup readFrom(FrameReader in) {
            return new ShareGroup(in.readString("queue"), in.readInt32("consumers"),
                    in.readString("dead-letter queue"), in.readInt64("dead letters"),
                    AdminWire.readList(in, "partitions", 4 + 8 * 4 + 4 * 2, PartitionLag::readFrom));
        }
    }

    public record Response(ResponseStatus status, List<ShareGroup> groups) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                AdminWire.writeList(out, groups, ShareGroup::writeTo);
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            List<ShareGroup> groups = status.isOk()
                    ? AdminWire.readList(in, "share groups", 2 + 4 + 2 + 8 + 4, ShareGroup::readFrom) : List.of();
            in.end("describe share groups response");
            return new Response(status, groups);
        }
    }
}
