package io.strand.bench.cluster;

import io.strand.bench.jms.process.Flags;
import java.io.IOException;
import java.io.PrintWriter;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Failover under load on a three-broker cluster on this machine. A steady stream of persistent 1 KiB sends
 * ({@link FailoverLoad}: several producer threads and consumer threads, each on its own connection) runs while
 * the benchmark kills brokers with {@code kill -9}: first the active broker, {@code --kills} times, then a plain
 * follower (neither active nor controller), then the controller (the Raft leader). After each kill the broker is
 * started again on its data and the next kill waits until every partition has all three brokers in sync again.
 *
 * <p>For every kill and every client thread it records the longest pause in acknowledged sends (producers) or
 * receipts (consumers) from 1 s before the kill until the killed broker is started again (the clients have all
 * resumed by then), and apart from that the longest pause while it restarts and catches up; and from the
 * brokers' logs the time until another broker became active and, when the controller was killed, until a new
 * one was elected. Output: {@code kills-<stamp>.csv} (one row per kill), {@code summary-<stamp>.txt} (medians and
 * maxima per kind of kill) and the brokers' logs, under {@code --out}.
 *
 * <pre>scripts/cluster-bench.sh failover [--kills 20] [--client product|reconnecting] ...</pre>
 */
public final class FailoverBench {
    private static final Set<String> FLAGS = Set.of("kills", "follower-kills", "controller-kills", "rate", "producers",
            "consumers", "payload", "client", "client-options", "heap", "out", "warmup-sec", "settle-sec",
            "baseline-sec", "broker-settings");
    private static final String QUEUE = "failover-bench";
    /** The six internal logs every cluster has. */
    private static final int INTERNAL_PARTITIONS = 6;
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** One kill and what followed it, in nanoTime; -1 where it does not apply. */
    record Kill(String kind, int number, int victim, boolean wasActive, boolean wasController, String killedAtUtc,
                long killedAt,
                long newActiveAt, long newControllerAt, long clientsResumedAt, long restartedAt, long readyAt,
                long inSyncAt, long windowEnd) {
    }

