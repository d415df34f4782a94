package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Local transactions (DESIGN.md §3): a transacted session stages its sends in the client and
 * commits them, together with the acknowledgements of what it received, in one {@code COMMIT}
 * request. Nothing of a transaction reaches the broker before its commit, so an open transaction
 * never holds back anyone else; a rollback never reaches the broker at all (received queue records
 * are released with {@code SHARE_ACKNOWLEDGE}).
 *
 * <pre>
 * CommitRequest
 *   int32  n, then n x PartitionRecords        staged sends, one entry per destination partition
 *            int8    destination type
 *            string  destination
 *            int32   partition
 *            bytes   records                   one or more record batches (preferably one)
 *   int32  n, then n x QueueAcks               outcomes of acquired queue records
 *            int32   consumer id
 *            int32   partition
 *            int32   n, then n x (int64 first offset, int64 last offset, int8 ack type)
 *   int32  n, then n x TopicAck                topic positions
 *            int32   consumer id
 *            int32   partition
 *            int64   offset                    every record up to and including it is acknowledged
 * </pre>
 *
 * The response is a bare {@link StatusResponse}, sent once the records and acknowledgements are
 * durable. An error means the transaction was rolled back, nothing of it appended, except
 * {@link ErrorCode#STORAGE_ERROR} and {@link ErrorCode#UNKNOWN_SERVER_ERROR}: the broker's storage
 * failed once the commit may have been recorded, so its outcome is unknown until the broker
 * restarts and finishes or forgets it.
 *
 * <p>When the answer to a commit that sends is lost, the client asks whether it happened:
 * <pre>
 * CommitStatusRequest
 *   int32  n, then n x CommitStamp             the first batch of each target partition of the commit, n &gt;= 1
 *            int8    destination type
 *            string  destination
 *            int32   partition
 *            int64   producer id               the batch's idempotent-producer stamp
 *            int16   producer epoch
 *            int32   first sequence
 * CommitStatusResponse
 *   status
 *   int8   1 if the commit happened, 0 if it did not and now never will (only when the status is OK)
 * </pre>
 */
public final class Transactions {
    /** Most destination partitions one commit may send to. */
    public static final int MAX_PARTITIONS = 10_000;
    /** Most consumer partitions one commit may acknowledge, per kind. */
    public static final int MAX_ACKNOWLEDGED_PARTITIONS = 100_000;
    private static final int PARTITION_RECORDS_MIN_BYTES = 1 + 2 + 4 + 4;
    private static final int QUEUE_ACKS_MIN_BYTES = 4 + 4 + 4;
    private static final int TOPIC_ACK_BYTES = 4 + 4 + 8;
    private static final int ACK_RANGE_BYTES = 8 + 8 + 1;
    private static final int COMMIT_STAMP_MIN_BYTES = 1 + 2 + 4 + 8 + 2 + 4;

    private Transactions() {
    }

    /** The staged record batches of one partition of a destination. */
    public record PartitionRecords(DestinationType type, String destination, int partition, ByteBuf records) {
    }

    /** Outcomes of records one queue consumer acquired from one partition. */
    public record QueueAcks(int consumerId, int partition, List<Shares.AckRange> ranges) {
        public QueueAcks {
            ranges = List.copyOf(ranges);
        }
    }

    /** A topic consumer has processed every record of {@code partition} up to and including {@code offset}. */
    public record TopicAck(int consumerId, int partition, long offset) {
    }

    /** Everything a transaction did, applied all together or not at all. */
    public record CommitRequest(List<PartitionRecords> records, List<QueueAcks> queueAcks, List<TopicAck> topicAcks) {
        public CommitRequest {
            records = List.copyOf(records);
            queueAcks = List.copyOf(queueAcks);
            topicAcks = List.copyOf(topicAcks);
        }

        public boolean isEmpty() {
            return records.isEmpty() && queueAcks.isEmpty() && topicAcks.isEmpty();
        }

        public void writeTo(ByteBuf out) {
            out.writeInt(records.size());
            for (PartitionRecords r : records) {
                out.writeByte(r.type().id);
                FrameWriter.writeNullableString(out, r.destination());
                out.writeInt(r.partition());
                FrameWriter.writeNullableBytes(out, r.records());
            }
            out.writeInt(queueAcks.size());
            for (QueueAcks acks : queueAcks) {
                out.writeInt(acks.consumerId());
                out.writeInt(acks.partition());
                out.writeInt(acks.ranges().size());
                for (Shares.AckRange range : acks.ranges()) {
                    out.writeLong(range.firstOffset());
                    out.writeLong(range.lastOffset());
                    out.writeByte(range.type().id);
                }
            }
            out.writeInt(topicAcks.size());
            for (TopicAck ack : topicAcks) {
                out.writeInt(ack.consumerId());
                out.writeInt(ack.partition());
                out.writeLong(ack.offset());
            }
        }

        /** Reads a request; each {@code records} is a slice of the frame, valid while the frame is retained. */
        public static CommitRequest readFrom(FrameReader in) {
            int partitions = in.readCount("staged partitions", MAX_PARTITIONS, PARTITION_RECORDS_MIN_BYTES);
            List<PartitionRecords> records = new ArrayList<>(partitions);
            for (int i = 0; i < partitions; i++) {
                records.add(new PartitionRecords(DestinationType.forId(in.readInt8("destination type")),
                        in.readString("destination"), in.readInt32("partition"),
                        in.readBytes("records", Produce.MAX_RECORDS_BYTES)));
            }
            int queues = in.readCount("queue acknowledgements", MAX_ACKNOWLEDGED_PARTITIONS, QUEUE_ACKS_MIN_BYTES);
            List<QueueAcks> queueAcks = new ArrayList<>(queues);
            for (int i = 0; i < queues; i++) {
                int consumerId = in.readInt32("consumer id");
                int partition = in.readInt32("partition");
                int count = in.readCount("acknowledged ranges", Shares.MAX_RANGES, ACK_RANGE_BYTES);
                List<Shares.AckRange> ranges = new ArrayList<>(count);
                for (int r = 0; r < count; r++) {
                    ranges.add(new Shares.AckRange(in.readInt64("first offset"), in.readInt64("last offset"),
                            Shares.AckType.forId(in.readInt8("acknowledgement type"))));
                }
                queueAcks.add(new QueueAcks(consumerId, partition, ranges));
            }
            int topics = in.readCount("topic acknowledgements", MAX_ACKNOWLEDGED_PARTITIONS, TOPIC_ACK_BYTES);
            List<TopicAck> topicAcks = new ArrayList<>(topics);
            for (int i = 0; i < topics; i++) {
                topicAcks.add(new TopicAck(in.readInt32("consumer id"), in.readInt32("partition"),
                        in.readInt64("offset")));
            }
            in.end("commit request");
            return new CommitRequest(records, queueAcks, topicAcks);
        }
    }

    /**
     * Where a commit's sends to one partition begin: the idempotent-producer stamp of the first batch. A client stamps
     * each commit's batches with its session's producer id of the partition and the next sequences, so the stamp names
     * one commit, and the partition's log holds a batch with it once that commit appended its sends there.
     */
    public record CommitStamp(DestinationType type, String destination, int partition, long producerId,
                              short producerEpoch, int firstSequence) {
    }

    /**
     * Did the commit with these stamps happen? The broker answers once a commit with them that it is still working
     * on has ended; otherwise from its logs, and when it answers no it refuses that commit from then on, should it
     * still arrive (on a connection the client gave up on), so that the answer stays true.
     */
    public record CommitStatusRequest(List<CommitStamp> stamps) {
        public CommitStatusRequest {
            stamps = List.copyOf(stamps);
            if (stamps.isEmpty()) {
                throw new IllegalArgumentException("a commit status request names at least one stamp");
            }
        }

        public void writeTo(ByteBuf out) {
            out.writeInt(stamps.size());
            for (CommitStamp s : stamps) {
                out.writeByte(s.type().id);
                FrameWriter.writeNullableString(out, s.destination());
                out.writeInt(s.partition());
                out.writeLong(s.producerId());
                out.writeShort(s.producerEpoch());
                out.writeInt(s.firstSequence());
            }
        }

        public static CommitStatusRequest readFrom(FrameReader in) {
            int count = in.readCount("commit stamps", MAX_PARTITIONS, COMMIT_STAMP_MIN_BYTES);
            if (count == 0) {
                throw new MalformedFrameException("a commit status request names no stamp");
            }
            List<CommitStamp> stamps = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                stamps.add(new CommitStamp(DestinationType.forId(in.readInt8("destination type")),
                        in.readString("destination"), in.readInt32("partition"), in.readInt64("producer id"),
                        in.readInt16("producer epoch"), in.readInt32("first sequence")));
            }
            in.end("commit status request");
            return new CommitStatusRequest(stamps);
        }
    }

    /** @param committed whether the commit happened; meaningful only when {@code status} is OK */
    public record CommitStatusResponse(ResponseStatus status, boolean committed) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                out.writeBoolean(committed);
            }
        }

        public static CommitStatusResponse readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            boolean committed = status.isOk() && in.readBoolean("committed");
            in.end("commit status response");
            return new CommitStatusResponse(status, committed);
        }
    }
}
