package io.strand.bench.jms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the benchmark started (a broker or a load generator): its output goes line by line to a log
 * file, and the benchmark can wait for a line containing a marker (a broker's "ready") and collect the
 * lines that start with a prefix (the load generator's results). Closing it stops the process by its
 * process id: SIGTERM, then SIGKILL after 30 s. Every JVM still running when the benchmark exits is stopped
 * by {@link #stopAll()}, which the benchmark registers as a shutdown hook.
 */
final class ChildJvm implements AutoCloseable {
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int TAIL_LINES = 30;

    private final String name;
    private final Process process;
    private final String marker;
    private final String collectPrefix;
    private final CountDownLatch markerSeen = new CountDownLatch(1);
    private final List<String> collected = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread pump;

    private ChildJvm(String name, Process process, Path log, String marker, String collectPrefix) {
        this.name = name;
        this.process = process;
        this.marker = marker;
        this.collectPrefix = collectPrefix;
        this.pump = new Thread(() -> pump(log), name + "-output");
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Starts {@code java [jvmArgs] -cp classpath mainClass [args]} with this JVM's java.
     *
     * @param marker        a text whose appearance in a line {@link #awaitMarker} waits for, or null
     * @param collectPrefix lines starting with it are kept, without it, for {@link #collected()}; or null
     */
    static ChildJvm start(String name, String classpath, List<String> jvmArgs, String mainClass, List<String> args,
                          Path log, String marker, String collectPrefix) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Files.writeString(log, String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildJvm child = new ChildJvm(name, process, log, marker, collectPrefix);
        RUNNING.add(child);
        return child;
    }

    private void pump(Path log) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.write(line);
                out.write(System.lineSeparator());
                out.flush();
                synchronized (this) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                    if (collectPrefix != null && line.startsWith(collectPrefix)) {
                        collected.add(line.substring(collectPrefix.length()));
                    }
                }
                if (marker != null && line.contains(marker)) {
                    markerSeen.countDown();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot copy its output to " + log, e);
        }
    }

    /** Waits until a line with the marker appears; false when the process ended or the time ran out first. */
    boolean awaitMarker(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (markerSeen.await(200, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (!process.isAlive()) {
                return markerSeen.await(1, TimeUnit.SECONDS);
            }
        }
        return false;
    }

    /** Waits for the process to exit, and for its output to be read; false when the time ran out. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        pump.join(TimeUnit.SECONDS.toMillis(10));
        return true;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.exitValue();
    }

    synchronized List<String> collected() {
        return List.copyOf(collected);
    }

    /** The last lines of its output, for error messages. */
    synchronized String tail() {
        return String.join(" | ", tail);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            // Signalled through its handle: Process.destroy() would also close the output the pump is still
            // reading, losing what the JVM says while it shuts down.
            if (process.isAlive()) {
                process.toHandle().destroy();
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println(name + " did not stop within " + STOP_GRACE.toSeconds()
                            + " s of SIGTERM; killing it");
                    process.toHandle().destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            pump.join(TimeUnit.SECONDS.toMillis(5));
        } finally {
            RUNNING.remove(this);
        }
    }

    /** Kills every child still running: for the shutdown hook, when the benchmark is interrupted. */
    static void stopAll() {
        for (ChildJvm child : RUNNING) {
            child.process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
