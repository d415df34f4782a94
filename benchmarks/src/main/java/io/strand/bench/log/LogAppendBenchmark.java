package io.strand.bench.log;

import io.strand.log.FlushMode;
import io.strand.log.LogAppendInfo;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of one partition: batches of 1 KiB records (16 or 64 KiB each), flush mode
 * none (page cache only: no periodic flush either) or fsync (each append waits for its group
 * commit), with 1, 8 or 64 appending threads. One op is one batch appended (and, in fsync mode,
 * forced): multiply ops/s by the batch size for bytes/s, and compare with {@link DiskLimitsBenchmark}
 * from the same run. Batches come from direct buffers, as produce requests do from the network.
 *
 * <p>Each append moves the high watermark as the broker does, and retention runs every 200 ms, so the
 * partition stays near 2 GiB as a broker's would: letting it grow for a whole iteration would pile
 * up dirty pages until the kernel throttles every writer, which measures the benchmark, not the log.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class LogAppendBenchmark {

    @State(Scope.Benchmark)
    public static class Partition {
        @Param({"16384", "65536"})
        public int batchBytes;

        @Param({"none", "fsync"})
        public String flush;

        Path dir;
        LogManager manager;
        PartitionLog log;
        ByteBuffer template;
        boolean fsync;

        @Setup(Level.Trial)
        public void open() {
            dir = BenchDirs.create("strand-append-");
            LogConfig config = LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, flush)
                    .with(LogConfig.FLUSH_MS, Long.toString(Long.MAX_VALUE))
                    .with(LogConfig.SEGMENT_BYTES, Integer.toString(256 << 20))
                    .with(LogConfig.RETENTION_BYTES, Long.toString(2L << 30));
            LogManagerConfig defaults = LogManagerConfig.defaults(dir).withDefaultLogConfig(config);
            manager = LogManager.open(new LogManagerConfig(dir, config, defaults.maxOpenSegments(),
                    defaults.flushThreads(), defaults.recoveryThreads(), defaults.checkpointIntervalMs(), 200,
                    defaults.idleHandleCloseMs(), defaults.clock(), defaults.channelOpener()));
            log = manager.getOrCreateLog(new TopicPartition("bench", 0));
            template = BenchBatches.oneKiBRecords(batchBytes, CompressionType.NONE);
            fsync = FlushMode.parse(flush) == FlushMode.FSYNC;
        }

        @TearDown(Level.Trial)
        public void close() {
            manager.close();
            BenchDirs.delete(dir);
        }


    }

    /** Each thread appends its own copy of the batch; offsets are stamped into it in place. */
    @State(Scope.Thread)
    public static class Appender {
        ByteBuffer batch;

        @Setup(Level.Trial)
        public void copy(Partition partition) {
            batch = ByteBuffer.allocateDirect(partition.template.remaining()).put(partition.template.duplicate()).flip();
        }
    }

    private static long append(Partition partition, Appender appender) {
        ByteBuffer batch = appender.batch.duplicate();
        LogAppendInfo info = partition.fsync ? partition.log.appendDurably(batch, 0)
                : partition.log.appendAsLeader(batch, 0);
        partition.log.maybeIncrementHighWatermark(info.nextOffset());
        return info.lastOffset();
    }

    @Benchmark
    @Threads(1)
    public long append1Thread(Partition partition, Appender appender) {
        return append(partition, appender);
    }

    @Benchmark
    @Threads(8)
    public long append8Threads(Partition partition, Appender appender) {
        return append(partition, appender);
    }

    @Benchmark
    @Threads(64)
    public long append64Threads(Partition partition, Appender appender) {
        return append(partition, appender);
    }
}
