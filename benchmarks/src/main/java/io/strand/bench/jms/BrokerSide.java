package io.strand.bench.jms;

import io.strand.bench.jms.artemis.ArtemisBrokerMain;
import io.strand.bench.jms.client.LoadGenerator;
import io.strand.bench.jms.client.Workload;
import io.strand.bench.jms.process.OrphanGuard;
import io.strand.bench.jms.strand.StrandBrokerMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What differs between the brokers under test: how the broker JVM starts, how it says it is ready, and
 * which {@link jakarta.jms.ConnectionFactory} (class and URL) and classpath its load generator uses.
 * Both brokers run in a JVM of their own with the same heap and GC, listen on 127.0.0.1 only, and
 * confirm a persistent send only once it is on disk (fsync); everything else is each broker's default.
 */
enum BrokerSide {
    ARTEMIS("artemis") {
        @Override
        ChildJvm startBroker(BenchmarkOptions options, Classpaths classpaths, Path dataDir, int port, Path log)
                throws IOException {
            List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--port",
                    Integer.toString(port)));
            if (options.artemisJournal() != null) {
                args.addAll(List.of("--journal", options.artemisJournal()));
            }
            List<String> jvm = new ArrayList<>(jvmArgs(options.brokerHeap(), options));
            jvm.add("-Djava.library.path=" + classpaths.artemisNative());
            // Artemis' audit loggers log every message sent; its distribution's logging configuration turns them off.
            jvm.add("-Dorg.slf4j.simpleLogger.log.org.apache.activemq.audit=off");
            return ChildJvm.start("artemis-broker", classpaths.artemis(), jvm, ArtemisBrokerMain.class.getName(), args,
                    log, ArtemisBrokerMain.READY, null);
        }

        @Override
        String readyMarker() {
            return ArtemisBrokerMain.READY;
        }

        @Override
        String connectionFactoryClass() {
            return "org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory";
        }

        @Override
        String url(BenchmarkOptions options, int port) {
            return withOptions("tcp://127.0.0.1:" + port, options.artemisClientOptions());
        }

        @Override
        String clientClasspath(Classpaths classpaths) {
            return classpaths.artemis();
        }

        @Override
        String title(Classpaths classpaths) {
            return "Artemis " + classpaths.artemisVersion();
        }
    },
    STRAND("strand") {
        @Override
        ChildJvm startBroker(BenchmarkOptions options, Classpaths classpaths, Path dataDir, int port, Path log)
                throws IOException {
            Files.createDirectories(dataDir);
            Path config = dataDir.resolve("broker.properties");
            Files.writeString(config, "host=127.0.0.1\nport=" + port + "\ndata.dir=" + dataDir.resolve("data")
                    + "\nlog.flush.mode=fsync\n", StandardCharsets.UTF_8);
            return ChildJvm.start("strand-broker", classpaths.strand(), jvmArgs(options.brokerHeap(), options),
                    StrandBrokerMain.class.getName(), List.of(config.toString()), log, StrandBrokerMain.READY, null);
        }

        @Override
        String readyMarker() {
            return StrandBrokerMain.READY;
        }

        @Override
        String connectionFactoryClass() {
            return "io.strand.jms.StrandConnectionFactory";
        }

        @Override
        String url(BenchmarkOptions options, int port) {
            return withOptions("strand://127.0.0.1:" + port, options.strandClientOptions());
        }

        @Override
        String clientClasspath(Classpaths classpaths) {
            return classpaths.strand();
        }

        @Override
        String title(Classpaths classpaths) {
            return "Strand";
        }
    };

    private final String label;

    BrokerSide(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /**
     * Starts the broker JVM on 127.0.0.1:port with its data under dataDir; it prints {@link #readyMarker()}
     * once clients can connect.
     */
    abstract ChildJvm startBroker(BenchmarkOptions options, Classpaths classpaths, Path dataDir, int port, Path log)
            throws IOException;

    abstract String readyMarker();

    abstract String connectionFactoryClass();

    abstract String url(BenchmarkOptions options, int port);

    abstract String clientClasspath(Classpaths classpaths);

    /** The broker's name and version for reports. */
    abstract String title(Classpaths classpaths);

    /** Starts this broker's load generator against the broker on the port. */
    ChildJvm startLoadGenerator(BenchmarkOptions options, Classpaths classpaths, int port, long brokerPid, Path log)
            throws IOException {
        List<String> args = List.of(
                "--connection-factory", connectionFactoryClass(),
                "--url", url(options, port),
                "--broker-pid", Long.toString(brokerPid),
                "--messages", Integer.toString(options.messages()),
                "--warmup", Integer.toString(options.warmupMessages()),
                "--payload", Integer.toString(options.payloadBytes()),
                "--consumers", Integer.toString(options.consumers()),
                "--workloads", Workload.ids(options.workloads()),
                "--idle-timeout-ms", Long.toString(options.idleTimeout().toMillis()),
                "--grace-ms", Long.toString(options.grace().toMillis()));
        return ChildJvm.start(label + "-loadgen", clientClasspath(classpaths), jvmArgs(options.clientHeap(), options),
                LoadGenerator.class.getName(), args, log, null, LoadGenerator.RESULT_PREFIX);
    }

    static BrokerSide byLabel(String label) {
        for (BrokerSide side : values()) {
            if (side.label.equals(label)) {
                return side;
            }
        }
        throw new IllegalArgumentException("unknown broker '" + label + "'; known: artemis, strand");
    }

    private static List<String> jvmArgs(String heap, BenchmarkOptions options) {
        // Each child halts itself a little after the run timeout, should the benchmark die without stopping it.
        long lifetime = options.runTimeout().toSeconds() + 600;
        return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-D" + OrphanGuard.MAX_LIFETIME_PROPERTY + "=" + lifetime);
    }

    private static String withOptions(String base, String options) {
        return options.isBlank() ? base : base + "?" + options;
    }
}
