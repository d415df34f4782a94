package io.strand.console;

import io.strand.broker.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The running pair; closed by JUnit at the end of the run. */
    public static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final TestBroker broker;
        private final PayaraConsole payara;

        private Running(TestBroker broker, PayaraConsole payara) {
            this.broker = broker;
            this.payara = payara;
        }

        public TestBroker broker() {
            return broker;
        }

        /** The console's address, ending with a slash. */
        public String baseUrl() {
            return payara.baseUrl();
        }

        @Override
        public void close() {
            payara.close();
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
        try {
            return new Running(broker, PayaraConsole.start(broker.url(), work, artifacts.resolve("payara.log")));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }
}
