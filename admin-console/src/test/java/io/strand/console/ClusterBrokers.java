package io.strand.console;

import static org.awaitility.Awaitility.await;

import io.strand.broker.Launcher;
import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ClusterConnector;
import io.strand.jms.client.ConnectionUrl;
import io.strand.jms.client.Connector;
import io.strand.jms.client.WireConnection;
import io.strand.protocol.Handshake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Three brokers forming a cluster on 127.0.0.1, each in its own JVM (the launcher on this test's class path) with
 * its own data directory, which a test kills with SIGKILL and starts again on the same ports and data. One of them
 * at a time is the active broker that serves clients; brokers have no users, so the console runs in open access.
 */
final class ClusterBrokers implements AutoCloseable {
    static final int SIZE = 3;

    /** One broker: its settings file and, while it runs, its process. */
    private static final class Broker {
        final int id;
        final int port;
        final Path config;
        final Path log;
        Process process;

        Broker(int id, int port, Path config, Path log) {
            this.id = id;
            this.port = port;
            this.config = config;
            this.log = log;
        }
    }

    private final List<Broker> brokers;

    private ClusterBrokers(List<Broker> brokers) {
        this.brokers = brokers;
    }

    /** Starts the three brokers at once (each waits for the others to form the cluster) and waits for an active one. */
    static ClusterBrokers start(Path dir) throws Exception {
        List<String> peers = new ArrayList<>();
        for (int id = 1; id <= SIZE; id++) {
            peers.add("127.0.0.1:" + clusterPort());
        }
        List<Broker> brokers = new ArrayList<>();
        for (int id = 1; id <= SIZE; id++) {
            Path brokerDir = dir.resolve("broker-" + id);
            Files.createDirectories(brokerDir);
            int port = PayaraConsole.freePort();
            Path config = brokerDir.resolve("broker.properties");
            Files.writeString(config, String.join("\n", "host=127.0.0.1", "port=" + port,
                    "data.dir=" + brokerDir.resolve("data"), "broker.id=" + id, "cluster.id=console-it",
                    "cluster.bind=" + peers.get(id - 1), "cluster.peers=" + String.join(",", peers),
                    // A follower that stops fetching leaves the in-sync replicas after 2 s instead of 10.
                    "replica.lag.time.max.ms=2000") + "\n");
            brokers.add(new Broker(id, port, config, brokerDir.resolve("broker.log")));
        }
        ClusterBrokers cluster = new ClusterBrokers(brokers);
        try {
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            for (int id = 1; id <= SIZE; id++) {
                int which = id;
                starting.add(CompletableFuture.runAsync(() -> cluster.launch(which)));
            }
            for (CompletableFuture<Void> broker : starting) {
                broker.get(120, TimeUnit.SECONDS);
            }
            cluster.awaitActive();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Every broker, the URL's order: {@code strand://h1:p1,h2:p2,h3:p3}. */
    String url() {
        return url(brokers.stream().map(b -> b.id).toList());
    }

    /** A URL naming the brokers in this order. */
    String url(List<Integer> ids) {
        List<String> hosts = new ArrayList<>();
        for (int id : ids) {
            hosts.add("127.0.0.1:" + broker(id).port);
        }
        return "strand://" + String.join(",", hosts);
    }

    int port(int id) {
        return broker(id).port;
    }

    private Broker broker(int id) {
        return brokers.get(id - 1);
    }

    /** Starts a broker's JVM and returns once it logged its ready line. */
    void launch(int id) {
        Broker broker = broker(id);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            broker.process = new ProcessBuilder(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), broker.config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(broker.log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long logged = logSize(broker);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!broker.process.isAlive()) {
                    throw new IllegalStateException("broker " + id + " exited; see " + broker.log);
                }
                return readySince(broker, logged);
            });
        } catch (RuntimeException e) {
            broker.process.destroyForcibly();
            throw e;
        }
    }

    private static long logSize(Broker broker) {
        try {
            return Files.exists(broker.log) ? Files.size(broker.log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the broker logged its ready line after the first {@code offset} bytes of its log (earlier runs). */
    private static boolean readySince(Broker broker, long offset) throws IOException {
        byte[] all = Files.readAllBytes(broker.log);
        return offset < all.length && new String(all, (int) offset, all.length - (int) offset).contains(" ready on strand://");
    }

    /** SIGKILL: nothing is flushed or closed, as in a crash. */
    void kill9(int id) throws InterruptedException {
        Process process = broker(id).process;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The id of the broker that accepts JMS clients, once one does. */
    int awaitActive() {
        int[] active = new int[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (Broker broker : brokers) {
                if (broker.process != null && broker.process.isAlive() && acceptsClients(broker.port)) {
                    active[0] = broker.id;
                    return true;
                }
            }
            return false;
        });
        return active[0];
    }

    /**
     * A bare handshake, not a JMS connection: a client would follow the NOT_LEADER answer of a follower to the active
     * broker.
     */
    private static boolean acceptsClients(int port) {
        WireConnection wire;
        try {
            wire = Connector.connectTcp(new ConnectionUrl.HostPort("127.0.0.1", port), ClientOptions.defaults(), 2_000);
        } catch (Exception notListening) {
            return false;
        }
        try {
            Handshake.Request hello = new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null,
                    "console-it-probe", null, null);
            return ClusterConnector.handshake(wire, hello).get(5, TimeUnit.SECONDS).status().isOk();
        } catch (Exception noAnswer) {
            return false;
        } finally {
            wire.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Broker broker : brokers) {
            if (broker.process != null && broker.process.isAlive()) {
                broker.process.destroy();
                if (!broker.process.waitFor(30, TimeUnit.SECONDS)) {
                    broker.process.destroyForcibly();
                }
            }
        }
    }

    /**
     * A JGroups bind port for a broker of the test cluster: free now with the port 100 above it (failure detection)
     * free too, and below the range the kernel hands out to outgoing connections (32768 on), where a client socket
     * opened before the broker binds could take it.
     */
    private static int clusterPort() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 31_900);
            if (isFree(port) && isFree(port + 100)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair between 20000 and 32000 on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
