package io.strand.itests;

import static org.awaitility.Awaitility.await;

import io.strand.admin.DescribeDestinations;
import io.strand.admin.StrandAdmin;
import io.strand.jms.client.ClientOptions;
import io.strand.jms.client.ClusterConnector;
import io.strand.jms.client.ConnectionUrl;
import io.strand.jms.client.Connector;
import io.strand.jms.client.WireConnection;
import io.strand.protocol.DestinationType;
import io.strand.protocol.Handshake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three Strand brokers, each in its own JVM with its own data directory, forming a cluster on 127.0.0.1: every
 * destination has three replicas and a write needs two of them. One broker at a time is the active broker that
 * serves clients; the test kills it with SIGKILL and starts it again on its data, where it rejoins as a follower.
 */
final class BrokerCluster implements AutoCloseable {
    static final int SIZE = 3;

    private final List<BrokerProcess> brokers;

    private BrokerCluster(List<BrokerProcess> brokers) {
        this.brokers = brokers;
    }

    /**
     * Starts the three brokers at once (each waits for the others to form the cluster) and returns when all of them
     * listen.
     *
     * @param settings more broker settings, one {@code key=value} each, for every broker
     */
    static BrokerCluster start(Path dir, List<String> settings) throws Exception {
        final List<String> peers = new ArrayList<>();
        for (int id = 1; id <= SIZE; id++) {
            peers.add("127.0.0.1:" + clusterPort());
        }
        final List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int id = 1; id <= SIZE; id++) {
            final List<String> brokerSettings = new ArrayList<>(List.of("broker.id=" + id, "cluster.id=itests",
                    "cluster.bind=" + peers.get(id - 1), "cluster.peers=" + String.join(",", peers),
                    // A follower that stops fetching leaves the in-sync replicas after 2 s instead of 10.
                    "replica.lag.time.max.ms=2000"));
            brokerSettings.addAll(settings);
            final Path brokerDir = dir.resolve("broker-" + id);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return BrokerProcess.start(brokerDir, brokerSettings);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("broker in " + brokerDir + " did not start: " + e, e);
                }
            }));
        }
        final List<BrokerProcess> started = new ArrayList<>();
        try {
            for (CompletableFuture<BrokerProcess> broker : starting) {
                started.add(broker.get(120, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            for (BrokerProcess broker : started) {
                broker.close();
            }
            throw e;
        }
        final BrokerCluster cluster = new BrokerCluster(started);
        cluster.awaitActive();
        return cluster;
    }

    /** The URL naming every broker, with which clients fail over: {@code strand://h1:p1,h2:p2,h3:p3}. */
    String url() {
        return "strand://" + brokers.stream().map(b -> "127.0.0.1:" + b.port()).collect(Collectors.joining(","));
    }

    /** @param id 1 to 3 */
    BrokerProcess broker(int id) {
        return brokers.get(id - 1);
    }

    /** The id of the broker that accepts JMS clients, once one does. */
    int awaitActive() {
        final int[] active = new int[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int id = 1; id <= SIZE; id++) {
                if (acceptsClients(broker(id))) {
                    active[0] = id;
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
    private static boolean acceptsClients(BrokerProcess broker) {
        final ClientOptions options = ClientOptions.defaults();
        final WireConnection wire;
        try {
            wire = Connector.connectTcp(new ConnectionUrl.HostPort("127.0.0.1", broker.port()), options, 2_000);
        } catch (Exception notListening) {
            return false; // killed or restarting
        }
        try {
            final Handshake.Request hello = new Handshake.Request(Handshake.MIN_VERSION, Handshake.MAX_VERSION, null,
                    "itests-probe", null, null);
            return ClusterConnector.handshake(wire, hello).get(5, TimeUnit.SECONDS).status().isOk();
        } catch (Exception noAnswer) {
            return false;
        } finally {
            wire.close();
        }
    }

    /**
     * Kills the active broker with SIGKILL and starts it again on its data; returns once it listens again (it rejoins
     * as a follower and catches up in the background).
     *
     * @return the id of the broker killed
     */
    int killActiveAndRestart() throws IOException, InterruptedException {
        final int active = awaitActive();
        broker(active).kill9();
        broker(active).launch();
        return active;
    }

    /** Waits until every broker holds an in-sync copy of each partition of these queues. */
    void awaitInSync(String... queues) {
        final int active = awaitActive();
        try (StrandAdmin admin = StrandAdmin.connect(broker(active).url(), null, null)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                for (String queue : queues) {
                    for (DescribeDestinations.Destination d : admin.describeDestinations(DestinationType.QUEUE, queue)) {
                        for (DescribeDestinations.Partition p : d.partitions()) {
                            if (p.isr().size() < SIZE) {
                                return false;
                            }
                        }
                    }
                }
                return true;
            });
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (BrokerProcess broker : brokers) {
            broker.close();
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
