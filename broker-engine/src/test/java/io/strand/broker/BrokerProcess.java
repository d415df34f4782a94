package io.strand.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A broker in its own JVM, started through the real launcher with a properties file, for tests that
 * kill it with SIGKILL and start it again on the same data directory and port.
 */
final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final InetSocketAddress address;
    private final Path outputFile;

    private BrokerProcess(Process process, InetSocketAddress address, Path outputFile) {
        this.process = process;
        this.address = address;
        this.outputFile = outputFile;
    }

    /**
     * A free port below the system's ephemeral range (and 100 below it, for JGroups' failure detection port): a broker
     * restarted on its port must find it free, and a port of that range can meanwhile become the local end of any
     * outgoing connection, such as a client failing over to the other brokers.
     */
    static int freePort() throws IOException {
        int below = ephemeralPortsStart() - 200;
        if (below < 11_000) { // an unusual range: take what the system gives
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = 10_000 + ThreadLocalRandom.current().nextInt(Math.max(1, below - 10_000));
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found between 10000 and " + below);
    }

    private static int ephemeralPortsStart() {
        try {
            // Read line by line: a /proc file reports no size, and a read sized by it may stop after a few bytes.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }

    /** Starts the launcher and returns once it logged its ready line. */
    static BrokerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
        return start(dataDir, port, List.of());
    }

    /**
     * Starts the launcher with extra JVM options (such as {@code -D} failpoints) and returns once it logged
     * its ready line.
     */
    static BrokerProcess start(Path dataDir, int port, List<String> jvmOptions) throws IOException, InterruptedException {
        return start(dataDir, port, jvmOptions, "");
    }

    /** Starts the launcher with more settings ({@code key=value} lines) in its properties file. */
    static BrokerProcess start(Path dataDir, int port, List<String> jvmOptions, String settings)
            throws IOException, InterruptedException {
        Path config = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
        Files.writeString(config, "port=" + port + "\ndata.dir=" + dataDir + "\n" + settings);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        command.addAll(jvmOptions);
        // The ready line is logged at info, which the tests' own logging setting would hide.
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp",
                System.getProperty("java.class.path"), Launcher.class.getName(), config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Path outputFile = outputFile(dataDir);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 Writer output = Files.newBufferedWriter(outputFile, StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.write(line);
                    output.write('\n');
                    output.flush();
                    synchronized (lastLines) {
                        lastLines.addLast(line);
                        if (lastLines.size() > 20) {
                            lastLines.removeFirst();
                        }
                    }
                    if (line.contains(" ready on strand://")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // The broker's output ends when it is killed.
            }
            ready.completeExceptionally(new IllegalStateException("the broker exited before it was ready"));
        });
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            String output;
            synchronized (lastLines) {
                output = String.join("\n", lastLines);
            }
            throw new IllegalStateException("broker did not become ready: " + e + "; its last output:\n" + output, e);
        }
        return new BrokerProcess(process, new InetSocketAddress("127.0.0.1", port), outputFile);
    }

    /**
     * Where the broker's whole output is kept, under {@code target/broker-output}, so that a failed cluster test can be
     * read afterwards: the test's temporary directory is gone by then. One file per data directory; a restarted broker
     * appends to it.
     */
    private static Path outputFile(Path dataDir) throws IOException {
        Path directory = Path.of("target", "broker-output");
        Files.createDirectories(directory);
        return directory.resolve(dataDir.getParent().getFileName() + "-" + dataDir.getFileName() + ".out");
    }

    /**
     * What a failed test needs to tell what the broker was doing: the last {@code lines} lines Strand itself logged
     * (the libraries' lines left out), after a thread dump (SIGQUIT) is added to the whole output file.
     */
    String diagnose(int lines) {
        if (process.isAlive()) {
            try {
                new ProcessBuilder("kill", "-3", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // no thread dump then; the log lines still tell something
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<String> all = Files.lines(outputFile, StandardCharsets.UTF_8)) {
            List<String> strand = all.filter(line -> line.contains(" io.strand.")).toList();
            return (process.isAlive() ? "running" : "exited") + ", its last lines (all in " + outputFile.toAbsolutePath()
                    + "):\n" + String.join("\n", strand.subList(Math.max(0, strand.size() - lines), strand.size()));
        } catch (IOException | UncheckedIOException e) {
            return "its output cannot be read: " + e;
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /** Waits for the broker to exit by itself and returns its exit status, or -1 if it still runs. */
    int awaitExit(long timeoutMs) throws InterruptedException {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
