package io.strand.broker;

import io.strand.log.FileSlice;
import io.strand.log.OffsetOutOfRangeException;
import io.strand.log.OffsetPosition;
import io.strand.log.PartitionLog;
import io.strand.record.BatchCursor;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;

/**
 * Between offsets and times in a partition's log, for the operator's views and rewinds: when the
 * record at an offset was written, and which record is the first written at or after a time (found
 * through the log's time index, then record by record in the batch it names). Stateless.
 */
final class RecordTimes {
    private static final int READ_BYTES = 256 * 1024;

    private RecordTimes() {
    }

    /** The write time of the record at {@code offset}, or -1 when no record there is below the high watermark. */
    static long timestampAt(PartitionLog log, long offset) {
        Record record = new StoredRecords(log, log.highWatermark()).find(offset);
        return record == null ? -1 : record.timestamp();
    }

    /**
     * The offset of the first record below the high watermark written at or after {@code timestamp};
     * the high watermark when every record is older (a position there sees only what comes next).
     */
    static long offsetForTime(PartitionLog log, long timestamp) {
        long highWatermark = log.highWatermark();
        OffsetPosition batch = log.findBatchByTimestamp(timestamp);
        long from = batch == null ? highWatermark : Math.max(batch.offset(), log.logStartOffset());
        RecordIterator iterator = new RecordIterator();
        while (from < highWatermark) {
            ByteBuffer batches;
            long next;
            try (FileSlice slice = log.read(from, READ_BYTES, highWatermark)) {
                if (slice.isEmpty()) {
                    break;
                }
                batches = slice.readIntoHeap();
                next = slice.nextOffset();
            } catch (OffsetOutOfRangeException e) {
                from = log.logStartOffset(); // retention moved the start meanwhile
                continue;
            }
            BatchCursor cursor = new BatchCursor(Integer.MAX_VALUE).reset(batches);
            while (cursor.hasNext()) {
                RecordBatch current = cursor.next();
                if (current.maxTimestamp() < timestamp || current.isControlBatch()) {
                    continue;
                }
                iterator.reset(current);
                while (iterator.hasNext()) {
                    Record record = iterator.next();
                    if (record.offset() >= from && record.offset() < highWatermark && record.timestamp() >= timestamp) {
                        return record.offset();
                    }
                }
            }
            from = next;
        }
        return highWatermark;
    }
}
