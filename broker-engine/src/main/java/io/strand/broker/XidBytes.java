package io.strand.broker;

import io.strand.protocol.XaTransactions;
import java.nio.ByteBuffer;

/**
 * The stored form of an Xid in the broker's internal logs, the same fields as on the wire: int32 format id,
 * int8 length and the global transaction id, int8 length and the branch qualifier. Stateless.
 */
final class XidBytes {
    private XidBytes() {
    }

    static int size(XaTransactions.BranchId xid) {
        return xid.sizeInBytes();
    }

    static void put(ByteBuffer out, XaTransactions.BranchId xid) {
        byte[] gtrid = xid.globalTransactionId();
        byte[] bqual = xid.branchQualifier();
        out.putInt(xid.formatId()).put((byte) gtrid.length).put(gtrid).put((byte) bqual.length).put(bqual);
    }

    static byte[] of(XaTransactions.BranchId xid) {
        ByteBuffer out = ByteBuffer.allocate(size(xid));
        put(out, xid);
        return out.array();
    }

    /**
     * Reads an Xid written by {@link #put}.
     *
     * @throws IllegalStateException naming what is wrong, for stored bytes that are not an Xid
     */
    static XaTransactions.BranchId get(ByteBuffer in) {
        try {
            int formatId = in.getInt();
            byte[] gtrid = new byte[in.get() & 0xff];
            in.get(gtrid);
            byte[] bqual = new byte[in.get() & 0xff];
            in.get(bqual);
            return new XaTransactions.BranchId(formatId, gtrid, bqual);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored Xid is truncated or malformed: " + e.getMessage(), e);
        }
    }
}
