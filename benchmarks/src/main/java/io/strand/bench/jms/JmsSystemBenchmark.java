package io.strand.bench.jms;

import io.strand.bench.jms.client.Workload;
import io.strand.bench.jms.client.WorkloadResult;
import io.strand.bench.jms.process.CpuWindow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the same JMS workloads against ActiveMQ Artemis and Strand and reports both side by side:
 * a single consumer draining a persistent backlog with AUTO_ACKNOWLEDGE and with DUPS_OK (the shared
 * harness' W3, for reference), competing consumers on their own connections draining one backlog, and
 * a consumer whose selector matches 10% of a backlog. For every round and broker it starts a fresh
 * broker JVM with an empty data directory and a load generator JVM on that broker's client classpath
 * (so Artemis keeps its Netty 4.1 and Strand its Netty 4.2), both on 127.0.0.1, and stops both
 * afterwards. Results go to {@code results-<stamp>.csv} (one line per workload, broker and round) and
 * {@code summary-<stamp>.txt} in the output directory, logs to {@code logs/<stamp>/}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.strand.bench.jms.JmsSystemBenchmark [--rounds 3] ...</pre>
 * See {@link BenchmarkOptions#USAGE} for every flag.
 */
public final class JmsSystemBenchmark {
    private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(120);
    private static final double QUIET_BUSY_PERCENT = 15;

    private final BenchmarkOptions options;
    private final Classpaths classpaths;
    private final String stamp;

    JmsSystemBenchmark(BenchmarkOptions options, Classpaths classpaths) {
        this.options = options;
        this.classpaths = classpaths;
        this.stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(BenchmarkOptions.USAGE);
            return;
        }
        BenchmarkOptions options;
        Classpaths classpaths;
        try {
            options = BenchmarkOptions.parse(args, Classpaths.defaultBuildDir());
            classpaths = Classpaths.locate(options.buildDir());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("jmsbench: " + e.getMessage());
            System.err.print(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ChildJvm::stopAll, "jmsbench-stop-children"));
        new JmsSystemBenchmark(options, classpaths).run();
    }

    /** Runs every round and prints the summary; returns it for callers that check the figures. */
    Summary run() throws IOException, InterruptedException {
        Files.createDirectories(options.outDir());
        Path csv = options.outDir().resolve("results-" + stamp + ".csv");
        Path logs = options.outDir().resolve("logs").resolve(stamp);
        System.out.println(describeRun());
        List<RunRow> rows = new ArrayList<>();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            out.println(RunRow.HEADER);
            for (int round = 1; round <= options.rounds(); round++) {
                for (BrokerSide broker : options.brokerOrder(round)) {
                    waitForQuietMachine(broker, round);
                    System.out.printf("=== round %d of %d: %s%n", round, options.rounds(), broker.title(classpaths));
                    for (WorkloadResult result : runOnce(broker, round, logs)) {
                        RunRow row = new RunRow(round, broker, result);
                        rows.add(row);
                        out.println(row.toCsv(stamp));
                        out.flush();
                        System.out.println("  " + broker.label() + " " + line(result));
                    }
                }
            }
        }
        Summary summary = new Summary(options.workloads(), options.brokers(), rows);
        String report = summary.render(describeRun(), classpaths);
        Path summaryFile = options.outDir().resolve("summary-" + stamp + ".txt");
        Files.writeString(summaryFile, report, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(report);
        System.out.println("\nresults: " + csv + "\nsummary: " + summaryFile + "\nlogs:    " + logs);
        return summary;
    }

    /** One broker run: a fresh broker, the load generator's results, and a failure row for anything missing. */
    private List<WorkloadResult> runOnce(BrokerSide broker, int round, Path logs)
            throws IOException, InterruptedException {
        Path dataDir = options.dataDir().resolve(broker.label() + "-r" + round);
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        int port = freePort();
        List<WorkloadResult> results = new ArrayList<>();
        try (ChildJvm brokerJvm = broker.startBroker(options, classpaths, dataDir, port,
                logs.resolve("broker-" + broker.label() + "-r" + round + ".log"))) {
            if (!brokerJvm.awaitMarker(BROKER_START_TIMEOUT)) {
                return failAll(results, broker.label() + " did not start: " + brokerJvm.tail());
            }
            try (ChildJvm load = broker.startLoadGenerator(options, classpaths, port, brokerJvm.pid(),
                    logs.resolve("loadgen-" + broker.label() + "-r" + round + ".log"))) {
                boolean exited = load.awaitExit(options.runTimeout());
                for (String line : load.collected()) {
                    results.add(WorkloadResult.fromCsv(line));
                }
                String ended = !exited ? "the load generator was stopped after --run-timeout "
                        + options.runTimeout().toSeconds() + " s"
                        : load.exitValue() != 0
                        ? "the load generator exited with " + load.exitValue() + ": " + load.tail()
                        : !brokerJvm.isAlive() ? "the broker died: " + brokerJvm.tail()
                        : "the load generator reported no result";
                return failAll(results, ended);
            }
        } finally {
            deleteTree(dataDir);
        }
    }

    /** Adds a failure row for every workload that has no row, so a missing result can never pass unnoticed. */
    private List<WorkloadResult> failAll(List<WorkloadResult> results, String reason) {
        for (Workload workload : options.workloads()) {
            boolean reported = results.stream().anyMatch(r -> r.workload().equals(workload.id()));
            if (!reported) {
                results.add(WorkloadResult.failed(workload.id(), reason));
            }
        }
        return results;
    }

    /**
     * Other work may share this machine, and every workload here is CPU-bound: wait (bounded by
     * --quiet-wait) until the machine is nearly idle. Each row records the foreign CPU anyway.
     */
    private void waitForQuietMachine(BrokerSide broker, int round) throws InterruptedException {
        if (options.quietWait().isZero()) {
            return;
        }
        long deadline = System.nanoTime() + options.quietWait().toNanos();
        double busy;
        do {
            busy = CpuWindow.machineBusyPercent(Duration.ofSeconds(2));
        } while (busy > QUIET_BUSY_PERCENT && System.nanoTime() < deadline);
        System.out.printf(Locale.ROOT, "machine %.0f%% busy before %s round %d%s%n", busy, broker.label(), round,
                busy > QUIET_BUSY_PERCENT ? " (still busy after --quiet-wait; measuring anyway)" : "");
    }

    private String describeRun() {
        return String.format(Locale.ROOT, "JMS system benchmark %s: %d round(s); per workload %,d persistent %d-byte "
                        + "messages preloaded (async sends, fsync-durable on both brokers), warm-up %,d per workload; "
                        + "competing consumers: %d; brokers: %s; %d cores",
                stamp, options.rounds(), options.messages(), options.payloadBytes(), options.warmupMessages(),
                options.consumers(), options.brokers().stream().map(b -> b.title(classpaths))
                        .collect(Collectors.joining(", ")), Runtime.getRuntime().availableProcessors());
    }

    private static String line(WorkloadResult result) {
        return result.ok()
                ? String.format(Locale.ROOT, "%-14s %,10.0f msgs/s  %,d msgs in %.2f s (start->last %.2f s)  "
                        + "cpu broker %.0f%% client %.0f%% foreign %.0f%%", result.workload(), result.msgsPerSecond(),
                result.messages(), result.seconds(), result.startToLastSeconds(), result.cpu().brokerPct(),
                result.cpu().clientPct(), result.cpu().foreignPct())
                : String.format("%-14s FAILED: %s", result.workload(), result.detail());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
