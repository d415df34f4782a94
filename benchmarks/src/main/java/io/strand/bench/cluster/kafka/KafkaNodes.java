package io.strand.bench.cluster.kafka;

import io.strand.bench.cluster.NodeProcess;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Apache Kafka brokers on this machine, each in its own JVM on the Maven jars in {@code target/kafka-lib}: KRaft
 * in combined mode (every node broker and controller, a static quorum of all of them), listeners on 127.0.0.1
 * only, at free ports. Every topic, the internal ones included, has replication factor = the number of brokers
 * (at most 3) and {@code min.insync.replicas} 2; producers use {@code acks=all}. Kafka's durability defaults stay:
 * no fsync per message (page cache plus replication). Each node's storage is formatted with Kafka's own
 * {@code kafka.tools.StorageTool} before its first start.
 */
public final class KafkaNodes implements AutoCloseable {
    private final Path dir;
    private final String classpath;
    private final List<String> jvmOptions;
    private final int brokers;
    private final int[] clientPorts;
    private final int[] controllerPorts;
    private final Map<Integer, NodeProcess> running = new TreeMap<>();

    public KafkaNodes(Path dir, Path kafkaLib, Path benchClasses, int brokers, List<String> jvmOptions)
            throws IOException {
        if (!Files.isDirectory(kafkaLib)) {
            throw new IllegalStateException(kafkaLib + " does not exist; build it with: mvn -o -q -pl benchmarks -am "
                    + "package -DskipTests");
        }
        this.dir = dir;
        this.classpath = kafkaLib.toAbsolutePath() + File.separator + "*" + File.pathSeparator
                + benchClasses.toAbsolutePath();
        this.jvmOptions = List.copyOf(jvmOptions);
        this.brokers = brokers;
        this.clientPorts = new int[brokers + 1];
        this.controllerPorts = new int[brokers + 1];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int id = 1; id <= brokers; id++) {
                clientPorts[id] = hold(held);
                controllerPorts[id] = hold(held);
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        Files.createDirectories(dir);
    }

    /** A free port, kept open until all are chosen so that none is handed out twice. */
    private static int hold(List<ServerSocket> held) throws IOException {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        return socket.getLocalPort();
    }

    public String classpath() {
        return classpath;
    }

    public String bootstrap() {
        List<String> hosts = new ArrayList<>();
        for (int id = 1; id <= brokers; id++) {
            hosts.add("127.0.0.1:" + clientPorts[id]);
        }
        return String.join(",", hosts);
    }

    /** The server properties of node {@code id}. */
    Map<String, String> settings(int id) {
        int replication = Math.min(3, brokers);
        String minIsr = Integer.toString(Math.min(2, replication));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(id));
        List<String> voters = new ArrayList<>();
        for (int v = 1; v <= brokers; v++) {
            voters.add(v + "@127.0.0.1:" + controllerPorts[v]);
        }
        p.put("controller.quorum.voters", String.join(",", voters));
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPorts[id]
                + ",CONTROLLER://127.0.0.1:" + controllerPorts[id]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPorts[id]);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dir.resolve("node-" + id).toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", Integer.toString(replication));
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", Integer.toString(replication));
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", Integer.toString(replication));
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    /** Formats every node's storage, starts them all and waits until each accepts connections. */
    public void startAll() throws IOException, InterruptedException, TimeoutException {
        String clusterId = clusterId();
        for (int id = 1; id <= brokers; id++) {
            Path config = dir.resolve("node-" + id + ".properties");
            Files.writeString(config, settings(id).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            NodeProcess format = NodeProcess.start("kafka-format-" + id, List.of(NodeProcess.java(), "-cp", classpath,
                    "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toAbsolutePath().toString()),
                    dir.resolve("logs").resolve("format-" + id + ".log"), line -> false);
            if (!format.awaitExit(Duration.ofSeconds(120)) || format.exitValue() != 0) {
                format.close();
                throw new IllegalStateException("formatting Kafka node " + id + " failed; see " + dir.resolve("logs"));
            }
        }
        for (int id = 1; id <= brokers; id++) {
            List<String> command = new ArrayList<>(List.of(NodeProcess.java()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
                    KafkaNodeMain.class.getName(),
                    dir.resolve("node-" + id + ".properties").toAbsolutePath().toString()));
            running.put(id, NodeProcess.start("kafka-" + id, command,
                    dir.resolve("logs").resolve("kafka-" + id + ".log"), line -> false));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (int id = 1; id <= brokers; id++) {
            while (!accepts(clientPorts[id])) {
                if (System.nanoTime() > deadline || !running.get(id).isAlive()) {
                    throw new TimeoutException("Kafka node " + id + " does not accept connections; see "
                            + dir.resolve("logs"));
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A cluster id as Kafka writes one: 16 random bytes, URL-safe base64 without padding, not starting with '-'. */
    static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    /** The pids of the running nodes, by node id. */
    public Map<Integer, Long> pids() {
        Map<Integer, Long> pids = new TreeMap<>();
        running.forEach((id, node) -> pids.put(id, node.pid()));
        return pids;
    }

    @Override
    public void close() throws InterruptedException {
        for (NodeProcess node : running.values()) {
            node.close();
        }
    }
}
