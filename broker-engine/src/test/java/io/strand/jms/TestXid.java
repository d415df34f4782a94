package io.strand.jms;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.transaction.xa.Xid;

/** An Xid as a transaction manager makes one, for the XA tests: compared by value. */
public record TestXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {
    /** A branch of global transaction {@code global}, qualified by {@code branch}. */
    public static TestXid of(String global, String branch) {
        return new TestXid(0x5354, global.getBytes(StandardCharsets.UTF_8), branch.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return gtrid.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return bqual.clone();
    }

    /** Whether {@code other} names the same branch. */
    public boolean sameAs(Xid other) {
        return other.getFormatId() == formatId && Arrays.equals(other.getGlobalTransactionId(), gtrid)
                && Arrays.equals(other.getBranchQualifier(), bqual);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xid other && sameAs(other);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
    }

    @Override
    public String toString() {
        return new String(gtrid, StandardCharsets.UTF_8) + "/" + new String(bqual, StandardCharsets.UTF_8);
    }
}
