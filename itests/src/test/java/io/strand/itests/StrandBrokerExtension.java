package io.strand.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a broker for a test class before Arquillian boots Payara Micro (register it before
 * {@code ArquillianExtension}), and writes the post-boot command file that points the resource adapter at it and
 * deploys the {@code .rar} before the test archive.
 *
 * <p>The broker dead-letters a queue message after {@value #MAX_DELIVERY_ATTEMPTS} deliveries, so the redelivery
 * tests finish quickly.
 */
public final class StrandBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    /** The name under which the adapter is deployed, which MDBs and connection factory definitions name. */
    public static final String RA_NAME = "strand-ra";
    public static final int MAX_DELIVERY_ATTEMPTS = 3;

    private static BrokerProcess broker;

    static BrokerProcess broker() {
        return broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        final Path dir = Path.of(System.getProperty("strand.itests.dir"));
        broker = BrokerProcess.start(dir.resolve(context.getRequiredTestClass().getSimpleName()),
                List.of("max.delivery.attempts=" + MAX_DELIVERY_ATTEMPTS));
        writePostBootCommands(dir, broker.url());
    }

    /**
     * Writes the post-boot command file that Payara Micro runs (arquillian.xml names it): the adapter's settings
     * with {@code brokerUrl}, then the deployment of the {@code .rar}.
     */
    static void writePostBootCommands(Path dir, String brokerUrl) throws IOException {
        // Payara names the adapter's properties after their setters (BrokerUrl); a lower-case name would be a second
        // entry, and the annotation's default could win over it. "set" takes the URL's colons as they are.
        final String config = "resources.resource-adapter-config." + RA_NAME + ".property.";
        Files.writeString(dir.resolve("postboot.txt"),
                "create-resource-adapter-config --property ReconnectInitialDelayMs=200:ReconnectMaxDelayMs=2000 "
                        + RA_NAME + "\n"
                        + "set " + config + "BrokerUrl=" + brokerUrl + "\n"
                        + "deploy --type rar --name " + RA_NAME + " " + System.getProperty("strand.rar") + "\n");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
