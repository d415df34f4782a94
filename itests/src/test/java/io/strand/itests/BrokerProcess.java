package io.strand.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Strand broker in its own JVM, started from broker-engine's runnable jar with a properties file, so a test can
 * kill it with SIGKILL and start it again on the same port and data. Loopback only.
 */
final class BrokerProcess implements AutoCloseable {
    private final Path jar;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private BrokerProcess(Path jar, Path config, Path log, int port) {
        this.jar = jar;
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts a broker on a free port with its data under {@code dir}.
     *
     * @param settings extra broker settings, one {@code key=value} each
     */
    static BrokerProcess start(Path dir, List<String> settings) throws IOException, InterruptedException {
        final Path jar = Path.of(System.getProperty("strand.brokerJar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no broker jar at " + jar + ": build broker-engine first (mvn verify)");
        }
        Files.createDirectories(dir);
        final int port = freePort();
        final Path config = dir.resolve("broker.properties");
        Files.writeString(config, "host=127.0.0.1\nport=" + port + "\ndata.dir=" + dir.resolve("data") + "\n"
                + String.join("\n", settings) + "\n");
        final BrokerProcess broker = new BrokerProcess(jar, config, dir.resolve("broker.log"), port);
        broker.launch();
        return broker;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "strand://127.0.0.1:" + port;
    }

    /** Starts the JVM and returns once the broker logged its ready line. */
    void launch() throws IOException, InterruptedException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-jar",
                jar.toString(), config.toString()).redirectErrorStream(true).start();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Process running = process;
        final Thread reader = new Thread(() -> copyOutput(running, ready), "broker-output-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("broker did not become ready (see " + log + "): " + e, e);
        }
    }

    private void copyOutput(Process running, CompletableFuture<Void> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(running.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                if (line.contains(" ready on strand://")) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            // The output ends when the broker is killed.
        }
        ready.completeExceptionally(new IllegalStateException("the broker exited before it was ready"));
    }

    /** SIGKILL: nothing is flushed or closed, as in a crash. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
