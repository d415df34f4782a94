package io.strand.broker;

import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.PartitionLog;
import io.strand.record.BatchCursor;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;

/**
 * Reads single records of one partition by offset, for the few records a share group looks at out
 * of order (released ones, rejected ones). Keeps the last batch it read, since such offsets come in
 * order and often several from one batch. Not thread-safe; one per scan.
 */
final class StoredRecords {
    private final PartitionLog log;
    private final long highWatermark;
    private final RecordIterator iterator = new RecordIterator();
    private ByteBuffer batches;
    private long firstOffset = Long.MAX_VALUE;
    private long nextOffset = Long.MIN_VALUE;

    StoredRecords(PartitionLog log, long highWatermark) {
        this.log = log;
        this.highWatermark = highWatermark;
    }

    /** The record at {@code offset}, or null when retention removed it or it lies above the high watermark. */
    Record find(long offset) {
        if (offset < firstOffset || offset >= nextOffset) {
            if (!load(offset)) {
                return null;
            }
        }
        BatchCursor cursor = new BatchCursor(Integer.MAX_VALUE).reset(batches.duplicate());
        while (cursor.hasNext()) {
            RecordBatch next = cursor.next();
            if (next.lastOffset() < offset) {
                continue;
            }
            iterator.reset(next);
            while (iterator.hasNext()) {
                Record record = iterator.next();
                if (record.offset() == offset) {
                    return record;
                }
            }
            return null;
        }
        return null;
    }

    private boolean load(long offset) {
        try (FileSlice slice = log.read(offset, 1, highWatermark)) {
            if (slice.isEmpty()) {
                return false;
            }
            batches = slice.readIntoHeap();
            firstOffset = slice.firstOffset();
            nextOffset = slice.nextOffset();
            return true;
        } catch (OffsetOutOfRangeException e) {
            return false;
        }
    }
}
