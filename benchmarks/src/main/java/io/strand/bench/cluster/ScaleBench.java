package io.strand.bench.cluster;

import io.strand.admin.StrandAdmin;
import io.strand.bench.jms.process.Flags;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import io.strand.protocol.DestinationType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Many replicated partitions on a three-broker cluster: creates {@code --destinations} queues of
 * {@code --partitions} partitions each (100 x 100 = 10,000 by default, replication factor 3) through the admin
 * client, and reports the time to create them, the time until every partition had all three brokers in sync,
 * each broker's heap after a full GC and resident memory, the controller's metadata on disk
 * ({@code <data.dir>/cluster-metadata}: the jgroups-raft log and its snapshots), the time a follower killed with
 * {@code kill -9} needs after its restart to be in sync for every partition again, and the time until another
 * broker serves clients when the active broker is killed.
 *
 * <pre>scripts/cluster-bench.sh scale [--destinations 100] [--partitions 100]</pre>
 */
public final class ScaleBench {
    private static final Set<String> FLAGS = Set.of("destinations", "partitions", "heap", "out");
    private static final Duration WAIT = Duration.ofMinutes(20);
    /** A broker the controller does not register within its join timeout exits; it is started again. */
    private static final int START_ATTEMPTS = 5;
    private static final Pattern HEAP_USED = Pattern.compile("garbage-first heap\\s+total \\d+K, used (\\d+)K");

