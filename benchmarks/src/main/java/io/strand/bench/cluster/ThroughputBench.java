package io.strand.bench.cluster;

import io.strand.bench.cluster.kafka.KafkaNodes;
import io.strand.bench.jms.process.Flags;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Throughput of a three-broker Strand cluster (replication factor 3, {@code min.insync.replicas} 2) against a
 * single Strand broker and a three-broker Apache Kafka cluster (KRaft, replication factor 3, {@code acks=all},
 * {@code min.insync.replicas} 2), with the shared whole-system harness' W1 (asynchronous durable publish) and W3
 * (drain) of 1 KiB messages and its warm-up ({@link JmsThroughputLoad}, {@code kafka.KafkaThroughputLoad}). Each
 * broker and the load generator run in JVMs of their own; every row records the CPU of each of them.
 *
 * <p>Targets: {@code strand-1}, {@code strand-3} and {@code kafka-3}, in a rotating order per round. Output under
 * {@code --out}: {@code throughput-<stamp>.csv} and {@code throughput-summary-<stamp>.txt}, and the processes'
 * logs.
 *
 * <pre>scripts/cluster-bench.sh throughput [--rounds 3] [--targets strand-1,strand-3,kafka-3] ...</pre>
 */
public final class ThroughputBench {
    private static final Set<String> FLAGS = Set.of("targets", "rounds", "warmup-sec", "w1-sec", "broker-heap",
            "loadgen-heap", "out", "strand-settings", "strand-client-options", "quiet-wait-sec");
    private static final Duration START_WAIT = Duration.ofSeconds(120);

    /** One row: a workload of one target in one round. */
    record Run(int round, String target, ThroughputRow row) {
    }

