package io.strand.broker;

import io.strand.protocol.ErrorCode;
import io.strand.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * The producer ids a client may stamp its batches with: {@link #FIRST} and above, or none. The ids below are the
 * transaction ids this broker stamps the unstamped batches of a commit with ({@link CommitRecord}), by which recovery
 * finds the batches a commit appended before a crash; a client batch carrying one could be taken for such a batch.
 * Plain sends and commits are both checked, so no client batch in any log carries a broker's stamp.
 */
final class ClientProducerIds {
    /** The lowest producer id a client stamps batches with (the upper quarter of the positive longs). */
    static final long FIRST = 1L << 62;

    private ClientProducerIds() {
    }

    /** Refuses {@code producerId}, found in the batches for {@code where}, unless it is none or a client's. */
    static void require(long producerId, String where) {
        if (producerId != RecordBatch.NO_PRODUCER_ID && producerId < FIRST) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "the batches for " + where + " carry producer id "
                    + producerId + "; a client's producer ids start at " + FIRST);
        }
    }

    /**
     * Checks the producer id of every whole batch in {@code batches}, from position to limit, without moving it. A
     * batch header cut short is left to the log's validation, which names it.
     */
    static void requireInBatches(ByteBuffer batches, String where) {
        RecordBatch batch = new RecordBatch();
        int pos = batches.position();
        while (batches.limit() - pos >= RecordBatch.HEADER_SIZE) {
            batch.wrap(batches, pos);
            require(batch.producerId(), where);
            int size = batch.sizeInBytes();
            if (size <= 0 || size > batches.limit() - pos) {
                return;
            }
            pos += size;
        }
    }
}
