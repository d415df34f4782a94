package io.strand.broker;

import io.strand.protocol.DestinationType;
import io.strand.protocol.Shares;
import io.strand.protocol.XaTransactions;
import io.strand.record.CorruptRecordException;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a prepared XA transaction branch does when it is committed, as the broker keeps it from its prepare until
 * its outcome: the record batches to append (checked at prepare, not yet stamped: the commit stamps them, see
 * {@link CommitRecord}), the queue records it acknowledged, held meanwhile for no one else, and the positions of
 * durable subscriptions it acknowledged, applied only at commit.
 *
 * <pre>
 *   int8   format (0)
 *   Xid    (see {@link XidBytes})
 *   int32  n, then n x Target:   int8 destination type, string destination, int32 partition,
 *                                int32 length, then the record batches
 *   int32  n, then n x Hold:     int8 destination type, string destination, string share group, int32 partition,
 *                                int32 n, then n x (int64 first offset, int64 last offset)
 *   int32  n, then n x Position: string client id, string subscription, string topic, int32 partition,
 *                                int64 next offset (everything below it is acknowledged)
 *   (string: int16 length, then UTF-8 bytes)
 * </pre>
 */
record PreparedBranch(XaTransactions.BranchId xid, List<Target> targets, List<Hold> holds, List<Position> positions) {
    private static final byte FORMAT = 0;

    /** Record batches for one partition of a destination. */
    record Target(DestinationType type, String destination, int partition, ByteBuffer batches) {
        @Override
        public String toString() {
            return type.name().toLowerCase() + " " + destination + " partition " + partition;
        }
    }

    /**
     * Records of one partition of a share group that the branch acknowledged, held by it.
     *
     * @param type        the type of the destination the group reads (a queue, or a topic for a shared subscription)
     * @param destination its name, whose consumers are woken when the records come back
     * @param group       the share group's name in {@link ShareGroups}
     */
    record Hold(DestinationType type, String destination, String group, int partition, List<Shares.OffsetRange> offsets) {
        Hold {
            offsets = List.copyOf(offsets);
        }
    }

    /** A durable subscription's acknowledgement: every record of the partition below {@code nextOffset}. */
    record Position(String clientId, String subscription, String topic, int partition, long nextOffset) {
    }

    PreparedBranch {
        targets = List.copyOf(targets);
        holds = List.copyOf(holds);
        positions = List.copyOf(positions);
    }

    /** @return whether committing the branch would change nothing: it is read-only */
    boolean isEmpty() {
        return targets.isEmpty() && holds.isEmpty() && positions.isEmpty();
    }

    byte[] encode() {
        int size = 1 + XidBytes.size(xid) + 4 + 4 + 4;
        for (Target t : targets) {
            size += 1 + stringSize(t.destination()) + 4 + 4 + t.batches().remaining();
        }
        for (Hold h : holds) {
            size += 1 + stringSize(h.destination()) + stringSize(h.group()) + 4 + 4 + h.offsets().size() * 16;
        }
        for (Position p : positions) {
            size += stringSize(p.clientId()) + stringSize(p.subscription()) + stringSize(p.topic()) + 4 + 8;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(FORMAT);
        XidBytes.put(out, xid);
        out.putInt(targets.size());
        for (Target t : targets) {
            out.put(t.type().id);
            putString(out, t.destination());
            out.putInt(t.partition()).putInt(t.batches().remaining()).put(t.batches().duplicate());
        }
        out.putInt(holds.size());
        for (Hold h : holds) {
            out.put(h.type().id);
            putString(out, h.destination());
            putString(out, h.group());
            out.putInt(h.partition()).putInt(h.offsets().size());
            for (Shares.OffsetRange range : h.offsets()) {
                out.putLong(range.firstOffset()).putLong(range.lastOffset());
            }
        }
        out.putInt(positions.size());
        for (Position p : positions) {
            putString(out, p.clientId());
            putString(out, p.subscription());
            putString(out, p.topic());
            out.putInt(p.partition()).putLong(p.nextOffset());
        }
        return out.array();
    }

    /**
     * Decodes a stored branch; its batches are checked again (header and CRC), since a commit will append them.
     *
     * @throws IllegalStateException naming what is wrong
     */
    static PreparedBranch decode(ByteBuffer value) {
        ByteBuffer in = value.duplicate();
        try {
            if (in.get() != FORMAT) {
                throw new IllegalStateException("prepared branch has an unknown format");
            }
            XaTransactions.BranchId xid = XidBytes.get(in);
            String what = "prepared branch " + xid;
            int count = count(in, 1 + 2 + 4 + 4, what, "targets");
            List<Target> targets = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                DestinationType type = DestinationType.forId(in.get());
                String destination = getString(in);
                int partition = in.getInt();
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IllegalStateException(what + " holds " + length + " bytes of batches for target " + i
                            + " in " + in.remaining());
                }
                ByteBuffer batches = ByteBuffer.allocate(length);
                in.get(batches.array());
                checkBatches(batches, what, i);
                targets.add(new Target(type, destination, partition, batches));
            }
            count = count(in, 1 + 2 + 2 + 4 + 4, what, "holds");
            List<Hold> holds = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                DestinationType type = DestinationType.forId(in.get());
                String destination = getString(in);
                String group = getString(in);
                int partition = in.getInt();
                int ranges = count(in, 16, what, "held ranges");
                List<Shares.OffsetRange> offsets = new ArrayList<>(ranges);
                for (int r = 0; r < ranges; r++) {
                    offsets.add(new Shares.OffsetRange(in.getLong(), in.getLong()));
                }
                holds.add(new Hold(type, destination, group, partition, offsets));
            }
            count = count(in, 2 + 2 + 2 + 4 + 8, what, "subscription positions");
            List<Position> positions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                positions.add(new Position(getString(in), getString(in), getString(in), in.getInt(), in.getLong()));
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(what + " has " + in.remaining() + " trailing bytes");
            }
            return new PreparedBranch(xid, targets, holds, positions);
        } catch (java.nio.BufferUnderflowException | io.strand.protocol.MalformedFrameException e) {
            throw new IllegalStateException("prepared branch is truncated or malformed: " + e, e);
        }
    }

    private static int count(ByteBuffer in, int minBytes, String what, String field) {
        int count = in.getInt();
        if (count < 0 || (long) count * minBytes > in.remaining()) {
            throw new IllegalStateException(what + " has " + count + " " + field + " in " + in.remaining() + " bytes");
        }
        return count;
    }

    private static int stringSize(String s) {
        return 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putString(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xffff) {
            throw new IllegalArgumentException("a name of " + bytes.length + " UTF-8 bytes cannot be stored in a prepared"
                    + " branch; at most 65535 can");
        }
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xffff];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void checkBatches(ByteBuffer batches, String what, int index) {
        RecordBatch batch = new RecordBatch();
        try {
            for (int pos = 0; pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos).ensureValid(batches.limit(), Integer.MAX_VALUE);
            }
        } catch (CorruptRecordException e) {
            throw new IllegalStateException(what + ", target " + index + ": " + e.getMessage(), e);
        }
    }
}
