package io.strand.log;

import io.strand.record.CompressionType;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Record batches of string values for log tests, and the values back out of read bytes. */
final class TestBatches {
    private TestBatches() {
    }

    /** One uncompressed batch holding {@code values}, all stamped with {@code timestamp}, in a buffer of its own. */
    static ByteBuffer of(long timestamp, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0);
        for (String value : values) {
            builder.append(timestamp, null, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)), null);
        }
        ByteBuffer built = builder.build();
        return ByteBuffer.allocate(built.remaining()).put(built).flip();
    }

    /** The values of every record in the batches from position to limit, in order; each batch is checked first. */
    static List<String> values(ByteBuffer batches) {
        List<String> values = new ArrayList<>();
        RecordBatch batch = new RecordBatch();
        RecordIterator records = new RecordIterator();
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos).ensureValid(batches.limit(), Integer.MAX_VALUE);
            records.reset(batch);
            while (records.hasNext()) {
                Record record = records.next();
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }
}
