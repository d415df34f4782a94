package io.strand.broker;

import io.strand.protocol.DestinationType;
import io.strand.protocol.XaTransactions;
import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a commit that spans partitions promises before it appends anything: the transaction id and,
 * for each target partition, where its batches go, the partition's log end offset when the commit was
 * recorded, and the batches themselves, stamped (see {@link #stamp}). Kept in the transaction log
 * ({@link TransactionLog}) until the commit has completed, so that recovery can finish it after a crash.
 *
 * <pre>
 *   int8   format: 0, or 1 for the commit of a prepared XA branch
 *   int64  transaction id
 *   Xid    the branch (format 1 only; see {@link XidBytes})
 *   int32  n, then n x:
 *            int8    destination type
 *            int16   name length, then the name in UTF-8
 *            int32   partition
 *            int64   log end offset of the partition when the commit was recorded
 *            int32   length, then the stamped record batches
 * </pre>
 *
 * <p>Stamp: every batch carries an idempotent producer's stamp (producer id, epoch, base sequence). A local
 * transaction's client stamps its batches itself, with its session's producer id for the partition and the next
 * sequences, so that a commit it sends again after a failover is recognised batch by batch; the broker stamps the
 * batches that come unstamped (an XA branch's) with the transaction id as producer id, the target's index as
 * epoch and sequences from 0. Recovery scans the partition from the recorded end offset for batches with the
 * stamps of the target's batches: those present were appended before the crash, the others are not. No other
 * batch in that range carries one of those stamps: transaction ids are unique within a broker run (recovery
 * finishes every recorded commit before the broker serves anyone), and a client's producer id and sequence name
 * one batch.
 *
 * <p>The commit of a prepared XA branch is always recorded, whatever its number of partitions, and names the
 * branch ({@code xid}): its prepare record says nothing about whether its batches were appended, so only this
 * record lets recovery finish the commit instead of the transaction manager committing it a second time.
 *
 * @param xid the committed XA branch, or null for a local transaction
 */
record CommitRecord(long transactionId, XaTransactions.BranchId xid, List<Target> targets) {
    private static final byte FORMAT = 0;
    private static final byte FORMAT_WITH_XID = 1;

    /** The batches of one target partition; {@code batches} holds whole stamped batches from position to limit. */
    record Target(DestinationType type, String destination, int partition, long endOffset, ByteBuffer batches) {
        /** @return the number of batches */
        int batchCount() {
            RecordBatch batch = new RecordBatch();
            int count = 0;
            for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos);
                count++;
            }
            return count;
        }

        /**
         * @return whether one of the target's batches carries the stamp (producer id, epoch, base sequence) of
         *         {@code other}
         */
        boolean holdsStampOf(RecordBatch other) {
            RecordBatch batch = new RecordBatch();
            for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos);
                if (batch.producerId() == other.producerId() && batch.producerEpoch() == other.producerEpoch()
                        && batch.baseSequence() == other.baseSequence()) {
                    return true;
                }
            }
            return false;
        }

        /** @return the batches after the first {@code skip}, as a new view */
        ByteBuffer batchesAfter(int skip) {
            RecordBatch batch = new RecordBatch();
            int pos = batches.position();
            for (int i = 0; i < skip && pos < batches.limit(); i++) {
                pos += batch.wrap(batches, pos).sizeInBytes();
            }
            return batches.duplicate().position(pos);
        }

        @Override
        public String toString() {
            return type.name().toLowerCase() + " " + destination + " partition " + partition;
        }
    }

    CommitRecord {
        targets = List.copyOf(targets);
    }

    /** The record of a local transaction's commit. */
    CommitRecord(long transactionId, List<Target> targets) {
        this(transactionId, null, targets);
    }

    /**
     * Stamps the batches of a target in place and computes their CRC again (the stamped fields lie inside
     * it). Validate the CRC before: a stamp must never bless bytes that arrived corrupt. The stamp is an
     * idempotent producer's: the transaction id as producer id, the target's index as its epoch, and
     * sequences from 0 over the target's records, so the log takes the batches as one producer's in order
     * and would recognise them if they came again.
     */
    static void stamp(ByteBuffer batches, long transactionId, int index) {
        if (index < 0 || index > Short.MAX_VALUE) {
            throw new IllegalArgumentException("target index " + index + " does not fit a producer epoch");
        }
        RecordBatch batch = new RecordBatch();
        int sequence = 0;
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            batches.putLong(pos + RecordBatch.PRODUCER_ID_OFFSET, transactionId);
            batches.putShort(pos + RecordBatch.PRODUCER_EPOCH_OFFSET, (short) index);
            batches.putInt(pos + RecordBatch.BASE_SEQUENCE_OFFSET, sequence);
            batch.updateChecksum();
            sequence += batch.recordCount();
        }
    }

    /** @return whether {@code batch} was appended by this commit for its target at {@code index} */
    boolean stamped(RecordBatch batch, int index) {
        return targets.get(index).holdsStampOf(batch);
    }

    /** @return whether the batches of every target already carry a stamp (the client's) */
    static boolean isStamped(ByteBuffer batches) {
        return new RecordBatch().wrap(batches, batches.position()).producerId() != RecordBatch.NO_PRODUCER_ID;
    }

    byte[] encode() {
        int size = 1 + 8 + (xid == null ? 0 : XidBytes.size(xid)) + 4;
        List<byte[]> names = new ArrayList<>(targets.size());
        for (Target t : targets) {
            byte[] name = t.destination().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 1 + 2 + name.length + 4 + 8 + 4 + t.batches().remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(xid == null ? FORMAT : FORMAT_WITH_XID).putLong(transactionId);
        if (xid != null) {
            XidBytes.put(out, xid);
        }
        out.putInt(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            out.put(t.type().id).putShort((short) names.get(i).length).put(names.get(i)).putInt(t.partition())
                    .putLong(t.endOffset()).putInt(t.batches().remaining()).put(t.batches().duplicate());
        }
        return out.array();
    }

    /**
     * Decodes a stored commit; its batches are checked again (header and CRC), since they will be appended.
     *
     * @throws IllegalStateException naming what is wrong
     */
    static CommitRecord decode(ByteBuffer value) {
        ByteBuffer in = value.duplicate();
        try {
            byte format = in.get();
            if (format != FORMAT && format != FORMAT_WITH_XID) {
                throw new IllegalStateException("commit record has an unknown format");
            }
            long id = in.getLong();
            XaTransactions.BranchId xid = format == FORMAT_WITH_XID ? XidBytes.get(in) : null;
            int count = in.getInt();
            if (count < 0 || count > in.remaining()) {
                throw new IllegalStateException("commit record of transaction " + id + " has " + count + " targets");
            }
            List<Target> targets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                DestinationType type = DestinationType.forId(in.get());
                byte[] name = new byte[in.getShort()];
                in.get(name);
                int partition = in.getInt();
                long endOffset = in.getLong();
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalStateException("commit record of transaction " + id + " holds " + length
                            + " bytes of batches for target " + i + " in " + in.remaining());
                }
                ByteBuffer batches = ByteBuffer.allocate(length);
                in.get(batches.array());
                checkBatches(batches, id, i);
                targets.add(new Target(type, new String(name, StandardCharsets.UTF_8), partition, endOffset, batches));
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException("commit record of transaction " + id + " has " + in.remaining()
                        + " trailing bytes");
            }
            return new CommitRecord(id, xid, targets);
        } catch (java.nio.BufferUnderflowException | io.strand.protocol.MalformedFrameException
                 | NegativeArraySizeException e) {
            throw new IllegalStateException("commit record is truncated or malformed: " + e, e);
        }
    }

    private static void checkBatches(ByteBuffer batches, long id, int index) {
        RecordBatch batch = new RecordBatch();
        try {
            for (int pos = 0; pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos).ensureValid(batches.limit(), Integer.MAX_VALUE);
            }
        } catch (CorruptRecordException e) {
            throw new IllegalStateException("commit record of transaction " + id + ", target " + index + ": "
                    + e.getMessage(), e);
        }
    }
}
