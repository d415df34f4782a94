package io.strand.cluster;

import io.strand.cluster.metadata.InvalidMetadataException;
import io.strand.cluster.metadata.MetadataCodec;
import io.strand.cluster.metadata.MetadataFormatException;
import io.strand.cluster.metadata.MetadataStateMachine;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jgroups.raft.StateMachine;

/**
 * Lets jgroups-raft drive the plain-Java {@link MetadataStateMachine}: each committed Raft entry is one
 * encoded batch of records, and Raft's snapshots are the state machine's own.
 *
 * <p>A batch the state machine refuses is answered with an error and changes nothing. Since the refusal
 * depends only on the image and the batch, every node refuses the same entry, and the replicas never
 * diverge. A snapshot that does not load, however, means the disk is corrupt, so that error propagates.
 */
final class RaftMetadataStateMachine implements StateMachine {
    /** The first byte of a response: the batch was applied. */
    static final byte APPLIED = 0;
    /** The first byte of a response: the batch was refused; the rest is the reason in UTF-8. */
    static final byte REFUSED = 1;
    /** Bounds what a corrupt snapshot length can make a node allocate. */
    private static final int MAX_SNAPSHOT_BYTES = 1 << 30;

    private final MetadataStateMachine metadata;

    RaftMetadataStateMachine(MetadataStateMachine metadata) {
        this.metadata = metadata;
    }

    @Override
    public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
        try {
            metadata.apply(MetadataCodec.decodeBatch(data, offset, length));
            return new byte[] {APPLIED};
        } catch (InvalidMetadataException | MetadataFormatException refused) {
            byte[] reason = refused.getMessage().getBytes(StandardCharsets.UTF_8);
            byte[] response = new byte[1 + reason.length];
            response[0] = REFUSED;
            System.arraycopy(reason, 0, response, 1, reason.length);
            return response;
        }
    }

    @Override
    public void writeContentTo(DataOutput out) throws IOException {
        byte[] snapshot = metadata.snapshot();
        out.writeInt(snapshot.length);
        out.write(snapshot);
    }

    @Override
    public void readContentFrom(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_SNAPSHOT_BYTES) {
            throw new IOException("metadata snapshot length " + length + " is outside 0.." + MAX_SNAPSHOT_BYTES);
        }
        byte[] snapshot = new byte[length];
        in.readFully(snapshot);
        metadata.loadSnapshot(snapshot);
    }

    /** The reason in a refusal response, or empty when the response says the batch was applied. */
    static String refusal(byte[] response) {
        if (response == null || response.length == 0 || response[0] == APPLIED) {
            return "";
        }
        return new String(Arrays.copyOfRange(response, 1, response.length), StandardCharsets.UTF_8);
    }
}
