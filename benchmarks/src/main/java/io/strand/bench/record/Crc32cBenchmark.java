package io.strand.bench.record;

import io.strand.record.CompressionType;
import io.strand.record.RecordBatch;
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
 * The CRC-32C of a batch of 16 or 64 KiB, as {@link RecordBatch#computeChecksum()} computes it (attributes to
 * the end), from a heap buffer and from a direct one. One op is one batch; the {@code bytes} counter counts the
 * batch's bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class Crc32cBenchmark {
    @Param({"16384", "65536"})
    public int batchBytes;

    private final RecordBatch heap = new RecordBatch();
    private final RecordBatch direct = new RecordBatch();
    private int size;

    @Setup(Level.Trial)
    public void prepare() {
        ByteBuffer[] values = Payloads.textLike(64, Payloads.RECORD_BYTES);
        int count = Payloads.recordsPerBatch(values, batchBytes, CompressionType.NONE);
        ByteBuffer batch = Payloads.batch(values, count, CompressionType.NONE);
        size = batch.remaining();
        heap.wrap(batch, 0);
        direct.wrap(ByteBuffer.allocateDirect(size).put(batch.duplicate()).flip(), 0);
    }

    @Benchmark
    public long heapBuffer(ByteCounter counter) {
        counter.bytes += size;
        return heap.computeChecksum();
    }

    @Benchmark
    public long directBuffer(ByteCounter counter) {
        counter.bytes += size;
        return direct.computeChecksum();
    }
}
