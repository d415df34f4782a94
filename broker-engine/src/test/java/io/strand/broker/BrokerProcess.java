package io.strand.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A broker in its own JVM, started through the real launcher with a properties file, for tests that
 * kill it with SIGKILL and start it again on the same data directory and port.
 */
final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final InetSocketAddress address;

    private BrokerProcess(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
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
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
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
        return new BrokerProcess(process, new InetSocketAddress("127.0.0.1", port));
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