    private ThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, FLAGS);
        List<String> targets = Arrays.asList(flags.string("targets", "strand-1,strand-3,kafka-3").split(","));
        for (String target : targets) {
            if (!target.matches("strand-\\d+|kafka-\\d+")) {
                throw new IllegalArgumentException("--targets takes strand-N and kafka-N, not " + target);
            }
        }
        int rounds = flags.integer("rounds", 3, 1);
        int warmupSec = flags.integer("warmup-sec", 20, 0);
        int w1Sec = flags.integer("w1-sec", 10, 1);
        String brokerHeap = flags.string("broker-heap", "2g");
        String loadgenHeap = flags.string("loadgen-heap", "2g");
        String strandSettings = flags.string("strand-settings", "").replace(',', '\n');
        String clientOptions = flags.string("strand-client-options", "");
        int quietWaitSec = flags.integer("quiet-wait-sec", 60, 0);
        BuildPaths build = BuildPaths.locate();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        Path out = Path.of(flags.string("out", build.buildDir().resolve("cluster-bench").toString()));
        Path dir = out.resolve("throughput-" + stamp);
        Files.createDirectories(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::killAll));
        List<String> brokerJvm = List.of("-Xms" + brokerHeap, "-Xmx" + brokerHeap, "-XX:+UseG1GC");
        List<String> loadgenJvm = List.of("-Xms" + loadgenHeap, "-Xmx" + loadgenHeap, "-XX:+UseG1GC");
        List<String> loadArgs = List.of("--warmup-sec", Integer.toString(warmupSec), "--w1-sec",
                Integer.toString(w1Sec));

        Path csv = out.resolve("throughput-" + stamp + ".csv");
        List<Run> runs = new ArrayList<>();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8), true)) {
            w.println("stamp,round,target,workload,messages,seconds,msgs_per_s,cpu_pct_of_one_core,note");
            for (int round = 1; round <= rounds; round++) {
                for (int t = 0; t < targets.size(); t++) {
                    String target = targets.get((t + round - 1) % targets.size());
                    double busy = waitQuiet(quietWaitSec);
                    Path runDir = dir.resolve(target + "-r" + round);
                    System.out.printf(Locale.ROOT, "[%s] round %d: %s (machine %.0f%% busy before)%n",
                            java.time.LocalTime.now().withNano(0), round, target, busy);
                    List<ThroughputRow> rows;
                    try {
                        rows = target.startsWith("strand")
                                ? runStrand(build, runDir, count(target), brokerJvm, loadgenJvm, loadArgs,
                                        strandSettings, clientOptions)
                                : runKafka(build, runDir, count(target), brokerJvm, loadgenJvm, loadArgs);
                    } catch (Exception e) {
                        rows = List.of(new ThroughputRow("W1", 0, 0, Map.of(), "FAILED " + e));
                        System.out.println("  FAILED: " + e);
                    }
                    for (ThroughputRow row : rows) {
                        runs.add(new Run(round, target, row));
                        w.printf(Locale.ROOT, "%s,%d,%s,%s,%d,%.3f,%.0f,%s,\"%s\"%n", stamp, round, target,
                                row.workload(), row.messages(), row.seconds(), row.rate(),
                                row.toLine().split("\\|", 5)[3], row.note().replace('"', '\''));
                        System.out.printf(Locale.ROOT, "  %s %,.0f msgs/s (%d in %.1f s) cpu %s %s%n", row.workload(),
                                row.rate(), row.messages(), row.seconds(), row.toLine().split("\\|", 5)[3],
                                row.note().startsWith("bytes") ? "" : row.note());
                    }
                }
            }
        }
        String summary = summarize(stamp, runs, targets, warmupSec, w1Sec, brokerHeap);
        Files.writeString(out.resolve("throughput-summary-" + stamp + ".txt"), summary);
        System.out.print(summary);
        System.out.println("rows: " + csv);
    }

    private static int count(String target) {
        return Integer.parseInt(target.substring(target.indexOf('-') + 1));
    }

    private static List<ThroughputRow> runStrand(BuildPaths build, Path dir, int brokers, List<String> brokerJvm,
                                                 List<String> loadgenJvm, List<String> loadArgs, String settings,
                                                 String clientOptions) throws Exception {
        try (StrandNodes nodes = new StrandNodes(dir, build.brokerJar(), build.benchClasses(), brokers, brokerJvm,
                settings.isEmpty() ? "" : settings + "\n")) {
            long start = System.nanoTime();
            nodes.startAll();
            int active = 1;
            if (brokers > 1) {
                active = nodes.awaitActive(0, start, START_WAIT).broker();
                nodes.awaitInSync(6, start, START_WAIT);
            }
            Map<String, Long> pids = new LinkedHashMap<>();
            char follower = 'a';
            for (Map.Entry<Integer, Long> e : nodes.pids().entrySet()) {
                pids.put(brokers == 1 ? "broker" : e.getKey() == active ? "leader" : "follower-" + follower++,
                        e.getValue());
            }
            String url = nodes.clientUrl(active) + (clientOptions.isEmpty() ? "" : "?" + clientOptions);
            List<String> args = new ArrayList<>(List.of("--url", url, "--pids",
                    ThroughputLoads.pidsText(pids)));
            args.addAll(loadArgs);
            List<ThroughputRow> rows = runLoad(dir, System.getProperty("java.class.path"), loadgenJvm,
                    JmsThroughputLoad.class.getName(), args);
            nodes.close();
            nodes.deleteData();
            return rows;
        }
    }

    private static List<ThroughputRow> runKafka(BuildPaths build, Path dir, int brokers, List<String> brokerJvm,
                                                List<String> loadgenJvm, List<String> loadArgs) throws Exception {
        try (KafkaNodes nodes = new KafkaNodes(dir, build.kafkaLib(), build.benchClasses(), brokers, brokerJvm)) {
            nodes.startAll();
            Map<String, Long> pids = new LinkedHashMap<>();
            nodes.pids().forEach((id, pid) -> pids.put("kafka-" + id, pid));
            int replication = Math.min(3, brokers);
            List<String> args = new ArrayList<>(List.of("--bootstrap", nodes.bootstrap(), "--brokers",
                    Integer.toString(brokers), "--replication", Integer.toString(replication), "--min-isr",
                    Integer.toString(Math.min(2, replication)), "--pids", ThroughputLoads.pidsText(pids)));
            args.addAll(loadArgs);
            List<ThroughputRow> rows = runLoad(dir, nodes.classpath(), loadgenJvm,
                    "io.strand.bench.cluster.kafka.KafkaThroughputLoad", args);
            nodes.close();
            for (int id = 1; id <= brokers; id++) {
                Trees.deleteRecursively(dir.resolve("node-" + id));
            }
            return rows;
        }
    }

    private static List<ThroughputRow> runLoad(Path dir, String classpath, List<String> jvm, String main,
                                               List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(NodeProcess.java()));
        command.addAll(jvm);
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath, main));
        command.addAll(args);
        try (NodeProcess load = NodeProcess.start("loadgen", command, dir.resolve("logs").resolve("loadgen.log"),
                line -> line.startsWith(ThroughputRow.PREFIX))) {
            if (!load.awaitExit(Duration.ofMinutes(15))) {
                throw new IllegalStateException("the load generator did not finish within 15 minutes");
            }
            List<ThroughputRow> rows = load.lines().stream()
                    .map(l -> ThroughputRow.parse(l.text().substring(ThroughputRow.PREFIX.length()))).toList();
            if (rows.isEmpty()) {
                throw new IllegalStateException("the load generator printed no result (exit " + load.exitValue()
                        + "); see " + dir.resolve("logs").resolve("loadgen.log"));
            }
            return rows;
        }
    }

    /** Waits (at most {@code seconds}) for the machine to be below 15% busy; returns how busy it was last. */
    private static double waitQuiet(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        double busy;
        do {
            busy = io.strand.bench.jms.process.CpuWindow.machineBusyPercent(Duration.ofSeconds(2));
        } while (busy > 15 && System.nanoTime() < deadline);
        return busy;
    }

    static String summarize(String stamp, List<Run> runs, List<String> targets, int warmupSec, int w1Sec,
                            String heap) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Throughput %s: 1 KiB persistent messages, warm-up %d s (W1, then its "
                + "drain), W1 %d s, broker heap %s; medians over rounds [min..max]%n", stamp, warmupSec, w1Sec, heap));
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String workload : List.of("W1", "W3")) {
            for (String target : targets) {
                List<ThroughputRow> rows = runs.stream().filter(r -> r.target().equals(target)
                        && r.row().workload().equals(workload) && r.row().messages() > 0).map(Run::row).toList();
                if (rows.isEmpty()) {
                    s.append(String.format(Locale.ROOT, "%s %-9s no result%n", workload, target));
                    continue;
                }
                List<Double> rates = rows.stream().map(ThroughputRow::rate).toList();
                double median = Gaps.median(rates);
                medians.put(workload + " " + target, median);
                Set<String> names = new TreeSet<>();
                rows.forEach(r -> names.addAll(r.cpu().keySet()));
                String cpu = names.stream().map(n -> String.format(Locale.ROOT, "%s %.0f%%", n,
                        Gaps.median(rows.stream().filter(r -> r.cpu().containsKey(n)).map(r -> r.cpu().get(n))
                                .toList())))
                        .collect(Collectors.joining(", "));
                List<Double> brokerCpuPerMessage = rows.stream().map(r -> r.cpu().entrySet().stream()
                        .filter(e -> !e.getKey().equals(CpuWindow.SELF) && !e.getKey().equals(CpuWindow.FOREIGN))
                        .mapToDouble(Map.Entry::getValue).sum() / 100 * r.seconds() / r.messages() * 1e6).toList();
                s.append(String.format(Locale.ROOT, "%s %-9s %,9.0f msgs/s [%,.0f..%,.0f] (%d rounds); broker CPU "
                        + "%.1f us/msg; CPU %% of one core: %s%n", workload, target, median, Gaps.min(rates),
                        Gaps.max(rates), rows.size(), Gaps.median(brokerCpuPerMessage), cpu));
            }
        }
        for (String workload : List.of("W1", "W3")) {
            ratio(s, medians, workload, "strand-3", "strand-1");
            ratio(s, medians, workload, "strand-3", "kafka-3");
        }
        return s.toString();
    }

    private static void ratio(StringBuilder s, Map<String, Double> medians, String workload, String a, String b) {
        Double x = medians.get(workload + " " + a);
        Double y = medians.get(workload + " " + b);
        if (x != null && y != null) {
            s.append(String.format(Locale.ROOT, "%s %s / %s = %.2f%n", workload, a, b, x / y));
        }
    }
}
