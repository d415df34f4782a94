package io.strand.bench.cluster;

import io.strand.admin.DescribeCluster;
import io.strand.admin.DescribeDestinations;
import io.strand.admin.StrandAdmin;
import io.strand.bench.jms.strand.StrandBrokerMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Strand brokers on this machine, each in its own JVM started from {@code broker-engine/target/strand-broker.jar}
 * (through {@link StrandBrokerMain}, the launcher with the benchmarks' orphan guard), forming one cluster
 * ({@code cluster.*} settings, as {@code ./strand-cluster} writes them) or, with one broker and no cluster
 * settings, a single node. Client and cluster ports are free ones chosen at start-up, so a cluster someone
 * else runs on this machine is never touched.
 *
 * <p>What each broker is (active broker, controller) and whether every partition is fully in sync is read
 * from the brokers' logs ({@link IsrView}), with the arrival time of each line.
 */
public final class StrandNodes implements AutoCloseable {
    public static final String READY = StrandBrokerMain.READY;
    private static final Pattern ACTIVE = Pattern.compile("Broker (\\d+) is the active broker");
    private static final Pattern NO_LONGER_ACTIVE = Pattern.compile("Broker (\\d+) is no longer the active broker");
    private static final Pattern CONTROLLER = Pattern.compile("Controller active on Raft term (\\d+)");
    private static final long IN_SYNC_SETTLE_NANOS = 1_500_000_000L;
    /** The internal logs every cluster has ({@code $sharegroups-0} and the others); they are no destinations. */
    public static final int INTERNAL_LOGS = 6;
    private static final java.util.function.Predicate<String> INTERNAL = name -> name.startsWith("$");

    /** A broker's role change and when its line arrived. */
    public record Event(int broker, long nanos) {
    }

    /** The controller: broker id and Raft term. */
    public record Controller(int broker, long term, long nanos) {
    }

    private final Path dir;
    private final Path brokerJar;
    private final Path benchClasses;
    private final List<String> jvmOptions;
    private final String settings;
    private final int brokers;
    private final int[] clientPorts;
    private final String peers;
    private final Map<Integer, NodeProcess> running = new TreeMap<>();
    /** What each broker run's log said so far, read once, line by line: logs of thousands of partitions are long. */
    private final Map<NodeProcess, Watch> watches = new java.util.LinkedHashMap<>();

    /** One broker run's log as read so far. */
    private static final class Watch {
        final int broker;
        final NodeProcess node;
        final IsrView isr = new IsrView();
        final List<Long> activations = new ArrayList<>();
        int read;
        boolean active;
        long controllerTerm = -1;
        long controllerNanos;

        Watch(int broker, NodeProcess node) {
            this.broker = broker;
            this.node = node;
        }

        void readNewLines() {
            List<NodeProcess.Line> lines = node.linesFrom(read);
            read += lines.size();
            for (NodeProcess.Line line : lines) {
                String text = line.text();
                if (text.contains("active broker")) {
                    if (ACTIVE.matcher(text).find()) {
                        active = true;
                        activations.add(line.nanos());
                    } else if (NO_LONGER_ACTIVE.matcher(text).find()) {
                        active = false;
                    }
                } else if (text.contains("Controller active")) {
                    Matcher m = CONTROLLER.matcher(text);
                    if (m.find() && Long.parseLong(m.group(1)) > controllerTerm) {
                        controllerTerm = Long.parseLong(m.group(1));
                        controllerNanos = line.nanos();
                    }
                } else {
                    isr.accept(line.nanos(), text);
                }
            }
        }
    }

    /**
     * @param brokers      1 for a single node (no cluster settings), more for a cluster
     * @param jvmOptions   each broker JVM's options (heap, GC)
     * @param settings     more broker settings, {@code key=value} lines
     */
    public StrandNodes(Path dir, Path brokerJar, Path benchClasses, int brokers, List<String> jvmOptions,
                       String settings) throws IOException {
        this.dir = dir;
        this.brokerJar = brokerJar;
        this.benchClasses = benchClasses;
        this.brokers = brokers;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.settings = settings;
        if (!Files.isRegularFile(brokerJar)) {
            throw new IllegalStateException(brokerJar + " does not exist; build it with: mvn -o -q -pl benchmarks -am "
                    + "package -DskipTests");
        }
        Files.createDirectories(dir);
        this.clientPorts = new int[brokers + 1];
        List<String> bind = new ArrayList<>();
        Set<Integer> taken = new TreeSet<>();
        for (int id = 1; id <= brokers; id++) {
            clientPorts[id] = freePort(taken, false);
            bind.add("127.0.0.1:" + freePort(taken, true));
        }
        this.peers = String.join(",", bind);
    }

    /**
     * A free port not handed out yet; a cluster port also needs the one 100 above it free (failure detection),
     * and both below 65,436.
     */
    private static int freePort(Set<Integer> taken, boolean cluster) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (taken.contains(port) || (cluster && (port > 65_000 || taken.contains(port + 100)
                    || !free(port + 100)))) {
                continue;
            }
            taken.add(port);
            if (cluster) {
                taken.add(port + 100);
            }
            return port;
        }
        throw new IOException("no free port found");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int brokers() {
        return brokers;
    }

    public Set<Integer> ids() {
        Set<Integer> all = new TreeSet<>();
        for (int id = 1; id <= brokers; id++) {
            all.add(id);
        }
        return all;
    }

    public Path dataDir(int id) {
        return dir.resolve("broker-" + id);
    }

    public String clientUrl(int id) {
        return "strand://127.0.0.1:" + clientPorts[id];
    }

    /** Every broker's client address in one URL, for a client that fails over between them. */
    public String multiHostUrl() {
        List<String> hosts = new ArrayList<>();
        for (int id = 1; id <= brokers; id++) {
            hosts.add("127.0.0.1:" + clientPorts[id]);
        }
        return "strand://" + String.join(",", hosts);
    }

    /** Starts every broker at once and waits until each logged that it is ready. */
    public void startAll() throws IOException, InterruptedException, TimeoutException {
        for (int id = 1; id <= brokers; id++) {
            launch(id);
        }
        for (int id = 1; id <= brokers; id++) {
            awaitReady(id, Duration.ofSeconds(120));
        }
    }

    /** Starts (or restarts, on its data) one broker and returns without waiting. */
    public NodeProcess launch(int id) throws IOException {
        if (running.containsKey(id) && running.get(id).isAlive()) {
            throw new IllegalStateException("broker " + id + " is running already");
        }
        Path config = dir.resolve("broker-" + id + ".properties");
        StringBuilder text = new StringBuilder()
                .append("broker.id=").append(id).append('\n')
                .append("host=127.0.0.1\n")
                .append("port=").append(clientPorts[id]).append('\n')
                .append("data.dir=").append(dataDir(id).toAbsolutePath()).append('\n');
        if (brokers > 1) {
            text.append("cluster.id=bench-").append(dir.getFileName()).append('\n')
                    .append("cluster.bind=").append(peers.split(",")[id - 1]).append('\n')
                    .append("cluster.peers=").append(peers).append('\n');
        }
        text.append(settings);
        Files.writeString(config, text);
        List<String> command = new ArrayList<>(List.of(NodeProcess.java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", brokerJar.toAbsolutePath() + java.io.File.pathSeparator + benchClasses.toAbsolutePath(),
                StrandBrokerMain.class.getName(), config.toAbsolutePath().toString()));
        NodeProcess node = NodeProcess.start("broker-" + id, command,
                dir.resolve("logs").resolve("broker-" + id + ".log"), StrandNodes::worthKeeping);
        synchronized (this) {
            running.put(id, node);
            watches.put(node, new Watch(id, node));
        }
        return node;
    }

    private static boolean worthKeeping(String line) {
        return line.contains(READY) || line.contains("active broker") || line.contains("Controller active on Raft")
                || line.contains(" leads ") || line.contains("ISR ") || line.contains("Exception")
                || line.contains("ERROR") || line.contains("WARN");
    }

    /** Waits until broker {@code id}'s current run logged its ready line; returns when that line arrived. */
    public long awaitReady(int id, Duration timeout) throws InterruptedException, TimeoutException {
        NodeProcess node = node(id);
        return node.awaitLine(line -> line.contains(READY), node.startedNanos(), timeout)
                .orElseThrow(() -> new TimeoutException("broker " + id + (node.isAlive() ? " did not become ready "
                        + "within " + timeout.toSeconds() + " s" : " exited before it was ready: "
                        + lastLine(node)) + "; see " + dir.resolve("logs"))).nanos();
    }

    private static String lastLine(NodeProcess node) {
        List<NodeProcess.Line> lines = node.lines();
        return lines.isEmpty() ? "(no output kept)" : lines.get(lines.size() - 1).text();
    }

    /**
     * Starts broker {@code id} again until it gets ready, at most {@code attempts} times (a broker the cluster does
     * not admit in time exits); returns the number of attempts it took.
     */
    public int relaunchUntilReady(int id, int attempts, Duration timeout) throws IOException, InterruptedException,
            TimeoutException {
        for (int attempt = 1; ; attempt++) {
            launch(id);
            try {
                awaitReady(id, timeout);
                return attempt;
            } catch (TimeoutException e) {
                if (attempt == attempts || node(id).isAlive()) {
                    throw e;
                }
                System.out.println("start attempt " + attempt + " of broker " + id + " failed: " + e.getMessage());
                Thread.sleep(1_000);
            }
        }
    }

    public synchronized NodeProcess node(int id) {
        NodeProcess node = running.get(id);
        if (node == null) {
            throw new IllegalStateException("broker " + id + " was never started");
        }
        return node;
    }

    public synchronized boolean isRunning(int id) {
        return running.containsKey(id) && running.get(id).isAlive();
    }

    /** The pids of the running brokers, by broker id. */
    public synchronized Map<Integer, Long> pids() {
        Map<Integer, Long> pids = new TreeMap<>();
        running.forEach((id, node) -> {
            if (node.isAlive()) {
                pids.put(id, node.pid());
            }
        });
        return pids;
    }

    /** SIGKILL to broker {@code id}; returns the time of the kill. */
    public long kill9(int id) throws InterruptedException {
        long at = System.nanoTime();
        node(id).kill9();
        return at;
    }

    /** Reads what the brokers logged since the last call. */
    private synchronized void readLogs() {
        watches.values().forEach(Watch::readNewLines);
    }

    private synchronized Watch watch(int broker) {
        return watches.get(node(broker));
    }

    /** The active broker, by the last role line of each running broker; empty when none says it is. */
    public synchronized Optional<Integer> active() {
        readLogs();
        for (Map.Entry<Integer, NodeProcess> e : running.entrySet()) {
            if (e.getValue().isAlive() && watches.get(e.getValue()).active) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** Waits for a running broker other than {@code except} (0: any) to say it became active after {@code since}. */
    public Event awaitActive(int except, long since, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event first = null;
            synchronized (this) {
                readLogs();
                for (Map.Entry<Integer, NodeProcess> e : running.entrySet()) {
                    if (e.getKey() == except) {
                        continue;
                    }
                    for (long at : watches.get(e.getValue()).activations) {
                        if (at - since >= 0 && (first == null || at < first.nanos())) {
                            first = new Event(e.getKey(), at);
                        }
                    }
                }
            }
            if (first != null) {
                return first;
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("no broker became active within " + timeout.toSeconds() + " s");
    }

    private synchronized Map<Integer, NodeProcess> runningNodes() {
        return new TreeMap<>(running);
    }

    /** The controller: the broker that logged the highest Raft term, in any of its runs. */
    public synchronized Optional<Controller> controller() {
        readLogs();
        Controller best = null;
        for (Watch w : watches.values()) {
            if (w.controllerTerm >= 0 && (best == null || w.controllerTerm > best.term())) {
                best = new Controller(w.broker, w.controllerTerm, w.controllerNanos);
            }
        }
        return Optional.ofNullable(best);
    }

    /** Waits for a controller of a Raft term above {@code term}. */
    public Controller awaitController(long term, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Controller> c = controller();
            if (c.isPresent() && c.get().term() > term) {
                return c.get();
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("no controller of a term above " + term + " within " + timeout.toSeconds() + " s");
    }

    /**
     * Waits until every partition (at least {@code minPartitions}, the {@value #INTERNAL_LOGS} internal logs included)
     * has all running brokers in sync: the internal logs by what the active broker logged at or after {@code since},
     * the destinations by the admin API. Returns when that was first seen.
     */
    public long awaitInSync(int minPartitions, long since, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no active broker";
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                Optional<Integer> active = active();
                if (active.isPresent()) {
                    IsrView view = watch(active.get()).isr;
                    Set<Integer> live = pids().keySet();
                    long now = System.nanoTime();
                    // The internal logs by the leader's log; destinations by the admin API, which reads the
                    // controller's metadata (the log shows ISR changes asked for, some of them still waiting in a
                    // busy controller, and refusals of requests already overtaken).
                    if (live.size() == brokers && view.allInSync(INTERNAL, live, INTERNAL_LOGS, since, now,
                            IN_SYNC_SETTLE_NANOS) && destinationsInSync(active.get(), live,
                            minPartitions - INTERNAL_LOGS)) {
                        return now;
                    }
                    last = "broker " + active.get() + " leads " + view.partitions() + " partition(s), "
                            + view.laggingPartitions(live) + " not fully in sync; running " + live;
                }
            }
            Thread.sleep(100);
        }
        throw new TimeoutException("the cluster was not in sync within " + timeout.toSeconds() + " s: " + last);
    }

    /**
     * What the admin API says of every destination's partitions (the controller's metadata, which the leader's log
     * only approximates: an ISR change it asked for may still wait in a busy controller): true when each has exactly
     * {@code live} in sync. The internal logs are not destinations; for them the log is all there is.
     */
    private boolean destinationsInSync(int active, Set<Integer> live, int minPartitions) {
        if (minPartitions <= 0) {
            return true;
        }
        try (StrandAdmin admin = StrandAdmin.connect(clientUrl(active), null, null)) {
            int counted = 0;
            for (DescribeDestinations.Destination d : admin.describeDestinations(null, null)) {
                for (DescribeDestinations.Partition p : d.partitions()) {
                    if (!Set.copyOf(p.isr()).equals(live)) {
                        return false;
                    }
                    counted++;
                }
            }
            return counted >= minPartitions;
        } catch (RuntimeException e) {
            return false; // not the active broker any more, or busy: asked again on the next round
        }
    }

    /**
     * Waits until the controller fenced {@code broker}, killed at {@code since}, as the active broker's admin API tells
     * (the broker is no longer among the cluster's live brokers): the controller takes a fenced broker out of every
     * ISR in the same metadata change, so it is out of sync everywhere from then on. A broker restarted before that
     * could count as in sync at once. Returns when that was first seen.
     */
    public long awaitOutOfSync(int broker, long since, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no active broker";
        while (System.nanoTime() < deadline) {
            Optional<Integer> active = active();
            if (active.isPresent() && active.get() != broker) {
                try (StrandAdmin admin = StrandAdmin.connect(clientUrl(active.get()), null, null)) {
                    List<Integer> live = admin.describeCluster().brokers().stream().map(DescribeCluster.Broker::id)
                            .toList();
                    if (!live.contains(broker)) {
                        return System.nanoTime();
                    }
                    last = "broker " + active.get() + " still counts broker " + broker + " live among " + live;
                } catch (RuntimeException e) {
                    last = "broker " + active.get() + " did not answer: " + e.getMessage(); // not active any more
                }
            }
            Thread.sleep(20);
        }
        throw new TimeoutException("broker " + broker + " was not seen leaving the in-sync replicas within "
                + timeout.toSeconds() + " s (killed at " + since + "): " + last);
    }

    /** Broker ids that are running, the active one excluded, and the controller too when {@code notController}. */
    public List<Integer> followers(boolean notController) {
        int active = active().orElse(-1);
        int controller = controller().map(Controller::broker).orElse(-1);
        return pids().keySet().stream().filter(id -> id != active && (!notController || id != controller))
                .collect(Collectors.toList());
    }

    /**
     * Writes a thread dump of every running broker ({@code jcmd <pid> Thread.print}) beside its log, for a
     * cluster that stopped making progress; returns where they are.
     */
    public Path dumpThreads() {
        Path logs = dir.resolve("logs");
        pids().forEach((id, pid) -> {
            Path file = logs.resolve("broker-" + id + "-threads-" + System.currentTimeMillis() + ".txt");
            try {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(pid), "Thread.print").redirectErrorStream(true).redirectOutput(file.toFile())
                        .start();
                jcmd.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (IOException e) {
                System.err.println("no thread dump of broker " + id + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return logs;
    }

    /** Stops every broker (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        for (NodeProcess node : runningNodes().values()) {
            node.close();
        }
    }

    /** Deletes the brokers' data (not their logs). */
    public void deleteData() {
        for (int id = 1; id <= brokers; id++) {
            Trees.deleteRecursively(dataDir(id));
        }
    }
}
