package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.DestinationType;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import java.util.List;

/**
 * Moves a partition of a destination to other brokers in a cluster: the target replicas join first and
 * copy the log; once every one of them is in sync, the replicas that are not in the target are dropped.
 * The answer comes when the move has started; the destination's description shows its progress.
 */
public final class ReassignPartition {
    private ReassignPartition() {
    }

    /** @param targetReplicas the broker ids that are to hold the partition, the preferred leader first */
    public record Request(DestinationType type, String destination, int partition, List<Integer> targetReplicas) {
        public Request {
            targetReplicas = List.copyOf(targetReplicas);
        }

        public void writeTo(ByteBuf out) {
            out.writeByte(type.id);
            FrameWriter.writeNullableString(out, destination);
            out.writeInt(partition);
            AdminWire.writeList(out, targetReplicas, (id, o) -> o.writeInt(id));
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(DestinationType.forId(in.readInt8("destination type")),
                    in.readString("destination"), in.readInt32("partition"),
                    AdminWire.readList(in, "target replicas", 4, i -> i.readInt32("target replica")));
            in.end("reassign partition request");
            return r;
        }
    }

    public record Response(ResponseStatus status) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
        }

        public static Response readFrom(FrameReader in) {
            Response r = new Response(ResponseStatus.readFrom(in));
            in.end("reassign partition response");
            return r;
        }
    }
}
