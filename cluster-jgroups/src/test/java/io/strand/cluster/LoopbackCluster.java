package io.strand.cluster;

import io.strand.cluster.metadata.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Three (or more) cluster nodes on 127.0.0.1 in this JVM, on free ports, each with its own data
 * directory, started together as a real cluster would be and closed after the test.
 */
final class LoopbackCluster implements AutoCloseable {
    static final String CLUSTER_ID = "test-cluster";

    private final Path root;
    private final Map<Integer, ClusterNodeConfig> configs = new HashMap<>();
    private final Map<Integer, ClusterNode> nodes = new HashMap<>();

    private LoopbackCluster(Path root) {
        this.root = root;
    }

    /** Configures nodes 1..count with static discovery. */
    static LoopbackCluster withStaticPeers(Path root, int count) {
        LoopbackCluster cluster = new LoopbackCluster(root);
        List<InetSocketAddress> addresses = IntStream.range(0, count).mapToObj(i -> freeAddress()).toList();
        for (int id = 1; id <= count; id++) {
            cluster.configs.put(id, config(id, addresses.get(id - 1), new ClusterNodeConfig.StaticPeers(addresses),
                    count, root));
        }
        return cluster;
    }

    /** Configures nodes 1..count that find each other through files in a shared directory. */
    static LoopbackCluster withSharedDirectory(Path root, int count) {
        LoopbackCluster cluster = new LoopbackCluster(root);
        ClusterNodeConfig.Discovery discovery = new ClusterNodeConfig.SharedDirectory(root.resolve("discovery"));
        for (int id = 1; id <= count; id++) {
            cluster.configs.put(id, config(id, freeAddress(), discovery, count, root));
        }
        return cluster;
    }

    static ClusterNodeConfig config(int id, InetSocketAddress bind, ClusterNodeConfig.Discovery discovery,
                                    int voters, Path root) {
        Set<Integer> voterIds = new TreeSet<>();
        IntStream.rangeClosed(1, voters).forEach(voterIds::add);
        return ClusterNodeConfig.of(id, CLUSTER_ID, bind, discovery, voterIds, root.resolve("node-" + id),
                List.of(new Endpoint("client", "127.0.0.1", 61000 + id)), Optional.of("rack-" + id % 2))
                .withTimeouts(20_000, 20_000);
    }

    ClusterNodeConfig configOf(int id) {
        return configs.get(id);
    }

    void reconfigure(int id, ClusterNodeConfig config) {
        configs.put(id, config);
    }

    /** Starts every configured node at once and waits until all are admitted. */
    LoopbackCluster startAll() {
        List<CompletableFuture<ClusterNode>> starting = new ArrayList<>();
        for (ClusterNodeConfig config : configs.values()) {
            starting.add(CompletableFuture.supplyAsync(() -> ClusterNode.start(config)));
        }
        for (CompletableFuture<ClusterNode> future : starting) {
            ClusterNode node = future.join();
            nodes.put(node.nodeId(), node);
        }
        return this;
    }

    /** Starts one node (again), with the data directory it had. */
    ClusterNode start(int id) {
        ClusterNode node = ClusterNode.start(configs.get(id));
        nodes.put(id, node);
        return node;
    }

    ClusterNode node(int id) {
        return nodes.get(id);
    }

    List<ClusterNode> running() {
        return new ArrayList<>(nodes.values());
    }

    /** The node that runs the controller now. */
    ClusterNode controller() {
        return nodes.values().stream().filter(ClusterNode::isController).findFirst().orElseThrow(
                () -> new AssertionError("no node is the controller"));
    }

    /** Closes one node: it leaves the group at once. */
    void stop(int id) {
        ClusterNode node = nodes.remove(id);
        if (node != null) {
            node.close();
        }
    }

    @Override
    public void close() {
        new ArrayList<>(nodes.keySet()).forEach(this::stop);
    }

    /**
     * A free TCP port whose failure-detection port (100 above) is free as well. Another process may take
     * it before the node binds; the range of ephemeral ports makes that unlikely enough for tests.
     */
    static InetSocketAddress freeAddress() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port + JGroupsStack.FAILURE_DETECTION_PORT_OFFSET > 65535) {
                    continue;
                }
                try (ServerSocket detector = new ServerSocket(port + JGroupsStack.FAILURE_DETECTION_PORT_OFFSET, 1,
                        InetAddress.getLoopbackAddress())) {
                    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
                } catch (IOException taken) {
                    // try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free pair of ports found");
    }
}
