package io.strand.jms;

import io.strand.protocol.XaTransactions;
import java.io.Serializable;
import java.util.Arrays;
import javax.transaction.xa.Xid;

/**
 * An Xid the broker listed in answer to {@code recover}: a plain value, equal to any {@link Xid} with the same
 * format id and bytes, as transaction managers compare them.
 */
final class StrandXid implements Xid, Serializable {
    private static final long serialVersionUID = 1L;

    private final int formatId;
    private final byte[] globalTransactionId;
    private final byte[] branchQualifier;

    StrandXid(XaTransactions.BranchId id) {
        this.formatId = id.formatId();
        this.globalTransactionId = id.globalTransactionId();
        this.branchQualifier = id.branchQualifier();
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return branchQualifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xid other && formatId == other.getFormatId()
                && Arrays.equals(globalTransactionId, other.getGlobalTransactionId())
                && Arrays.equals(branchQualifier, other.getBranchQualifier());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(globalTransactionId)) + Arrays.hashCode(branchQualifier);
    }

    @Override
    public String toString() {
        return new XaTransactions.BranchId(formatId, globalTransactionId, branchQualifier).toString();
    }
}
