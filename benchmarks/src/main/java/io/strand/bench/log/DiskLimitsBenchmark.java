package io.strand.bench.log;

import io.strand.record.CompressionType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
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
 * This machine's limits, measured in the same run as the log benchmarks so that the log's figures
 * can be quoted as a share of them: sequential write bandwidth of the benchmark directory's disk
 * without fsync (64 KiB writes into the page cache, the file cut back every 1 GiB), the same written
 * the way a log writes (new 256 MiB files, the oldest deleted past 2 GiB, so dirty pages pile up and
 * the kernel's writeback sets the pace as it does for the log), the rate of
 * {@code force()} calls by a single writer appending 1 KiB before each, and the bandwidth of forced
 * writes (1 MiB, then {@code force()}), which bounds any group commit of large batches.
 *
 * <p>The rolled writes are also measured in pieces of exactly the size of {@link LogAppendBenchmark}'s
 * batches (15 or 63 records of 1 KiB, so not multiples of the 4 KiB page): a log appends batches as they
 * come, and a write that starts and ends inside a page costs the kernel more per byte than whole pages.
 * This is the page-cache bandwidth a log could reach with those batches if the log itself cost nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class DiskLimitsBenchmark {
    private static final long WRAP_BYTES = 1L << 30;

    private Path dir;
    private FileChannel channel;
    private final ByteBuffer block = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer small = ByteBuffer.allocateDirect(1024);
    private final ByteBuffer large = ByteBuffer.allocateDirect(1024 * 1024);
    private long position;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchDirs.create("strand-disk-");
        channel = FileChannel.open(dir.resolve("limits.bin"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        byte[] noise = new byte[block.capacity()];
        ThreadLocalRandom.current().nextBytes(noise);
        block.put(noise).flip();
        small.put(noise, 0, small.capacity()).flip();
        while (large.hasRemaining()) {
            large.put(noise, 0, Math.min(noise.length, large.remaining()));
        }
        large.flip();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        channel.close();
        if (rolling != null) {
            rolling.close();
        }
        BenchDirs.delete(dir);
    }

    /** One op = 64 KiB written sequentially, no fsync: multiply ops/s by 65,536 for bytes/s. */
    @Benchmark
    public int sequentialWrite64KiB() throws IOException {
        if (position >= WRAP_BYTES) {
            channel.truncate(0);
            position = 0;
        }
        int n = channel.write(block.duplicate(), position);
        position += n;
        return n;
    }

    private static final long ROLL_BYTES = 256L << 20;
    private static final int KEPT_FILES = 8;
    private final ArrayDeque<Path> rolled = new ArrayDeque<>();
    private FileChannel rolling;
    private long rollingPosition;

    /** One op = 64 KiB written sequentially into rolled files, as the log writes them; no fsync. */
    @Benchmark
    public int sequentialWriteRolling64KiB() throws IOException {
        return writeRolling(block);
    }

    private final ByteBuffer batch16KiB = direct(BenchBatches.oneKiBRecords(16 * 1024, CompressionType.NONE));
    private final ByteBuffer batch64KiB = direct(BenchBatches.oneKiBRecords(64 * 1024, CompressionType.NONE));

    /** A direct copy, as the other writes here and the log's appends use: a heap buffer would add a JDK copy. */
    private static ByteBuffer direct(ByteBuffer bytes) {
        return ByteBuffer.allocateDirect(bytes.remaining()).put(bytes.duplicate()).flip();
    }

    /** One op = one write the size of LogAppendBenchmark's 16 KiB batch into rolled files; no fsync. */
    @Benchmark
    public int sequentialWriteRolling16KiBBatches() throws IOException {
        return writeRolling(batch16KiB);
    }

    /** One op = one write the size of LogAppendBenchmark's 64 KiB batch into rolled files; no fsync. */
    @Benchmark
    public int sequentialWriteRolling64KiBBatches() throws IOException {
        return writeRolling(batch64KiB);
    }

    private int writeRolling(ByteBuffer bytes) throws IOException {
        if (rolling == null || rollingPosition >= ROLL_BYTES) {
            roll();
        }
        int n = rolling.write(bytes.duplicate(), rollingPosition);
        rollingPosition += n;
        return n;
    }

    private void roll() throws IOException {
        if (rolling != null) {
            rolling.close();
        }
        Path next = dir.resolve("roll-" + System.nanoTime() + ".bin");
        rolling = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        rollingPosition = 0;
        rolled.addLast(next);
        while (rolled.size() > KEPT_FILES) {
            Files.delete(rolled.removeFirst());
        }
    }

    /** One op = 1 MiB written then forced: multiply ops/s by 1,048,576 for the forced write bandwidth. */
    @Benchmark
    public int forcedWrite1MiB() throws IOException {
        if (position >= WRAP_BYTES) {
            channel.truncate(0);
            position = 0;
        }
        int n = 0;
        ByteBuffer bytes = large.duplicate();
        while (bytes.hasRemaining()) {
            n += channel.write(bytes, position + n);
        }
        position += n;
        channel.force(false);
        return n;
    }

    /** One op = a 1 KiB write followed by {@code force(false)}: the single-writer force rate. */
    @Benchmark
    public int appendAndForce() throws IOException {
        if (position >= WRAP_BYTES) {
            channel.truncate(0);
            position = 0;
        }
        int n = channel.write(small.duplicate(), position);
        position += n;
        channel.force(false);
        return n;
    }
}
