package io.strand.bench.log;

import io.strand.log.FileSlice;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.record.CompressionType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Read throughput from the page cache: a 256 MiB partition of 16 KiB batches, read front to back in
 * 1 MiB fetches copied into a reused buffer (the path of an in-process consumer; a network consumer
 * sends the same slice with zero copy). One op is one fetch; the result reports bytes per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class LogReadBenchmark {
    private static final int FETCH_BYTES = 1 << 20;
    private static final long LOG_BYTES = 256L << 20;

    private Path dir;
    private LogManager manager;
    private PartitionLog log;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(FETCH_BYTES + (64 << 10));
    private long next;

    @Setup(Level.Trial)
    public void fill() {
        dir = BenchDirs.create("strand-read-");
        LogConfig config = LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, "none");
        manager = LogManager.open(LogManagerConfig.defaults(dir).withDefaultLogConfig(config));
        log = manager.getOrCreateLog(new TopicPartition("bench", 0));
        ByteBuffer batch = BenchBatches.oneKiBRecords(16 * 1024, CompressionType.NONE);
        while (log.sizeInBytes() < LOG_BYTES) {
            log.appendAsLeader(batch.duplicate(), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @TearDown(Level.Trial)
    public void close() {
        manager.close();
        BenchDirs.delete(dir);
    }

    /** One 1 MiB fetch; returns the bytes read. */
    @Benchmark
    public int fetch1MiB() {
        if (next >= log.highWatermark()) {
            next = log.logStartOffset();
        }
        try (FileSlice slice = log.read(next, FETCH_BYTES, log.highWatermark())) {
            sink.clear();
            slice.readInto(sink);
            next = slice.nextOffset();
            return slice.sizeInBytes();
        }
    }
}
