package io.strand.admin;

import io.netty.buffer.ByteBuf;
import io.strand.protocol.FrameReader;
import io.strand.protocol.FrameWriter;
import io.strand.protocol.ResponseStatus;
import io.strand.protocol.XaTransactions;
import java.util.ArrayList;
import java.util.List;

/**
 * The XA branches an operator may have to look at: those prepared on the broker and waiting for their transaction
 * manager (or being committed or rolled back right now), and those an operator decided, whose heuristic outcome the
 * broker keeps until the transaction manager forgets it. The request has no body.
 */
public final class DescribeTransactions {
    private static final int MAX_BRANCHES = 1_000_000;

    private DescribeTransactions() {
    }

    /**
     * @param state {@code PREPARING}, {@code PREPARED}, {@code COMMITTING}, {@code ROLLING_BACK}, or for a branch an
     *              operator decided {@code HEURISTIC_COMMIT} or {@code HEURISTIC_ROLLBACK}
     */
    public record Branch(XaTransactions.BranchId xid, String state) {
    }

    public record Response(ResponseStatus status, List<Branch> branches) {
        public Response {
            branches = List.copyOf(branches);
        }

        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeInt(branches.size());
            for (Branch b : branches) {
                b.xid().writeTo(out);
                FrameWriter.writeNullableString(out, b.state());
            }
        }

        public static Response readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("describe transactions error response");
                return new Response(status, List.of());
            }
            int count = in.readCount("branches", MAX_BRANCHES, 4 + 1 + 1 + 1 + 2);
            List<Branch> branches = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                branches.add(new Branch(XaTransactions.BranchId.readFrom(in), in.readString("state")));
            }
            in.end("describe transactions response");
            return new Response(status, branches);
        }
    }
}
