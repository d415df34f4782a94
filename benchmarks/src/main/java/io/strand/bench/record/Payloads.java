package io.strand.bench.record;

import io.strand.record.CompressionType;
import io.strand.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Record values for the benchmarks: text-like bytes (words of a JSON-ish vocabulary, numbers, separators) that
 * LZ4 compresses about as well as real message bodies, neither all zeros nor random.
 */
final class Payloads {
    static final int RECORD_BYTES = 1024;
    private static final String[] WORDS = {"order", "customer", "id", "amount", "status", "shipped", "pending",
        "name", "street", "\"value\"", "true", "false", "null", "<item>", "</item>", "currency", "EUR", "timestamp"};

    private Payloads() {
    }

    /** {@code count} different values of {@code size} bytes, the same for every run (fixed seed). */
    static ByteBuffer[] textLike(int count, int size) {
        Random random = new Random(42);
        ByteBuffer[] values = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            values[i] = ByteBuffer.wrap(textLike(random, size));
        }
        return values;
    }

    private static byte[] textLike(Random random, int size) {
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            text.append(WORDS[random.nextInt(WORDS.length)]);
            if (random.nextInt(4) == 0) {
                text.append(random.nextInt(100_000));
            }
            text.append(random.nextBoolean() ? ' ' : random.nextBoolean() ? ':' : ',');
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    /**
     * How many of {@code values} (taken in turn) one batch of at most {@code maxBatchBytes} holds, as the
     * builder's own size estimate decides: the way a producer fills its batches.
     */
    static int recordsPerBatch(ByteBuffer[] values, int maxBatchBytes, CompressionType compression) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, 0L);
        int count = 0;
        while (builder.hasRoomFor(count, null, values[count % values.length], null, maxBatchBytes)) {
            builder.append(count, null, values[count % values.length], null);
            count++;
        }
        return count;
    }

    /** A private copy of one built batch holding the first {@code count} values in turn. */
    static ByteBuffer batch(ByteBuffer[] values, int count, CompressionType compression) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, 0L);
        for (int i = 0; i < count; i++) {
            builder.append(1_700_000_000_000L + i, null, values[i % values.length], null);
        }
        ByteBuffer built = builder.build();
        return ByteBuffer.allocate(built.remaining()).put(built).flip();
    }
}
