package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Distributed (XA) transactions (DESIGN.md §3): the local transaction of {@link Transactions} with a durable
 * prepare. Until its prepare a branch lives in the client, as a local transaction does; {@code XA_PREPARE} carries
 * everything it did — the same staged batches and acknowledgements a {@code COMMIT} carries — and the broker makes
 * it durable, invisible to consumers, holding the queue records it acknowledged for no one else, before it answers.
 * A transaction manager then commits or rolls the branch back by its Xid from any connection, also after a broker
 * restart, when {@code XA_RECOVER} lists the branches still prepared. A one-phase commit is a plain {@code COMMIT}.
 *
 * <pre>
 * BranchId (an Xid)
 *   int32  format id                          not -1 (the null Xid)
 *   int8   n, then n bytes                    global transaction id, 1 to 64 bytes
 *   int8   n, then n bytes                    branch qualifier, 0 to 64 bytes
 *
 * PrepareRequest (XA_PREPARE)
 *   BranchId
 *   int32  parts                              1 to 64: the connections the branch's work came from
 *   CommitRequest                             this connection's part of the work (see {@link Transactions})
 * PrepareResponse
 *   status, then on success int8 vote         0: prepared; 1: read-only, nothing to commit, the branch is forgotten
 *
 * BranchRequest (XA_COMMIT, XA_ROLLBACK, XA_FORGET)
 *   BranchId
 * (answered by a bare status)
 *
 * RecoverRequest (XA_RECOVER): empty
 * RecoverResponse
 *   status, then int32 n, then n x BranchId   the prepared and the heuristically completed branches
 * </pre>
 *
 * <p>A branch whose work comes from several connections (sessions of different connections joined to one Xid)
 * sends one {@code XA_PREPARE} per connection, each naming how many parts there are: acknowledgements name
 * consumers, which belong to their connection. The broker prepares the branch once every part has come, and
 * answers all of them then; a part's connection closing first, or a part refused, rolls the whole branch back.
 *
 * <p>Answers to {@code XA_COMMIT} and {@code XA_ROLLBACK}: OK once the outcome is durable, also when the branch
 * already had that outcome (a repeated call after a lost answer) while the broker remembers it;
 * {@link ErrorCode#UNKNOWN_XID} for a branch it does not know or has forgotten; {@link ErrorCode#TRANSACTION_ROLLED_BACK}
 * when a commit finds the branch rolled back; {@link ErrorCode#HEURISTIC_COMMIT} and {@link ErrorCode#HEURISTIC_ROLLBACK}
 * when an operator decided the branch before the transaction manager did (kept until {@code XA_FORGET});
 * {@link ErrorCode#TRANSACTION_BUSY} while another request is preparing, committing or rolling the branch back (or a
 * commit failed in storage and is finished when the broker restarts); {@link ErrorCode#INVALID_XA_STATE} for a request
 * that does not fit the branch's state.
 */
public final class XaTransactions {
    /** Longest global transaction id and branch qualifier, as in X/Open XA and {@code javax.transaction.xa.Xid}. */
    public static final int MAX_GTRID_BYTES = 64;
    public static final int MAX_BQUAL_BYTES = 64;
    /** The format id of the null Xid, which names no branch. */
    public static final int NULL_FORMAT_ID = -1;
    /** Most connections one branch's work may come from. */
    public static final int MAX_PARTS = 64;
    /** Most branches one recover answer lists. */
    public static final int MAX_RECOVERED = 1_000_000;
    private static final int BRANCH_ID_MIN_BYTES = 4 + 1 + 1 + 1;

    private XaTransactions() {
    }

    /**
     * The identifier of a transaction branch (an X/Open Xid), compared by value. The byte arrays are copied in and
     * never handed out, so instances are immutable.
     */
    public static final class BranchId {
        private final int formatId;
        private final byte[] globalTransactionId;
        private final byte[] branchQualifier;

        /** @throws IllegalArgumentException saying which field is out of range */
        public BranchId(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
            String problem = problem(formatId, globalTransactionId, branchQualifier);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            this.formatId = formatId;
            this.globalTransactionId = globalTransactionId.clone();
            this.branchQualifier = branchQualifier.clone();
        }

        /** @return what is wrong with these fields as an Xid, or null when nothing is */
        public static String problem(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
            if (formatId == NULL_FORMAT_ID) {
                return "format id -1 is the null Xid, which names no transaction branch";
            }
            if (globalTransactionId == null || globalTransactionId.length < 1
                    || globalTransactionId.length > MAX_GTRID_BYTES) {
                return "global transaction id has " + (globalTransactionId == null ? "no bytes (null)"
                        : globalTransactionId.length + " bytes") + "; it must have 1 to " + MAX_GTRID_BYTES;
            }
            if (branchQualifier == null || branchQualifier.length > MAX_BQUAL_BYTES) {
                return "branch qualifier has " + (branchQualifier == null ? "no bytes (null)"
                        : branchQualifier.length + " bytes") + "; it must have 0 to " + MAX_BQUAL_BYTES;
            }
            return null;
        }

        public int formatId() {
            return formatId;
        }

        public byte[] globalTransactionId() {
            return globalTransactionId.clone();
        }

        public byte[] branchQualifier() {
            return branchQualifier.clone();
        }

        /** @return the encoded size in bytes */
        public int sizeInBytes() {
            return 4 + 1 + globalTransactionId.length + 1 + branchQualifier.length;
        }

        public void writeTo(ByteBuf out) {
            out.writeInt(formatId);
            out.writeByte(globalTransactionId.length);
            out.writeBytes(globalTransactionId);
            out.writeByte(branchQualifier.length);
            out.writeBytes(branchQualifier);
        }

        /** Reads an Xid, refusing lengths out of range with a message naming the field. */
        public static BranchId readFrom(FrameReader in) {
            int formatId = in.readInt32("xid format id");
            if (formatId == NULL_FORMAT_ID) {
                throw new MalformedFrameException("xid format id is -1, the null Xid, which names no transaction branch");
            }
            byte[] gtrid = readPart(in, "xid global transaction id", 1, MAX_GTRID_BYTES);
            byte[] bqual = readPart(in, "xid branch qualifier", 0, MAX_BQUAL_BYTES);
            return new BranchId(formatId, gtrid, bqual);
        }

        private static byte[] readPart(FrameReader in, String field, int min, int max) {
            int length = in.readInt8(field + " length") & 0xff;
            if (length < min || length > max) {
                throw new MalformedFrameException(field + " length " + length + " is outside [" + min + ", " + max + "]");
            }
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = in.readInt8(field);
            }
            return bytes;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BranchId other && formatId == other.formatId
                    && Arrays.equals(globalTransactionId, other.globalTransactionId)
                    && Arrays.equals(branchQualifier, other.branchQualifier);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * formatId + Arrays.hashCode(globalTransactionId)) + Arrays.hashCode(branchQualifier);
        }

        /**
         * Reads the form {@link #toString} writes, as an operator types it.
         *
         * @throws IllegalArgumentException saying what is wrong
         */
        public static BranchId parse(String text) {
            String[] parts = text == null ? new String[0] : text.trim().split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("an Xid is written formatId:globalTransactionIdHex:branchQualifierHex,"
                        + " not '" + text + "'");
            }
            try {
                HexFormat hex = HexFormat.of();
                return new BranchId(Integer.parseInt(parts[0]), hex.parseHex(parts[1]), hex.parseHex(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the Xid '" + text + "' has a bad number: " + e.getMessage(), e);
            }
        }

        /** {@code formatId:gtrid-hex:bqual-hex}, as an operator or a log line names a branch. */
        @Override
        public String toString() {
            HexFormat hex = HexFormat.of();
            return formatId + ":" + hex.formatHex(globalTransactionId) + ":" + hex.formatHex(branchQualifier);
        }
    }

    /** The broker's vote on a prepared branch. Ids are stable on the wire. */
    public enum Vote {
        /** Durable and undecided: the transaction manager must commit or roll it back. */
        PREPARED(0),
        /** The branch changed nothing on the broker; it is forgotten and needs no commit. */
        READ_ONLY(1);

        public final byte id;

        Vote(int id) {
            this.id = (byte) id;
        }

        public static Vote forId(byte id) {
            for (Vote vote : values()) {
                if (vote.id == id) {
                    return vote;
                }
            }
            throw new MalformedFrameException("prepare vote " + id + " is not 0 or 1");
        }
    }

    /** {@link ApiKey#XA_PREPARE}: one connection's part of a branch's work. */
    public record PrepareRequest(BranchId xid, int parts, Transactions.CommitRequest work) {
        public PrepareRequest {
            if (parts < 1 || parts > MAX_PARTS) {
                throw new IllegalArgumentException("a branch has 1 to " + MAX_PARTS + " parts, not " + parts);
            }
        }

        public void writeTo(ByteBuf out) {
            xid.writeTo(out);
            out.writeInt(parts);
            work.writeTo(out);
        }

        /** Reads a request; the work's records are slices of the frame, valid while the frame is retained. */
        public static PrepareRequest readFrom(FrameReader in) {
            BranchId xid = BranchId.readFrom(in);
            int parts = in.readInt32("parts");
            if (parts < 1 || parts > MAX_PARTS) {
                throw new MalformedFrameException("parts " + parts + " is outside [1, " + MAX_PARTS + "]");
            }
            return new PrepareRequest(xid, parts, Transactions.CommitRequest.readFrom(in));
        }
    }

    /** The answer to a {@link PrepareRequest}. */
    public record PrepareResponse(ResponseStatus status, Vote vote) {
        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (status.isOk()) {
                out.writeByte(vote.id);
            }
        }

        public static PrepareResponse readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("prepare error response");
                return new PrepareResponse(status, null);
            }
            PrepareResponse r = new PrepareResponse(status, Vote.forId(in.readInt8("vote")));
            in.end("prepare response");
            return r;
        }
    }

    /** {@link ApiKey#XA_COMMIT}, {@link ApiKey#XA_ROLLBACK} and {@link ApiKey#XA_FORGET}: a prepared branch by its Xid. */
    public record BranchRequest(BranchId xid) {
        public void writeTo(ByteBuf out) {
            xid.writeTo(out);
        }

        public static BranchRequest readFrom(FrameReader in) {
            BranchRequest r = new BranchRequest(BranchId.readFrom(in));
            in.end("xa branch request");
            return r;
        }
    }

    /** The answer to {@link ApiKey#XA_RECOVER}: the branches a transaction manager has to decide or forget. */
    public record RecoverResponse(ResponseStatus status, List<BranchId> branches) {
        public RecoverResponse {
            branches = List.copyOf(branches);
        }

        public void writeTo(ByteBuf out) {
            status.writeTo(out);
            if (!status.isOk()) {
                return;
            }
            out.writeInt(branches.size());
            for (BranchId xid : branches) {
                xid.writeTo(out);
            }
        }

        public static RecoverResponse readFrom(FrameReader in) {
            ResponseStatus status = ResponseStatus.readFrom(in);
            if (!status.isOk()) {
                in.end("recover error response");
                return new RecoverResponse(status, List.of());
            }
            int count = in.readCount("recovered branches", MAX_RECOVERED, BRANCH_ID_MIN_BYTES);
            List<BranchId> branches = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                branches.add(BranchId.readFrom(in));
            }
            in.end("recover response");
            return new RecoverResponse(status, branches);
        }
    }
}
