package io.strand.cluster;

import io.strand.cluster.metadata.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A cluster node in its own JVM, for tests that kill it with SIGKILL and start it again on the same data
 * directory. Its {@link #main} joins the cluster, leads with {@link InstantCatchUp} in place of a data
 * plane, and prints {@code ADMITTED <id>} once the controller registered it.
 */
final class ClusterNodeProcess implements AutoCloseable {
    private final Process process;

    private ClusterNodeProcess(Process process) {
        this.process = process;
    }

    /** Arguments: node id, cluster id, bind port, data dir, then every peer as host:port. */
    public static void main(String[] args) throws InterruptedException {
        int nodeId = Integer.parseInt(args[0]);
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String peer : Arrays.copyOfRange(args, 4, args.length)) {
            String[] hostPort = peer.split(":");
            peers.add(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
        }
        Set<Integer> voters = new TreeSet<>();
        for (int id = 1; id <= peers.size(); id++) {
            voters.add(id);
        }
        ClusterNodeConfig config = ClusterNodeConfig.of(nodeId, args[1],
                new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])), new ClusterNodeConfig.StaticPeers(peers),
                voters, Path.of(args[3]), List.of(new Endpoint("client", "127.0.0.1", 61000 + nodeId)),
                Optional.empty()).withTimeouts(30_000, 20_000);
        ClusterNode node = ClusterNode.start(config);
        InstantCatchUp.attach(node);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }));
        System.out.println("ADMITTED " + nodeId);
        System.out.flush();
        stopped.await();
    }

    /** Starts a node JVM and returns once it printed that it was admitted. */
    static ClusterNodeProcess start(int nodeId, String clusterId, InetSocketAddress bind, Path dataDir,
                                    List<InetSocketAddress> peers) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"), ClusterNodeProcess.class.getName(),
                Integer.toString(nodeId), clusterId, Integer.toString(bind.getPort()), dataDir.toString()));
        peers.forEach(peer -> command.add("127.0.0.1:" + peer.getPort()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> admitted = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.equals("ADMITTED " + nodeId)) {
                        admitted.complete(null);
                    }
                }
            } catch (IOException e) {
                // The node's output ends when it is killed.
            }
            admitted.completeExceptionally(new IllegalStateException("node " + nodeId + " exited before it was admitted"));
        }, "node-" + nodeId + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            admitted.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("node " + nodeId + " was not admitted: " + e, e);
        }
        return new ClusterNodeProcess(process);
    }

    /** SIGKILL: no shutdown hook runs; the others notice the closed sockets. */
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
