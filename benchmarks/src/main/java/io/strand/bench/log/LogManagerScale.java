package io.strand.bench.log;

import io.strand.log.FileSlice;
import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.record.CompressionType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How a log manager with many small partitions opens: after a clean shutdown and after
 * {@code kill -9}, each in a fresh JVM (so nothing is warm but the page cache), reporting the time
 * to open and to read the first record back, the open file descriptors of the process, and the heap
 * in use after a full GC.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.strand.bench.log.LogManagerScale [partitions] [recordsEach]</pre>
 */
public final class LogManagerScale {
    private static final LogConfig CONFIG = LogConfig.DEFAULT.with(LogConfig.FLUSH_MODE, "none");

    private LogManagerScale() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("--")) {
            child(args[0], Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int recordsEach = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = BenchDirs.create("strand-scale-");
        try {
            System.out.println("partitions=" + partitions + " recordsEach=" + recordsEach + " dir=" + dir);
            runChild("--populate", dir, partitions, recordsEach, false);
            runChild("--open", dir, partitions, recordsEach, false);
            runChild("--crash", dir, partitions, recordsEach, true);
            runChild("--open", dir, partitions, recordsEach, false);
        } finally {
            BenchDirs.delete(dir);
        }
    }

    private static void runChild(String mode, Path dir, int partitions, int recordsEach, boolean killWhenReady)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                LogManagerScale.class.getName(), mode, dir.toString(), Integer.toString(partitions),
                Integer.toString(recordsEach)).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.equals("READY-TO-KILL") && killWhenReady) {
                    child.destroyForcibly();
                    System.out.println("  killed the appending broker with SIGKILL");
                    break;
                }
                if (line.startsWith("  ") || line.startsWith("[main] INFO")) {
                    System.out.println(line);
                }
            }
        }
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new IllegalStateException(mode + " did not finish in 5 minutes");
        }
    }

    private static void child(String mode, Path dir, int partitions, int recordsEach) throws Exception {
        ByteBuffer batch = BenchBatches.records(recordsEach, 100, CompressionType.NONE);
        switch (mode) {
            case "--populate" -> {
                long start = System.nanoTime();
                try (LogManager manager = open(dir)) {
                    for (int p = 0; p < partitions; p++) {
                        manager.getOrCreateLog(new TopicPartition("queue-" + p, 0)).appendAsLeader(batch.duplicate(), 0);
                    }
                }
                System.out.printf("  populated %d partitions in %d ms%n", partitions, ms(start));
            }
            case "--open" -> {
                long start = System.nanoTime();
                try (LogManager manager = open(dir)) {
                    long opened = ms(start);
                    PartitionLog first = manager.getLog(new TopicPartition("queue-0", 0)).orElseThrow();
                    try (FileSlice slice = first.read(0, 4096, first.logEndOffset())) {
                        slice.readIntoHeap();
                    }
                    long firstRead = ms(start);
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.printf("  opened %d partitions in %d ms (first record read at %d ms); open files %d;"
                                    + " open segments %d; heap after full GC %d MiB%n", manager.logs().size(), opened,
                            firstRead, openFileDescriptors(), manager.fileHandleBudget().openSegments(), heap >> 20);
                }
            }
            case "--crash" -> {
                LogManager manager = open(dir);
                for (PartitionLog log : manager.logs()) {
                    log.appendAsLeader(batch.duplicate(), 0);
                }
                System.out.println("  appended one more batch to every partition; killing before shutdown");
                System.out.println("READY-TO-KILL");
                System.out.flush();
                Thread.sleep(60_000);
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static LogManager open(Path dir) {
        return LogManager.open(LogManagerConfig.defaults(dir).withDefaultLogConfig(CONFIG));
    }

    private static long ms(long startNs) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            List<Path> all = fds.toList();
            return all.size();
        }
    }
}