    private ScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, FLAGS);
        int destinations = flags.integer("destinations", 100, 1);
        int partitions = flags.integer("partitions", 100, 1);
        String heap = flags.string("heap", "2g");
        BuildPaths build = BuildPaths.locate();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        Path out = Path.of(flags.string("out", build.buildDir().resolve("cluster-bench").toString()));
        Path dir = out.resolve("scale-" + stamp);
        Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::killAll));
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "Scale benchmark %s: 3 brokers, %d queues "
                + "x %d partitions = %d partitions, replication factor 3, broker heap %s%n", stamp, destinations,
                partitions, destinations * partitions, heap));
        int total = 6 + destinations * partitions; // the internal logs too

        try (StrandNodes nodes = new StrandNodes(dir, build.brokerJar(), build.benchClasses(), 3,
                List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"), "");
             CpuSampler cpu = new CpuSampler()) {
            long start = System.nanoTime();
            nodes.startAll();
            int active = nodes.awaitActive(0, start, WAIT).broker();
            nodes.awaitInSync(6, start, WAIT);
            log("cluster up, broker %d active", active);

            long createStart = System.nanoTime();
            try (StrandAdmin admin = StrandAdmin.connect(nodes.clientUrl(active), null, null)) {
                for (int d = 0; d < destinations; d++) {
                    admin.createDestination(DestinationType.QUEUE, "scale-" + d, partitions);
                    if ((d + 1) % Math.max(1, destinations / 10) == 0) {
                        log("%d of %d queues created, %.1f s", d + 1, destinations, secondsSince(createStart));
                    }
                }
            }
            long created = System.nanoTime();
            long inSync = nodes.awaitInSync(total, start, WAIT);
            line(report, "create %d partitions (%d admin requests): %.1f s (%.1f ms per partition); every one with "
                    + "all 3 brokers in sync %.1f s after the first request; foreign CPU meanwhile %.0f%% of one core",
                    destinations * partitions, destinations, (created - createStart) / 1e9,
                    (created - createStart) / 1e6 / (destinations * partitions), (inSync - createStart) / 1e9,
                    cpu.foreignPct(createStart, inSync));
            Thread.sleep(5_000);
            memory(nodes, report, "after creation");
            metadata(nodes, report);

            int follower = nodes.followers(true).stream().findFirst().orElseGet(() -> nodes.followers(false).get(0));
            long killedFollower = nodes.kill9(follower);
            long outOfSync = nodes.awaitOutOfSync(follower, killedFollower, WAIT);
            line(report, "follower broker %d killed (kill -9): out of every ISR %.1f s later", follower,
                    (outOfSync - killedFollower) / 1e9);
            long restart = System.nanoTime();
            int attempts = nodes.relaunchUntilReady(follower, START_ATTEMPTS, WAIT);
            long ready = nodes.awaitReady(follower, WAIT);
            long rejoined = nodes.awaitInSync(total, restart, WAIT);
            line(report, "follower broker %d killed (kill -9) and restarted: ready %.1f s after the first launch (%d "
                    + "attempt(s)), every partition in sync %.1f s after it", follower, (ready - restart) / 1e9,
                    attempts,
                    (rejoined - restart) / 1e9);

            int victim = nodes.active().orElseThrow();
            long killed = nodes.kill9(victim);
            StrandNodes.Event next = nodes.awaitActive(victim, killed, WAIT);
            long serving = awaitClient(nodes.multiHostUrl(), WAIT);
            line(report, "active broker %d killed: broker %d logged that it is active %.1f s later; a client's session "
                    + "opened %.1f s after the kill", victim, next.broker(), (next.nanos() - killed) / 1e9,
                    (serving - killed) / 1e9);
            nodes.awaitOutOfSync(victim, killed, WAIT);
            restart = System.nanoTime();
            attempts = nodes.relaunchUntilReady(victim, START_ATTEMPTS, WAIT);
            rejoined = nodes.awaitInSync(total, restart, WAIT);
            line(report, "the killed active broker restarted (%d attempt(s)): every partition in sync %.1f s after "
                    + "the first launch", attempts, (rejoined - restart) / 1e9);
            memory(nodes, report, "at the end");
            metadata(nodes, report); // the ISR changes of the kills grew the Raft log: a snapshot by now
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("scale-summary-" + stamp + ".txt"), report.toString());
        System.out.print(report);
    }

    /** Waits until a client connects to the cluster and opens a session; returns when it did. */
    private static long awaitClient(String multiHostUrl, Duration timeout)
            throws InterruptedException, TimeoutException {
        StrandConnectionFactory factory = new StrandConnectionFactory(multiHostUrl + "?failoverTimeoutMs=1000");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = factory.createConnection()) {
                connection.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
                return System.nanoTime();
            } catch (JMSException e) {
                Thread.sleep(50);
            }
        }
        throw new TimeoutException("no broker of " + multiHostUrl + " served a client within " + timeout.toSeconds()
                + " s");
    }

    /** Each broker's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}) and its resident memory. */
    private static void memory(StrandNodes nodes, StringBuilder report, String when) throws Exception {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : nodes.pids().entrySet()) {
            jcmd(e.getValue(), "GC.run");
            Matcher m = HEAP_USED.matcher(jcmd(e.getValue(), "GC.heap_info"));
            String used = m.find() ? String.format(Locale.ROOT, "%.0f MiB", Long.parseLong(m.group(1)) / 1024.0) : "?";
            parts.add(String.format(Locale.ROOT, "broker %d%s heap %s, RSS %.0f MiB", e.getKey(),
                    nodes.active().orElse(-1).equals(e.getKey()) ? " (active)" : "", used,
                    rssKiB(e.getValue()) / 1024.0));
        }
        line(report, "memory %s, after a full GC: %s", when, String.join("; ", parts));
    }

    /** The size of each broker's controller metadata directory, and its files. */
    private static void metadata(StrandNodes nodes, StringBuilder report) throws IOException {
        for (int id : nodes.ids()) {
            Path meta = nodes.dataDir(id).resolve("cluster-metadata");
            List<String> files = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(meta)) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    files.add(String.format(Locale.ROOT, "%s %,d B", meta.relativize(f), Files.size(f)));
                }
            }
            line(report, "broker %d cluster-metadata: %,d B in all (%s)", id, Trees.size(meta),
                    String.join(", ", files));
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return output;
    }

    private static long rssKiB(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static void line(StringBuilder report, String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        report.append(text).append(System.lineSeparator());
        log("%s", text);
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%s] %s%n", java.time.LocalTime.now().withNano(0),
                String.format(Locale.ROOT, format, args));
    }
}
