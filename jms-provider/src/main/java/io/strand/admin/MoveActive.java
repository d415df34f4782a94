package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;

/**
 * Moves a cluster's active role to another broker, which must be in sync for every partition it holds: it leads
 * them from then on and the broker that had the role follows. Clients fail over to it as after a broker's death,
 * without waiting for one to be noticed: a handover before maintenance, or back to the broker the role belongs on
 * once it returned and caught up. Answered with a status alone ({@link io.strand.protocol.StatusResponse}) once the
 * controller committed the move.
 */
public final class MoveActive {
    private MoveActive() {
    }

    /** @param brokerId the broker to take the active role */
    public record Request(int brokerId) {
        public void writeTo(ByteBuf out) {
            out.writeInt(brokerId);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(in.readInt32("broker id"));
            in.end("move active request");
            return r;
        }
    }
}
