package io.strand.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a cluster of three brokers ({@link BrokerCluster}) for a test class before Arquillian boots Payara Micro
 * (register it before {@code ArquillianExtension}), and points the resource adapter at all three with the
 * multi-host URL, through which its connections fail over.
 */
public final class StrandClusterExtension implements BeforeAllCallback, AfterAllCallback {
    private static BrokerCluster cluster;

    static BrokerCluster cluster() {
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        final Path dir = Path.of(System.getProperty("strand.itests.dir"));
        final Path clusterDir = dir.resolve(context.getRequiredTestClass().getSimpleName());
        // Fresh brokers: data of an earlier run would hold messages and prepared branches of its own.
        deleteRecursively(clusterDir);
        cluster = BrokerCluster.start(clusterDir, List.of());
        StrandBrokerExtension.writePostBootCommands(dir, cluster.url());
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
