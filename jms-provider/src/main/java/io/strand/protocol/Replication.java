package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * How a follower broker copies the logs of the partitions it replicates from their leader
 * ({@link ApiKey#REPLICA_FETCH}, DESIGN.md §5). One request asks for every partition the follower follows
 * on that leader, each from its log end with the epoch of its last record and how far its log is
 * durable; the answer says per partition either the records from there on with the leader's high
 * watermark, or where the follower's log diverged from the leader's (it truncates there and asks again),
 * or why the leader refused. A leader with nothing new for any partition holds the answer for up to
 * {@code maxWaitMs}, so that an idle follower does not spin and a new record travels at once.
 *
 * <p>Only brokers send this request, on a connection whose handshake names the client software
 * {@link #REPLICA_CLIENT_SOFTWARE}; such a connection serves nothing else.
 */
public final class Replication {
    /** The client software a follower names in its handshake. */
    public static final String REPLICA_CLIENT_SOFTWARE = "strand-replica";
    private static final int MAX_PARTITIONS = 1_000_000;
    /** Topic (2 + 1), partition, epoch, offset, epoch, offset, max bytes. */
    private static final int MIN_PARTITION_REQUEST_BYTES = 3 + 4 + 4 + 8 + 4 + 8 + 4;
    /** Topic, partition, kind. */
    private static final int MIN_PARTITION_RESPONSE_BYTES = 3 + 4 + 1;
    private static final byte RECORDS = 0;
    private static final byte DIVERGING = 1;
    private static final byte REFUSED = 2;
    private static final byte LOG_START_MOVED = 3;

    private Replication() {
    }

    /**
     * @param replicaId   the fetching broker
     * @param brokerEpoch the fetching broker's registration (a new one with every start of it)
     * @param maxWaitMs   how long the leader may hold the answer when it has nothing new
     */
    public record FetchRequest(int replicaId, long brokerEpoch, int maxWaitMs, List<PartitionFetch> partitions) {
        public FetchRequest {
            partitions = List.copyOf(partitions);
        }

        public void writeTo(ByteBuf out) {
            out.writeInt(replicaId);
            out.writeLong(brokerEpoch);
            out.writeInt(maxWaitMs);
            out.writeInt(partitions.size());
            partitions.forEach(p -> p.writeTo(out));
        }

        public static FetchRequest readFrom(FrameReader in) {
            int replicaId = in.readInt32("replica id");
            long brokerEpoch = in.readInt64("broker epoch");
            int maxWaitMs = in.readInt32("max wait ms");
            if (maxWaitMs < 0) {
                throw new MalformedFrameException("max wait ms " + maxWaitMs + " is negative");
            }
            int count = in.readCount("partitions", MAX_PARTITIONS, MIN_PARTITION_REQUEST_BYTES);
            List<PartitionFetch> partitions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                partitions.add(PartitionFetch.readFrom(in));
            }
            in.end("replica fetch request");
            return new FetchRequest(replicaId, brokerEpoch, maxWaitMs, partitions);
        }
    }

    /**
     * @param leaderEpoch      the epoch the follower believes the leader leads in
     * @param fetchOffset      the follower's log end
     * @param lastFetchedEpoch the leader epoch of the follower's last record, -1 for an empty log
     * @param durableOffset    how far the follower's log is on its disk
     */
    public record PartitionFetch(String topic, int partition, int leaderEpoch, long fetchOffset,
                                 int lastFetchedEpoch, long durableOffset, int maxBytes) {
        void writeTo(ByteBuf out) {
            FrameWriter.writeNullableString(out, topic);
            out.writeInt(partition);
            out.writeInt(leaderEpoch);
            out.writeLong(fetchOffset);
            out.writeInt(lastFetchedEpoch);
            out.writeLong(durableOffset);
            out.writeInt(maxBytes);
        }

        static PartitionFetch readFrom(FrameReader in) {
            PartitionFetch p = new PartitionFetch(in.readString("topic"), in.readInt32("partition"),
                    in.readInt32("leader epoch"), in.readInt64("fetch offset"), in.readInt32("last fetched epoch"),
                    in.readInt64("durable offset"), in.readInt32("max bytes"));
            if (p.partition < 0 || p.fetchOffset < 0 || p.maxBytes < 0) {
                throw new MalformedFrameException("replica fetch of " + p.topic + "-" + p.partition
                        + " has a negative partition, fetch offset or max bytes");
            }
            return p;
        }
    }

    /** What the leader answers for one partition. */
    public sealed interface PartitionResult permits Records, Diverging, LogStartMoved, Refused {
        String topic();

        int partition();
    }

    /** The records from the fetch offset on (possibly none), and the leader's high watermark, log end and log start. */
    public record Records(String topic, int partition, long highWatermark, long logEndOffset, long logStartOffset,
                          ByteBuf records) implements PartitionResult {
    }

    /** The leader's log starts after the fetch offset now: the follower starts its own log again there. */
    public record LogStartMoved(String topic, int partition, long logStartOffset) implements PartitionResult {
    }

    /** The follower's log diverged: its records of {@code epoch} end at {@code endOffset} on the leader. */
    public record Diverging(String topic, int partition, int epoch, long endOffset) implements PartitionResult {
    }

    /** The leader refused the fetch of this partition. */
    public record Refused(String topic, int partition, ErrorCode error, String message) implements PartitionResult {
    }

    public record FetchResponse(ResponseStatus status, List<PartitionResult> partitions) {
        public FetchResponse {
            partitions = List.copyOf(partitions);
        }

        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeInt(partitions.size());
            for (PartitionResult result : partitions) {
                FrameWriter.writeNullableString(out, result.topic());
                out.writeInt(result.partition());
                if (result instanceof Records r) {
                    out.writeByte(RECORDS);
                    out.writeLong(r.highWatermark());
                    out.writeLong(r.logEndOffset());
                    out.writeLong(r.logStartOffset());
                    FrameWriter.writeNullableBytes(out, r.records());
                } else if (result instanceof Diverging d) {
                    out.writeByte(DIVERGING);
                    out.writeInt(d.epoch());
                    out.writeLong(d.endOffset());
                } else if (result instanceof LogStartMoved m) {
                    out.writeByte(LOG_START_MOVED);
                    out.writeLong(m.logStartOffset());
                } else if (result instanceof Refused f) {
                    out.writeByte(REFUSED);
                    new ResponseStatus(f.error(), f.message()).writeTo(out);
                }
            }
        }

        /** Reads a response; record bytes are slices of the frame, valid as long as it is. */
        public static FetchResponse readFrom(FrameReader in, int maxRecordBytes) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("replica fetch error response");
                return new FetchResponse(status, List.of());
            }
            int count = in.readCount("partitions", MAX_PARTITIONS, MIN_PARTITION_RESPONSE_BYTES);
            List<PartitionResult> partitions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = in.readString("topic");
                int partition = in.readInt32("partition");
                byte kind = in.readInt8("result kind");
                switch (kind) {
                    case RECORDS -> partitions.add(new Records(topic, partition, in.readInt64("high watermark"),
                            in.readInt64("log end offset"), in.readInt64("log start offset"),
                            in.readBytes("records", maxRecordBytes)));
                    case DIVERGING -> partitions.add(new Diverging(topic, partition, in.readInt32("epoch"),
                            in.readInt64("end offset")));
                    case LOG_START_MOVED -> partitions.add(new LogStartMoved(topic, partition,
                            in.readInt64("log start offset")));
                    case REFUSED -> {
                        ResponseStatus refusal = ResponseStatus.readFrom(in);
                        partitions.add(new Refused(topic, partition, refusal.error(), refusal.message()));
                    }
                    default -> throw new MalformedFrameException("replica fetch result kind " + kind + " of "
                            + topic + "-" + partition + " is not 0 to 3");
                }
            }
            in.end("replica fetch response");
            return new FetchResponse(status, partitions);
        }
    }
}
