package io.strand.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built WAR on a Payara Micro process, as {@code ./strand-console} runs it: on a free port of 127.0.0.1,
 * without Payara's data grid, operating the broker (or cluster) of a URL given as the system property
 * {@code strand.console.broker}.
 */
final class PayaraConsole implements AutoCloseable {
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(300);

    private final Process payara;
    private final String baseUrl;

    private PayaraConsole(Process payara, String baseUrl) {
        this.payara = payara;
        this.baseUrl = baseUrl;
    }

    /**
     * Boots Payara Micro with the console and returns once the console answers.
     *
     * @param work a directory of its own for Payara's files
     * @param log  where Payara's output goes
     */
    static PayaraConsole start(String brokerUrl, Path work, Path log) {
        int port = freePort();
        Path preboot = work.resolve("preboot.asadmin");
        Process payara;
        try {
            Files.createDirectories(work);
            Files.createDirectories(log.getParent());
            // As ./strand-console runs it: listening on 127.0.0.1 only, without Payara's data grid.
            Files.writeString(preboot, "set configs.config.server-config.network-config.network-listeners"
                    + ".network-listener.http-listener.address=127.0.0.1\n");
            payara = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-D" + ConsoleSettings.BROKER_PROPERTY + "=" + brokerUrl,
                    "-jar", required("console.payaraMicro"), "--nohazelcast", "--disablephonehome",
                    "--port", Integer.toString(port), "--prebootcommandfile", preboot.toString(),
                    "--rootdir", work.resolve("payara").toString(),
                    "--contextroot", "/", "--deploy", required("console.war")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PayaraConsole console = new PayaraConsole(payara, "http://127.0.0.1:" + port + "/");
        try {
            console.awaitAnswer();
        } catch (RuntimeException | InterruptedException e) {
            console.close();
            throw new IllegalStateException("the console did not start; see " + log.toAbsolutePath(), e);
        }
        return console;
    }

    /** The console's address, ending with a slash. */
    String baseUrl() {
        return baseUrl;
    }

    /** Until the console answers its session resource: Payara is up and the WAR deployed. */
    private void awaitAnswer() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl + "api/session"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!payara.isAlive()) {
                throw new IllegalStateException("Payara Micro ended with status " + payara.exitValue());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no answer within " + BOOT_TIMEOUT);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " must name a file (set by failsafe);"
                    + " got " + value + ": run the tests with mvn verify");
        }
        return value;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        payara.destroy();
        try {
            if (!payara.waitFor(30, TimeUnit.SECONDS)) {
                payara.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
