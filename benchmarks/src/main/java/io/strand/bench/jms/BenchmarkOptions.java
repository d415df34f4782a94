package io.strand.bench.jms;

import io.strand.bench.jms.client.Workload;
import io.strand.bench.jms.process.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark's settings, from its command line; every value is checked when read.
 *
 * @param rounds               rounds; each runs every broker once (median over rounds is reported)
 * @param messages             messages preloaded per workload
 * @param warmupMessages       messages per workload in the unreported warm-up pass of every broker run
 * @param payloadBytes         body size
 * @param consumers            consumers (and connections) of the competing-consumers workload
 * @param workloads            the workloads to run, in order
 * @param brokers              the brokers to run, in the order of odd rounds (even rounds reverse it)
 * @param buildDir             benchmarks/target: holds classes/, artemis-lib/ and artemis-native/
 * @param outDir               where results-*.csv, summary-*.txt and logs go
 * @param dataDir              where the brokers keep their data, a fresh directory per run
 * @param brokerHeap           -Xms/-Xmx of each broker JVM
 * @param clientHeap           -Xms/-Xmx of each load generator JVM
 * @param quietWait            how long to wait, before each broker run, for the machine to be idle
 * @param idleTimeout          a drain or preload with no progress for this long fails
 * @param grace                how long a drain waits after its last expected message for one that should not come
 * @param runTimeout           a load generator running longer than this is stopped and its missing workloads fail
 * @param artemisJournal       ASYNCIO or NIO, or null for ASYNCIO when libaio loads and NIO otherwise
 * @param strandClientOptions  query options appended to the Strand URL
 * @param artemisClientOptions query options appended to the Artemis URL
 */
record BenchmarkOptions(int rounds, int messages, int warmupMessages, int payloadBytes, int consumers,
                        List<Workload> workloads, List<BrokerSide> brokers, Path buildDir, Path outDir, Path dataDir,
                        String brokerHeap, String clientHeap, Duration quietWait, Duration idleTimeout,
                        Duration grace, Duration runTimeout, String artemisJournal, String strandClientOptions,
                        String artemisClientOptions) {

    static final String USAGE = """
            usage: java -cp benchmarks/target/benchmarks.jar io.strand.bench.jms.JmsSystemBenchmark [--flag value]...
              --rounds 3                 rounds, each running every broker once; medians are reported
              --messages 200000          messages preloaded per workload
              --warmup 50000             messages per workload in the unreported warm-up of every broker run (0: none)
              --payload 1024             body bytes
              --consumers 4              consumers of the competing-consumers workload, one connection each
              --workloads all            comma-separated: drain-auto,drain-dups-ok,competing,selector
              --brokers artemis,strand   brokers to run, in this order in odd rounds and reversed in even ones
              --out DIR                  results and logs (default: benchmarks/target/jms-bench)
              --data-dir DIR             broker data, deleted after each run (default: OUT/data)
              --broker-heap 4g           heap of each broker JVM
              --client-heap 2g           heap of each load generator JVM
              --quiet-wait 60            seconds to wait for an idle machine before each broker run (0: do not wait)
              --idle-timeout 30          seconds without progress after which a workload fails
              --grace-ms 500             how long a drain waits after its last expected message for any extra one
              --run-timeout 1800         seconds a load generator may run
              --artemis-journal auto     ASYNCIO, NIO or auto (ASYNCIO when libaio loads)
              --strand-client-options '' URL options for the Strand client, e.g. compression=none
              --artemis-client-options confirmationWindowSize=1048576
              --build-dir DIR            benchmarks/target of a packaged build (default: the one holding this class)
            """;
    private static final Set<String> FLAGS = Set.of("rounds", "messages", "warmup", "payload", "consumers", "workloads",
            "brokers", "out", "data-dir", "broker-heap", "client-heap", "quiet-wait", "idle-timeout", "grace-ms",
            "run-timeout", "artemis-journal", "strand-client-options", "artemis-client-options", "build-dir");

    static BenchmarkOptions parse(String[] args, Path defaultBuildDir) {
        Flags flags = Flags.parse(args, FLAGS);
        Path buildDir = Path.of(flags.string("build-dir", defaultBuildDir.toString())).toAbsolutePath();
        Path outDir = Path.of(flags.string("out", buildDir.resolve("jms-bench").toString())).toAbsolutePath();
        String journal = flags.string("artemis-journal", "auto").toUpperCase(Locale.ROOT);
        if (!List.of("AUTO", "ASYNCIO", "NIO").contains(journal)) {
            throw new IllegalArgumentException("--artemis-journal " + journal + " is not ASYNCIO, NIO or auto");
        }
        return new BenchmarkOptions(
                flags.integer("rounds", 3, 1),
                flags.integer("messages", 200_000, 100),
                flags.integer("warmup", 50_000, 0),
                flags.integer("payload", 1024, 1),
                flags.integer("consumers", 4, 1),
                Workload.parseList(flags.string("workloads", "all")),
                brokers(flags.string("brokers", "artemis,strand")),
                buildDir,
                outDir,
                Path.of(flags.string("data-dir", outDir.resolve("data").toString())).toAbsolutePath(),
                heap("broker-heap", flags.string("broker-heap", "4g")),
                heap("client-heap", flags.string("client-heap", "2g")),
                Duration.ofSeconds(flags.number("quiet-wait", 60, 0)),
                Duration.ofSeconds(flags.number("idle-timeout", 30, 1)),
                Duration.ofMillis(flags.number("grace-ms", 500, 0)),
                Duration.ofSeconds(flags.number("run-timeout", 1800, 10)),
                journal.equals("AUTO") ? null : journal,
                flags.string("strand-client-options", ""),
                flags.string("artemis-client-options", "confirmationWindowSize=1048576"));
    }

    private static List<BrokerSide> brokers(String names) {
        List<BrokerSide> list = new ArrayList<>();
        for (String name : names.split(",")) {
            BrokerSide side = BrokerSide.byLabel(name.trim());
            if (list.contains(side)) {
                throw new IllegalArgumentException("--brokers names " + side.label() + " twice");
            }
            list.add(side);
        }
        return List.copyOf(list);
    }

    private static String heap(String flag, String value) {
        if (!value.matches("[0-9]+[kKmMgG]?")) {
            throw new IllegalArgumentException("--" + flag + " " + value + " is not a heap size like 4g or 512m");
        }
        return value;
    }

    /** The brokers of one round: odd rounds in the given order, even rounds reversed, so neither always goes first. */
    List<BrokerSide> brokerOrder(int round) {
        List<BrokerSide> order = new ArrayList<>(brokers);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }
}
