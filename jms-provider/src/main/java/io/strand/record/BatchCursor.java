package io.strand.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks a buffer that holds consecutive record batches (a produce request, a fetched file slice, a segment
 * read into memory), reusing one {@link RecordBatch} flyweight and checking each batch's header and CRC before
 * handing it out.
 *
 * <p>The bytes from the buffer's position to its limit must be whole batches: batches are never split, so a
 * partial batch at the end is corruption like any other, and the cursor stops there with a
 * {@link CorruptRecordException} naming the position. The buffer's position and limit are read once, at
 * {@link #reset}, and never moved. Records are not checked here: iterate them with a {@link RecordIterator}.
 *
 * <p>Not thread-safe: one cursor per reading thread. The batch returned by {@link #next()} is re-pointed by
 * the following call.
 */
public final class BatchCursor implements Iterator<RecordBatch> {
    private final int maxBatchSizeInBytes;
    private final RecordBatch batch = new RecordBatch();
    private ByteBuffer buffer;
    private int position;
    private int limit;

    /** @param maxBatchSizeInBytes the largest batch accepted; a larger one is reported as corrupt */
    public BatchCursor(int maxBatchSizeInBytes) {
        if (maxBatchSizeInBytes < RecordBatch.HEADER_SIZE) {
            throw new IllegalArgumentException("maxBatchSizeInBytes=" + maxBatchSizeInBytes
                    + " is below the batch header size " + RecordBatch.HEADER_SIZE);
        }
        this.maxBatchSizeInBytes = maxBatchSizeInBytes;
    }

    /** Starts walking the batches from {@code buffer}'s position to its limit. */
    public BatchCursor reset(ByteBuffer buffer) {
        this.buffer = buffer;
        this.position = buffer.position();
        this.limit = buffer.limit();
        return this;
    }

    /** Whether bytes are left; they are a batch or the next {@link #next()} says why not. */
    @Override
    public boolean hasNext() {
        return buffer != null && position < limit;
    }

    /** Position in the buffer where the next batch starts (or the limit once all were read). */
    public int position() {
        return position;
    }

    /**
     * Checks the batch at {@link #position()} (header, size against the bytes left and the maximum, CRC) and
     * returns it, positioned for the next one.
     *
     * @throws NoSuchElementException when no bytes are left
     * @throws CorruptRecordException naming the batch's position when its bytes are bad; the cursor stays there
     */
    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no batch left at position " + position + " (limit " + limit + ")");
        }
        batch.wrap(buffer, position);
        batch.ensureValid(limit, maxBatchSizeInBytes);
        position += batch.sizeInBytes();
        return batch;
    }

    /**
     * Checks every batch from {@code buffer}'s position to its limit and counts them; moves no position.
     *
     * @throws CorruptRecordException naming the position of the first bad batch
     */
    public static int validateAll(ByteBuffer buffer, int maxBatchSizeInBytes) {
        BatchCursor cursor = new BatchCursor(maxBatchSizeInBytes).reset(buffer);
        int count = 0;
        while (cursor.hasNext()) {
            cursor.next();
            count++;
        }
        return count;
    }
}
