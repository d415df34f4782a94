package io.strand.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the benchmark started (a broker, a load generator): its output goes to a log file, and the
 * lines the benchmark reacts to are kept in memory with the {@link System#nanoTime()} at which they
 * arrived, so that "the new active broker said so 1.4 s after the kill" can be measured without trusting
 * clocks of other JVMs. Stopped by process id: {@link #kill9()} (SIGKILL, as a crash) or {@link #close()}
 * (SIGTERM, SIGKILL after 30 s). Whatever still runs when the benchmark exits is killed by
 * {@link #killAll()}, registered as a shutdown hook by the benchmarks' mains.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Set<NodeProcess> RUNNING = ConcurrentHashMap.newKeySet();

    /** A kept output line and when it arrived. */
    public record Line(long nanos, String text) {
    }

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final Predicate<String> keep;
    private final List<Line> kept = new ArrayList<>();
    private final Thread pump;

    private NodeProcess(String name, Process process, long startedNanos, Path log, Predicate<String> keep) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.keep = keep;
        this.pump = new Thread(() -> pump(log), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code command}, appending its output to {@code log}.
     *
     * @param keep which lines to keep in memory for {@link #awaitLine} and {@link #lines()}
     */
    public static NodeProcess start(String name, List<String> command, Path log, Predicate<String> keep)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "# " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        NodeProcess node = new NodeProcess(name, process, started, log, keep);
        RUNNING.add(node);
        return node;
    }

    /** The java of this JVM, for child JVMs. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void pump(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                out.write(line);
                out.write(System.lineSeparator());
                out.flush(); // the log must be complete when the process hangs, for whoever looks into it
                if (keep.test(line)) {
                    synchronized (kept) {
                        kept.add(new Line(now, line));
                        kept.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // The output ends with the process; a log that cannot be written loses only the log.
        }
    }

    /** The kept lines from the {@code from}-th on, in arrival order: for readers that go through them once. */
    public List<Line> linesFrom(int from) {
        synchronized (kept) {
            return from >= kept.size() ? List.of() : List.copyOf(kept.subList(from, kept.size()));
        }
    }

    /** The kept lines so far, in arrival order. */
    public List<Line> lines() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    /**
     * Waits for a kept line matching {@code match} that arrived at or after {@code sinceNanos}; empty when
     * the time ran out or the process ended without one.
     */
    public Optional<Line> awaitLine(Predicate<String> match, long sinceNanos, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = 0;
        synchronized (kept) {
            while (true) {
                for (; from < kept.size(); from++) {
                    Line line = kept.get(from);
                    if (line.nanos() - sinceNanos >= 0 && match.test(line.text())) {
                        return Optional.of(line);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    return Optional.empty();
                }
                kept.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public long startedNanos() {
        return startedNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** CPU time the process used so far (user + system), in seconds; 0 once it is gone. */
    public double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /** CPU time of any process of this machine, in seconds; 0 when it is gone or unknown. */
    public static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos)
                .orElse(0L) / 1e9;
    }

    /** SIGKILL: the process dies at once, as in a crash; returns once it is gone. */
    public void kill9() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        RUNNING.remove(this);
    }

    /** Waits for the process to end by itself; false when it still runs after {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            pump.join(5_000);
            RUNNING.remove(this);
        }
        return exited;
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            // Through the handle: Process.destroy() would also close the output the pump still reads.
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
        pump.join(5_000);
        RUNNING.remove(this);
    }

    /** Kills every process still running: the shutdown hook of an interrupted benchmark. */
    public static void killAll() {
        for (NodeProcess node : RUNNING) {
            node.process.toHandle().destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
