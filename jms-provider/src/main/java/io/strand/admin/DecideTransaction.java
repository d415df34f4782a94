package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.XaTransactions;

/**
 * An operator's decision on a prepared XA branch whose transaction manager is gone for good: the broker commits or
 * rolls it back as the transaction manager would have, and keeps the outcome as heuristic, so that the transaction
 * manager, should it come back, learns from its own commit or rollback that the branch was decided without it
 * (XA_HEURCOM, XA_HEURRB) until it forgets the branch. Answered by a bare status, once the outcome is durable.
 *
 * <pre>
 *   Xid    the branch
 *   bool   commit (true) or roll back (false)
 * </pre>
 */
public final class DecideTransaction {
    private DecideTransaction() {
    }

    public record Request(XaTransactions.BranchId xid, boolean commit) {
        public void writeTo(ByteBuf out) {
            xid.writeTo(out);
            FrameWriter.writeBoolean(out, commit);
        }

        public static Request readFrom(FrameReader in) {
            Request r = new Request(XaTransactions.BranchId.readFrom(in), in.readBoolean("commit"));
            in.end("decide transaction request");
            return r;
        }
    }
}
