package io.strand.jms.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.strand.jms.message.EncodedMessage;
import io.strand.jms.message.HeaderView;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The client's view of the record-batch format (DESIGN.md §2): builds one batch from encoded
 * messages, and walks the records of pushed batches. The seam keeps the producer and consumer paths
 * testable without real batches; {@link RecordFormats} holds the implementation over
 * {@code io.strand.record}. Implementations are stateless and thread-safe.
 */
public interface RecordFormat {
    /** Sees one record of a delivered batch; the buffers and the header list are valid only during the call. */
    @FunctionalInterface
    interface RecordVisitor {
        void record(long offset, long timestampMs, ByteBuffer key, ByteBuffer value, List<? extends HeaderView> headers);
    }

    /**
     * @param messages     the records of the batch, in order, at least one
     * @param timestampsMs one create time per record
     * @return a new buffer holding exactly one batch, CRC filled in; the caller releases it
     */
    ByteBuf encode(ByteBufAllocator allocator, List<EncodedMessage> messages, long[] timestampsMs);

    /**
     * As {@link #encode(ByteBufAllocator, List, long[])}, for an idempotent producer: the batch carries the stamp's
     * producer id, epoch and first sequence.
     */
    ByteBuf encode(ByteBufAllocator allocator, List<EncodedMessage> messages, long[] timestampsMs,
                   ProducerSequences.Stamp stamp);

    /**
     * Visits every record at or after {@code fromOffset} in the whole batches of {@code records}, in
     * offset order, checking each batch's header and CRC first.
     *
     * @throws io.strand.record.CorruptRecordException if a batch or record is malformed
     */
    default void decode(ByteBuf records, long fromOffset, RecordVisitor visitor) {
        decode(records, fromOffset, Long.MAX_VALUE, visitor);
    }

    /**
     * As {@link #decode(ByteBuf, long, RecordVisitor)}, up to {@code toOffset} (inclusive): no record after it is
     * visited, and the walk ends at the first batch that lies wholly after it.
     */
    void decode(ByteBuf records, long fromOffset, long toOffset, RecordVisitor visitor);
}
