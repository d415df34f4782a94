package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Queue consumption through a share group: records are acquired by one consumer at a time and
 * acknowledged one by one. The broker pushes {@link Deliver} frames that name the offset ranges this
 * consumer acquired and their delivery counts, together with the batches that hold them (a batch
 * may hold records of other consumers, which the consumer skips). The consumer answers each record
 * with {@link AcknowledgeRequest}: accepted (done), released (deliver again, to anyone) or rejected
 * (never deliver again; it goes to the dead-letter queue). A consumer that delivers held records again from its
 * own memory (recover, rollback, a listener that threw) first tells the broker with {@link RedeliverRequest}.
 */
public final class Shares {
    /** Most ranges in one push or acknowledgement. */
    public static final int MAX_RANGES = 100_000;
    private static final int ACQUIRED_RANGE_BYTES = 8 + 8 + 2;
    private static final int ACK_RANGE_BYTES = 8 + 8 + 1;
    private static final int OFFSET_RANGE_BYTES = 8 + 8;

    private Shares() {
    }

    /** Records {@code firstOffset..lastOffset} (inclusive), acquired for the {@code deliveryCount}th time. */
    public record AcquiredRange(long firstOffset, long lastOffset, short deliveryCount) {
        public AcquiredRange {
            if (lastOffset < firstOffset || firstOffset < 0 || deliveryCount < 1) {
                throw new MalformedFrameException("acquired range " + firstOffset + ".." + lastOffset
                        + " with delivery count " + deliveryCount + " is not valid");
            }
        }

        public boolean contains(long offset) {
            return offset >= firstOffset && offset <= lastOffset;
        }
    }

    /** Pushed by the broker: acquired records of one partition of a queue for a consumer. */
    public record Deliver(int consumerId, int partition, List<AcquiredRange> acquired, ByteBuf records) {
        /** The body before the records, so a broker can send the records as a file region after it. */
        public void writeHeaderTo(ByteBuf out, int recordsBytes) {
            out.writeInt(consumerId);
            out.writeInt(partition);
            out.writeInt(acquired.size());
            for (AcquiredRange range : acquired) {
                out.writeLong(range.firstOffset());
                out.writeLong(range.lastOffset());
                out.writeShort(range.deliveryCount());
            }
            out.writeInt(recordsBytes);
        }

        /** Bytes of the body before the records. */
        public int headerBytes() {
            return 4 + 4 + 4 + acquired.size() * ACQUIRED_RANGE_BYTES + 4;
        }

        public static Deliver readFrom(FrameReader in) {
            int consumerId = in.readInt32("consumer id");
            int partition = in.readInt32("partition");
            int count = in.readCount("acquired ranges", MAX_RANGES, ACQUIRED_RANGE_BYTES);
            List<AcquiredRange> ranges = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ranges.add(new AcquiredRange(in.readInt64("first offset"), in.readInt64("last offset"),
                        in.readInt16("delivery count")));
            }
            Deliver d = new Deliver(consumerId, partition, ranges, in.readBytes("records", Consumers.MAX_RECORDS_BYTES));
            in.end("share deliver push");
            return d;
        }
    }

    /** What a consumer did with a record. Ids are stable on the wire. */
    public enum AckType {
        /** Processed: never deliver again. */
        ACCEPT(0),
        /** Not processed (recover, rollback, consumer closed): deliver again, with the count raised. */
        RELEASE(1),
        /** Cannot be processed: never deliver again; move to the dead-letter queue. */
        REJECT(2);

        public final byte id;

        AckType(int id) {
            this.id = (byte) id;
        }

        public static AckType forId(byte id) {
            for (AckType type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            throw new MalformedFrameException("acknowledgement type " + id + " is not 0, 1 or 2");
        }
    }

    /** Records {@code firstOffset..lastOffset} (inclusive), all given the same outcome. */
    public record AckRange(long firstOffset, long lastOffset, AckType type) {
        public AckRange {
            if (lastOffset < firstOffset || firstOffset < 0) {
                throw new MalformedFrameException("acknowledged range " + firstOffset + ".." + lastOffset + " is not valid");
            }
        }
    }

    /** Outcomes of acquired records of one partition; completes when durable. */
    public record AcknowledgeRequest(int consumerId, int partition, List<AckRange> ranges) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
            out.writeInt(partition);
            out.writeInt(ranges.size());
            for (AckRange range : ranges) {
                out.writeLong(range.firstOffset());
                out.writeLong(range.lastOffset());
                out.writeByte(range.type().id);
            }
        }

        public static AcknowledgeRequest readFrom(FrameReader in) {
            int consumerId = in.readInt32("consumer id");
            int partition = in.readInt32("partition");
            int count = in.readCount("acknowledged ranges", MAX_RANGES, ACK_RANGE_BYTES);
            List<AckRange> ranges = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ranges.add(new AckRange(in.readInt64("first offset"), in.readInt64("last offset"),
                        AckType.forId(in.readInt8("acknowledgement type"))));
            }
            in.end("share acknowledge request");
            return new AcknowledgeRequest(consumerId, partition, ranges);
        }
    }

    /** Records {@code firstOffset..lastOffset} (inclusive). */
    public record OffsetRange(long firstOffset, long lastOffset) {
        public OffsetRange {
            if (lastOffset < firstOffset || firstOffset < 0) {
                throw new MalformedFrameException("offset range " + firstOffset + ".." + lastOffset + " is not valid");
            }
        }
    }

    /**
     * {@link ApiKey#SHARE_REDELIVER}: the consumer is about to deliver records it holds once more, from its own
     * memory, ahead of what it prefetched (JMS: recover restarts with the first unacknowledged message). The
     * broker counts the delivery (persisted, as an acquisition) and answers with the records the consumer keeps
     * and their delivery counts; a record delivered as often as the queue allows is released instead, for the
     * dead-letter queue, and left out of the answer.
     */
    public record RedeliverRequest(int consumerId, int partition, List<OffsetRange> ranges) {
        public void writeTo(ByteBuf out) {
            out.writeInt(consumerId);
            out.writeInt(partition);
            out.writeInt(ranges.size());
            for (OffsetRange range : ranges) {
                out.writeLong(range.firstOffset());
                out.writeLong(range.lastOffset());
            }
        }

        public static RedeliverRequest readFrom(FrameReader in) {
            int consumerId = in.readInt32("consumer id");
            int partition = in.readInt32("partition");
            int count = in.readCount("redelivered ranges", MAX_RANGES, OFFSET_RANGE_BYTES);
            List<OffsetRange> ranges = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ranges.add(new OffsetRange(in.readInt64("first offset"), in.readInt64("last offset")));
            }
            in.end("share redeliver request");
            return new RedeliverRequest(consumerId, partition, ranges);
        }
    }

    /** The answer to a {@link RedeliverRequest}: the records the consumer keeps, with their raised delivery counts. */
    public record RedeliverResponse(ResponseStatus status, List<AcquiredRange> kept) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeInt(kept.size());
            for (AcquiredRange range : kept) {
                out.writeLong(range.firstOffset());
                out.writeLong(range.lastOffset());
                out.writeShort(range.deliveryCount());
            }
        }

        public static RedeliverResponse readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("share redeliver error response");
                return new RedeliverResponse(status, List.of());
            }
            int count = in.readCount("kept ranges", MAX_RANGES, ACQUIRED_RANGE_BYTES);
            List<AcquiredRange> kept = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                kept.add(new AcquiredRange(in.readInt64("first offset"), in.readInt64("last offset"),
                        in.readInt16("delivery count")));
            }
            in.end("share redeliver response");
            return new RedeliverResponse(status, kept);
        }
    }
}
