package io.strand.console;

import io.strand.broker.BrokerConfig;
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
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The console as an operator runs it, started once for every test class of a test run (a Payara Micro
 * boot takes 20 to 50 s here): a broker in the test JVM with an admin ({@code admin}) and a read-only
 * user ({@code viewer}), and a Payara Micro process running the built WAR against it on a free port of
 * 127.0.0.1. Test classes get it as a parameter; JUnit stops both when the run ends. Payara's output
 * goes to {@code target/console-artifacts/payara.log}.
 */
public final class ConsoleServer implements ParameterResolver {
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";
    public static final String VIEWER = "viewer";
    public static final String VIEWER_PASSWORD = "viewer-secret";
    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(300);

    /** The running pair; closed by JUnit at the end of the run. */
    public static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final TestBroker broker;
        private final Process payara;
        private final String baseUrl;

        private Running(TestBroker broker, Process payara, String baseUrl) {
            this.broker = broker;
            this.payara = payara;
            this.baseUrl = baseUrl;
        }

        public TestBroker broker() {
            return broker;
        }

        /** The console's address, ending with a slash. */
        public String baseUrl() {
            return baseUrl;
        }

        @Override
        public void close() throws InterruptedException {
            payara.destroy();
            if (!payara.waitFor(30, TimeUnit.SECONDS)) {
                payara.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            broker.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> start(), Running.class);
    }

    private static Running start() {
        Path artifacts = Path.of(System.getProperty("console.artifacts", "target/console-artifacts"));
        Path work;
        try {
            Files.createDirectories(artifacts);
            work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestBroker broker = TestBroker.start(work.resolve("broker"), BrokerConfig.AUTH_USERS,
                ADMIN + ":" + ADMIN_PASSWORD + "," + VIEWER + ":" + VIEWER_PASSWORD, BrokerConfig.AUTH_ADMINS, ADMIN,
                BrokerConfig.MAX_DELIVERY_ATTEMPTS, "1");
        int port = freePort();
        Path log = artifacts.resolve("payara.log");
        Path preboot = work.resolve("preboot.asadmin");
        Process payara;
        try {
            // As ./strand-console runs it: listening on 127.0.0.1 only, without Payara's data grid.
            Files.writeString(preboot, "set configs.config.server-config.network-config.network-listeners"
                    + ".network-listener.http-listener.address=127.0.0.1\n");
            payara = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-D" + ConsoleSettings.BROKER_PROPERTY + "=" + broker.url(),
                    "-jar", required("console.payaraMicro"), "--nohazelcast", "--disablephonehome",
                    "--port", Integer.toString(port), "--prebootcommandfile", preboot.toString(),
                    "--rootdir", work.resolve("payara").toString(),
                    "--contextroot", "/", "--deploy", required("console.war")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException(e);
        }
        Running running = new Running(broker, payara, "http://127.0.0.1:" + port + "/");
        try {
            awaitConsole(running, log);
        } catch (RuntimeException | InterruptedException e) {
            try {
                running.close();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the console did not start; see " + log.toAbsolutePath(), e);
        }
        return running;
    }

    /** Until the console answers its session resource: Payara is up and the WAR deployed. */
    private static void awaitConsole(Running running, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(running.baseUrl() + "api/session"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!running.payara.isAlive()) {
                throw new IllegalStateException("Payara Micro ended with status " + running.payara.exitValue());
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