    private FailoverBench() {
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, FLAGS);
        int kills = flags.integer("kills", 20, 0);
        int followerKills = flags.integer("follower-kills", 5, 0);
        int controllerKills = flags.integer("controller-kills", 5, 0);
        int rate = flags.integer("rate", 1000, 1);
        int producers = flags.integer("producers", 4, 1);
        int consumers = flags.integer("consumers", 2, 1);
        int payload = flags.integer("payload", 1024, 1);
        String client = flags.string("client", "product");
        String clientOptions = flags.string("client-options", "");
        String heap = flags.string("heap", "512m");
        int warmupSec = flags.integer("warmup-sec", 10, 0);
        int settleSec = flags.integer("settle-sec", 2, 0);
        int baselineSec = flags.integer("baseline-sec", 10, 1);
        String brokerSettings = flags.string("broker-settings", "").replace(',', '\n');
        BuildPaths build = BuildPaths.locate();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        Path out = Path.of(flags.string("out", build.buildDir().resolve("cluster-bench").toString()));
        Path dir = out.resolve("failover-" + stamp);
        Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::killAll));

        List<Kill> done = new ArrayList<>();
        String failure = null;
        FailoverLoad load = null;
        long baselineFrom;
        long baselineTo;
        try (StrandNodes nodes = new StrandNodes(dir, build.brokerJar(), build.benchClasses(), 3,
                List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"), brokerSettings.isEmpty() ? ""
                        : brokerSettings + "\n");
             CpuSampler cpu = new CpuSampler()) {
            long start = System.nanoTime();
            nodes.startAll();
            int active = nodes.awaitActive(0, start, WAIT).broker();
            nodes.awaitInSync(INTERNAL_PARTITIONS, start, WAIT);
            log("cluster up in %.1f s, broker %d active, controller %s", seconds(System.nanoTime() - start), active,
                    nodes.controller().map(c -> "broker " + c.broker()).orElse("unknown"));

            ConnectionSource source = switch (client) {
                case "product" -> ConnectionSource.productFailover(nodes.multiHostUrl()
                        + (clientOptions.isEmpty() ? "" : "?" + clientOptions));
                case "reconnecting" -> ConnectionSource.reconnecting(nodes.ids().stream().map(nodes::clientUrl)
                        .toList(), TimeUnit.SECONDS.toMillis(60));
                default -> throw new IllegalArgumentException("--client must be product or reconnecting, not "
                        + client);
            };
            load = new FailoverLoad(source, QUEUE, producers, consumers, rate, payload);
            load.start();
            int partitions = INTERNAL_PARTITIONS + consumers; // a queue of one partition per consumer
            awaitEvents(nodes, load, System.nanoTime(), WAIT);
            nodes.awaitInSync(partitions, start, WAIT);
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSec));
            baselineFrom = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(baselineSec));
            baselineTo = System.nanoTime();
            log("load running: %d producers, %d consumers, %d msgs/s; %d sends acknowledged so far", producers,
                    consumers, rate, load.acknowledged());

            for (int n = 1; n <= kills + followerKills + controllerKills; n++) {
                String kind = n <= kills ? "active" : n <= kills + followerKills ? "follower" : "controller";
                int victim = switch (kind) {
                    case "active" -> nodes.active().orElseThrow(() -> new IllegalStateException("no active broker"));
                    case "follower" -> nodes.followers(true).stream().findFirst()
                            .orElseGet(() -> nodes.followers(false).get(0));
                    default -> nodes.controller().orElseThrow().broker();
                };
                try {
                    done.add(killAndRejoin(nodes, load, kind, n, victim, settleSec, partitions));
                } catch (TimeoutException e) {
                    log("kill %d (%s) of broker %d: the cluster did not recover: %s; reporting the kills before it",
                            n, kind, victim, e.getMessage());
                    failure = "kill " + n + " (" + kind + ", broker " + victim + "): " + e.getMessage();
                    break;
                }
                Kill k = done.get(done.size() - 1);
                log("kill %d (%s): broker %d%s%s; new active after %s, new controller after %s, clients resumed after "
                        + "%s, back in sync %.1f s after its restart; lost so far %d", n, kind, victim,
                        k.wasActive() ? " [active]" : "", k.wasController() ? " [controller]" : "",
                        ms(k.newActiveAt(), k.killedAt()), ms(k.newControllerAt(), k.killedAt()),
                        ms(k.clientsResumedAt(), k.killedAt()), seconds(k.inSyncAt() - k.restartedAt()),
                        load.lostAcknowledged());
            }
            load.stopProducing();
            long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (load.lostAcknowledged() > 0 && System.nanoTime() < drainEnd) {
                Thread.sleep(200);
            }
            load.close();
            Files.createDirectories(out);
            report(out, stamp, done, load, cpu, baselineFrom, baselineTo, client, rate, producers, consumers, payload,
                    failure);
        } finally {
            if (load != null) {
                load.close();
            }
        }
    }

    private static Kill killAndRejoin(StrandNodes nodes, FailoverLoad load, String kind, int n, int victim,
                                      int settleSec, int partitions) throws Exception {
        int active = nodes.active().orElse(-1);
        StrandNodes.Controller controller = nodes.controller().orElseThrow();
        boolean wasActive = victim == active;
        boolean wasController = victim == controller.broker();
        String wallClock = java.time.LocalTime.now(ZoneOffset.UTC).toString();
        long killedAt = nodes.kill9(victim);
        long newActiveAt = wasActive ? nodes.awaitActive(victim, killedAt, WAIT).nanos() : -1;
        long newControllerAt = wasController ? nodes.awaitController(controller.term(), WAIT).nanos() : -1;
        long resumedAt = awaitEvents(nodes, load, killedAt, WAIT);
        // Restarted earlier, it would count as in sync at once.
        nodes.awaitOutOfSync(victim, killedAt, WAIT);
        long restartedAt = System.nanoTime();
        nodes.launch(victim);
        long readyAt = nodes.awaitReady(victim, WAIT);
        long inSyncAt;
        try {
            inSyncAt = nodes.awaitInSync(partitions, restartedAt, WAIT);
        } catch (TimeoutException e) {
            log("%s; thread dumps of the brokers: %s", e.getMessage(), nodes.dumpThreads());
            throw e;
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(settleSec));
        return new Kill(kind, n, victim, wasActive, wasController, wallClock, killedAt, newActiveAt, newControllerAt,
                resumedAt, restartedAt, readyAt, inSyncAt, System.nanoTime());
    }

    /** Waits until every client thread had an event after {@code since}; returns when the last one had. */
    private static long awaitEvents(StrandNodes nodes, FailoverLoad load, long since, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Timeline> all = new ArrayList<>(load.sendTimelines());
        all.addAll(load.receiveTimelines());
        long lastNote = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long latestFirst = Long.MIN_VALUE;
            boolean everyone = true;
            for (Timeline t : all) {
                long[] events = t.snapshot();
                int i = java.util.Arrays.binarySearch(events, since);
                i = i >= 0 ? i : -i - 1;
                if (i == events.length) {
                    everyone = false;
                    break;
                }
                latestFirst = Math.max(latestFirst, events[i]);
            }
            if (everyone) {
                return latestFirst;
            }
            if (System.nanoTime() - lastNote > TimeUnit.SECONDS.toNanos(10)) {
                lastNote = System.nanoTime();
                log("a client thread has not resumed yet; the last client failure: %s", load.lastFailure());
            }
            Thread.sleep(10);
        }
        throw new TimeoutException("a client thread had nothing acknowledged or received for "
                + timeout.toSeconds() + " s; the last client failure: " + load.lastFailure()
                + "; thread dumps of the brokers: " + nodes.dumpThreads());
    }

    private static void report(Path out, String stamp, List<Kill> kills, FailoverLoad load, CpuSampler cpu,
                               long baselineFrom, long baselineTo, String client, int rate, int producers,
                               int consumers, int payload, String failure) throws IOException {
        List<long[]> sends = load.sendTimelines().stream().map(Timeline::snapshot).toList();
        List<long[]> receipts = load.receiveTimelines().stream().map(Timeline::snapshot).toList();
        Path csv = out.resolve("kills-" + stamp + ".csv");
        List<String> threadNames = new ArrayList<>();
        load.sendTimelines().forEach(t -> threadNames.add(t.name()));
        load.receiveTimelines().forEach(t -> threadNames.add(t.name()));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            w.println("kind,number,killed_at_utc,victim,was_active,was_controller,new_active_ms,new_controller_ms,"
                    + "clients_resumed_ms,restart_to_ready_ms,restart_to_in_sync_ms,max_send_gap_ms,max_receive_gap_ms,"
                    + "rejoin_max_send_gap_ms,rejoin_max_receive_gap_ms,foreign_cpu_pct,"
                    + threadNames.stream().map(n -> n + "_gap_ms").collect(Collectors.joining(",")));
            for (Kill k : kills) {
                List<Double> sendGaps = gaps(sends, k);
                List<Double> receiveGaps = gaps(receipts, k);
                List<Double> all = new ArrayList<>(sendGaps);
                all.addAll(receiveGaps);
                w.printf(Locale.ROOT, "%s,%d,%s,%d,%b,%b,%s,%s,%s,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%s%n", k.kind(),
                        k.number(), k.killedAtUtc(), k.victim(), k.wasActive(), k.wasController(),
                        ms(k.newActiveAt(), k.killedAt()),
                        ms(k.newControllerAt(), k.killedAt()), ms(k.clientsResumedAt(), k.killedAt()),
                        (k.readyAt() - k.restartedAt()) / 1e6, (k.inSyncAt() - k.restartedAt()) / 1e6,
                        Gaps.max(sendGaps), Gaps.max(receiveGaps), Gaps.max(rejoinGaps(sends, k)),
                        Gaps.max(rejoinGaps(receipts, k)), cpu.foreignPct(k.killedAt(), k.windowEnd()),
                        all.stream().map(g -> String.format(Locale.ROOT, "%.0f", g)).collect(Collectors.joining(",")));
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Failover benchmark %s: 3 brokers, client %s, %d msgs/s of %d B persistent "
                + "sends from %d producers, %d consumers%n", stamp, client, rate, payload, producers, consumers));
        List<Double> baseSend = sends.stream().map(e -> Gaps.longest(e, baselineFrom, baselineTo) / 1e6).toList();
        List<Double> baseReceive = receipts.stream().map(e -> Gaps.longest(e, baselineFrom, baselineTo) / 1e6).toList();
        s.append(String.format(Locale.ROOT, "no kill (%.0f s): longest gap per thread, sends max %.0f ms, receipts max "
                + "%.0f ms%n", (baselineTo - baselineFrom) / 1e9, Gaps.max(baseSend), Gaps.max(baseReceive)));
        for (String kind : List.of("active", "follower", "controller")) {
            List<Kill> of = kills.stream().filter(k -> k.kind().equals(kind)).toList();
            if (of.isEmpty()) {
                continue;
            }
            List<Double> worstSend = of.stream().map(k -> Gaps.max(gaps(sends, k))).toList();
            List<Double> worstReceive = of.stream().map(k -> Gaps.max(gaps(receipts, k))).toList();
            List<Double> everySend = of.stream().flatMap(k -> gaps(sends, k).stream()).toList();
            List<Double> everyReceive = of.stream().flatMap(k -> gaps(receipts, k).stream()).toList();
            List<Double> rejoinSend = of.stream().map(k -> Gaps.max(rejoinGaps(sends, k))).toList();
            List<Double> rejoinReceive = of.stream().map(k -> Gaps.max(rejoinGaps(receipts, k))).toList();
            List<Double> newActive = of.stream().filter(Kill::wasActive)
                    .map(k -> (k.newActiveAt() - k.killedAt()) / 1e6).toList();
            List<Double> election = of.stream().filter(Kill::wasController)
                    .map(k -> (k.newControllerAt() - k.killedAt()) / 1e6).toList();
            List<Double> rejoin = of.stream().map(k -> (k.inSyncAt() - k.restartedAt()) / 1e6).toList();
            List<Double> foreign = of.stream().map(k -> cpu.foreignPct(k.killedAt(), k.windowEnd())).toList();
            s.append(String.format(Locale.ROOT, "%s kills: %d%n", kind, of.size()));
            s.append(String.format(Locale.ROOT, "  longest send gap, worst thread per kill: median %.0f ms, max %.0f ms"
                    + " (every thread and kill: median %.0f ms)%n", Gaps.median(worstSend), Gaps.max(worstSend),
                    Gaps.median(everySend)));
            s.append(String.format(Locale.ROOT, "  longest receive gap, worst thread per kill: median %.0f ms, "
                    + "max %.0f ms (every thread and kill: median %.0f ms)%n", Gaps.median(worstReceive),
                    Gaps.max(worstReceive), Gaps.median(everyReceive)));
            s.append(String.format(Locale.ROOT, "  while the killed broker restarts and catches up, longest gap of the "
                    + "worst thread: sends median %.0f ms, max %.0f ms; receipts median %.0f ms, max %.0f ms%n",
                    Gaps.median(rejoinSend), Gaps.max(rejoinSend), Gaps.median(rejoinReceive),
                    Gaps.max(rejoinReceive)));
            if (!newActive.isEmpty()) {
                s.append(String.format(Locale.ROOT, "  kill to another broker active (its log): median %.0f ms, max "
                        + "%.0f ms (%d kills)%n", Gaps.median(newActive), Gaps.max(newActive), newActive.size()));
            }
            if (!election.isEmpty()) {
                s.append(String.format(Locale.ROOT, "  kill of the Raft leader to a new controller (its log): median "
                        + "%.0f ms, max %.0f ms (%d kills)%n", Gaps.median(election), Gaps.max(election),
                        election.size()));
            }
            s.append(String.format(Locale.ROOT, "  restart of the killed broker to all partitions in sync: median %.1f "
                    + "s, max %.1f s%n", Gaps.median(rejoin) / 1000, Gaps.max(rejoin) / 1000));
            s.append(String.format(Locale.ROOT, "  foreign CPU (other processes) during the kills: median %.0f%% of "
                    + "one core%n", Gaps.median(foreign)));
        }
        s.append(String.format(Locale.ROOT, "sends acknowledged %d, failed (sent again) %d; receive failures %d; "
                + "acknowledged but never received %d; received twice %d%n", load.acknowledged(), load.sendFailures(),
                load.receiveFailures(), load.lostAcknowledged(), load.duplicates()));
        if (failure != null) {
            s.append("STOPPED EARLY at ").append(failure).append(System.lineSeparator());
        }
        Files.writeString(out.resolve("summary-" + stamp + ".txt"), s.toString());
        System.out.print(s);
        System.out.println("rows: " + csv);
    }

    /** Each thread's longest pause from 1 s before the kill until the killed broker was started again. */
    private static List<Double> gaps(List<long[]> timelines, Kill k) {
        long from = k.killedAt() - TimeUnit.SECONDS.toNanos(1);
        return timelines.stream().map(e -> Gaps.longest(e, from, k.restartedAt()) / 1e6).toList();
    }

    /** Each thread's longest pause while the killed broker started again and caught up (and 2 s more). */
    private static List<Double> rejoinGaps(List<long[]> timelines, Kill k) {
        return timelines.stream().map(e -> Gaps.longest(e, k.restartedAt(), k.windowEnd()) / 1e6).toList();
    }

    private static String ms(long at, long since) {
        return at < 0 ? "" : String.format(Locale.ROOT, "%.0f", (at - since) / 1e6);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%s] " + format + "%n", prepend(java.time.LocalTime.now().withNano(0), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
