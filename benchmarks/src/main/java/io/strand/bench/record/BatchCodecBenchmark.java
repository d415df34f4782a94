package io.strand.bench.record;

import io.strand.record.CompressionType;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding one batch of 1 KiB text-like records, filled up to 16 or 64 KiB by the builder's own
 * size estimate, without compression and with LZ4. One op is one batch; the {@code bytes} counter counts record
 * values (uncompressed), so its rate is the payload throughput a producer or consumer thread gets.
 *
 * <ul>
 *   <li>{@link #encode}: reset the reused builder, append every record, build (LZ4: compress, both: CRC).</li>
 *   <li>{@link #decode}: reset the reused iterator (LZ4: decompress) and walk every record, touching the first
 *       and last byte of each value: what a consumer does before it copies or parses a value.</li>
 *   <li>{@link #decodeCopyingValues}: as {@link #decode}, but every value is copied out into a reused array,
 *       as a consumer building a message body does; this one reads every payload byte.</li>
 *   <li>{@link #validateAndDecode}: the CRC check a receiver of untrusted bytes runs first, then {@link #decode}.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class BatchCodecBenchmark {
    @Param({"16384", "65536"})
    public int batchBytes;

    @Param({"NONE", "LZ4"})
    public CompressionType compression;

    private ByteBuffer[] values;
    private int recordCount;
    private long payloadBytes;
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private ByteBuffer batch;
    private final RecordBatch wrapped = new RecordBatch();
    private final RecordIterator iterator = new RecordIterator();
    private final byte[] copy = new byte[Payloads.RECORD_BYTES];

    @Setup(Level.Trial)
    public void prepare() {
        values = Payloads.textLike(64, Payloads.RECORD_BYTES);
        recordCount = Payloads.recordsPerBatch(values, batchBytes, compression);
        payloadBytes = (long) recordCount * Payloads.RECORD_BYTES;
        batch = Payloads.batch(values, recordCount, compression);
        wrapped.wrap(batch, 0);
        System.out.printf("%n%s batch of %d records: %d payload bytes in %d batch bytes%n", compression, recordCount,
                payloadBytes, batch.remaining());
    }

    @Benchmark
    public ByteBuffer encode(ByteCounter counter) {
        builder.reset(compression, 0L);
        long timestamp = 1_700_000_000_000L;
        for (int i = 0; i < recordCount; i++) {
            builder.append(timestamp + i, null, values[i & 63], null);
        }
        counter.bytes += payloadBytes;
        return builder.build();
    }

    @Benchmark
    public long decode(ByteCounter counter) {
        counter.bytes += payloadBytes;
        return walk();
    }

    @Benchmark
    public long decodeCopyingValues(ByteCounter counter) {
        iterator.reset(wrapped);
        long sum = 0;
        while (iterator.hasNext()) {
            Record record = iterator.next();
            int size = record.valueSize();
            record.buffer().get(record.valuePosition(), copy, 0, size);
            sum += copy[size >> 1];
        }
        counter.bytes += payloadBytes;
        return sum;
    }

    @Benchmark
    public long validateAndDecode(ByteCounter counter) {
        wrapped.ensureValid(batch.limit(), Integer.MAX_VALUE);
        counter.bytes += payloadBytes;
        return walk();
    }

    private long walk() {
        iterator.reset(wrapped);
        long sum = 0;
        while (iterator.hasNext()) {
            Record record = iterator.next();
            ByteBuffer buffer = record.buffer();
            int position = record.valuePosition();
            int size = record.valueSize();
            sum += record.offset() + size + buffer.get(position) + buffer.get(position + size - 1);
        }
        return sum;
    }
}
