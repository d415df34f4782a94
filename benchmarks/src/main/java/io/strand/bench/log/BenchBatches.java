package io.strand.bench.log;

import io.strand.record.CompressionType;
import io.strand.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.Random;

/** Record batches for the log benchmarks: 1 KiB records of text-like bytes, built once and copied. */
final class BenchBatches {
    private static final int RECORD_BYTES = 1024;

    private BenchBatches() {
    }

    /** A batch of as many 1 KiB records as fit in about {@code batchBytes}. */
    static ByteBuffer oneKiBRecords(int batchBytes, CompressionType compression) {
        return records(Math.max(1, batchBytes / (RECORD_BYTES + 16)), RECORD_BYTES, compression);
    }

    /** A batch of {@code count} records of {@code size} bytes each, as a private copy. */
    static ByteBuffer records(int count, int size, CompressionType compression) {
        Random random = new Random(42);
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, 0);
        byte[] value = new byte[size];
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < size; b++) {
                value[b] = (byte) ('a' + random.nextInt(16));
            }
            builder.append(System.currentTimeMillis(), null, ByteBuffer.wrap(value), null);
        }
        ByteBuffer built = builder.build();
        return ByteBuffer.allocate(built.remaining()).put(built).flip();
    }
}
