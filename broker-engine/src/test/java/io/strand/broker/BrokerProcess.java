package io.strand.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the launcher and returns once it logged its ready line. */
    static BrokerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
        Path config = dataDir.resolveSibling(dataDir.getFileName() + ".properties");
        Files.writeString(config, "port=" + port + "\ndata.dir=" + dataDir + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The ready line is logged at info, which the tests' own logging setting would hide.
        Process process = new ProcessBuilder(java, "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName(), config.toString()).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
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
            throw new IllegalStateException("broker did not become ready: " + e, e);
        }
        return new BrokerProcess(process, new InetSocketAddress("127.0.0.1", port));
    }

    InetSocketAddress address() {
        return address;
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
