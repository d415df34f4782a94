package io.strand.bench.jms.client;

import io.strand.bench.jms.process.Flags;
import io.strand.bench.jms.process.OrphanGuard;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The load generator JVM of the JMS system benchmark, started by
 * {@link io.strand.bench.jms.JmsSystemBenchmark} once per broker and round, on a classpath with only
 * that broker's client. It builds the {@link ConnectionFactory} from its class name and URL (the one
 * thing that differs between brokers), runs every workload once unreported with the warm-up count
 * (JIT of client and broker), then once measured, each on a fresh queue: preload, then drain. Each
 * measurement is printed as a line {@value #RESULT_PREFIX}&lt;{@link WorkloadResult#toCsv()}&gt; on
 * standard output; progress goes to standard error.
 */
public final class LoadGenerator {
    public static final String RESULT_PREFIX = "RESULT ";
    private static final Set<String> FLAGS = Set.of("connection-factory", "url", "broker-pid", "messages", "warmup",
            "payload", "consumers", "workloads", "idle-timeout-ms", "grace-ms");

    private final List<Workload> workloads;
    private final int messages;
    private final int warmupMessages;
    private final int payloadBytes;
    private final int consumers;
    private final Preloader preloader;
    private final SingleConsumerDrain single;
    private final CompetingConsumersDrain competing;
    private final PrintStream results;

    LoadGenerator(ConnectionFactory factory, Flags flags, PrintStream results) {
        this.workloads = Workload.parseList(flags.string("workloads", "all"));
        this.messages = flags.integer("messages", 200_000, 10);
        this.warmupMessages = flags.integer("warmup", 50_000, 0);
        this.payloadBytes = flags.integer("payload", 1024, 1);
        this.consumers = flags.integer("consumers", 4, 1);
        long brokerPid = flags.number("broker-pid", -1, -1);
        long idleTimeoutMs = flags.number("idle-timeout-ms", 30_000, 1000);
        long graceMs = flags.number("grace-ms", 500, 0);
        this.preloader = new Preloader(factory, brokerPid, idleTimeoutMs);
        this.single = new SingleConsumerDrain(factory, brokerPid, idleTimeoutMs, graceMs);
        this.competing = new CompetingConsumersDrain(factory, brokerPid, idleTimeoutMs, graceMs);
        this.results = results;
    }

    public static void main(String[] args) throws Exception {
        OrphanGuard.start();
        Flags flags = Flags.parse(args, FLAGS);
        ConnectionFactory factory = connectionFactory(flags.required("connection-factory"), flags.required("url"));
        new LoadGenerator(factory, flags, System.out).run();
        // Some clients keep non-daemon threads after every connection is closed.
        System.exit(0);
    }

    void run() throws InterruptedException {
        if (warmupMessages > 0) {
            for (Workload workload : workloads) {
                for (WorkloadResult result : runWorkload(workload, warmupMessages, true)) {
                    System.err.println("warm-up " + result.toCsv());
                }
            }
        }
        for (Workload workload : workloads) {
            for (WorkloadResult result : runWorkload(workload, messages, false)) {
                results.println(RESULT_PREFIX + result.toCsv());
                results.flush();
            }
        }
    }

    /** Preloads the workload's queue and drains it: the send's row and the drain's row (or its failure). */
    private List<WorkloadResult> runWorkload(Workload workload, int count, boolean warmUp)
            throws InterruptedException {
        Backlog backlog = new Backlog(workload.queueName(warmUp), count, payloadBytes, workload == Workload.SELECTOR);
        List<WorkloadResult> rows = new ArrayList<>();
        try {
            WorkloadResult send = preloader.fill(backlog);
            rows.add(send);
            if (!send.ok()) {
                rows.add(WorkloadResult.failed(workload.id(), "the preload failed: " + send.detail()));
                return rows;
            }
            rows.add(switch (workload) {
                case DRAIN_AUTO -> single.drain(workload.id(), backlog, Session.AUTO_ACKNOWLEDGE, null,
                        DeliveryLedger.all(count));
                case DRAIN_DUPS_OK -> single.drain(workload.id(), backlog, Session.DUPS_OK_ACKNOWLEDGE, null,
                        DeliveryLedger.all(count));
                case COMPETING -> competing.drain(workload.id(), backlog, consumers);
                case SELECTOR -> selectorDrain(backlog);
            });
        } catch (JMSException | RuntimeException e) {
            rows.add(WorkloadResult.failed(workload.id(), "failed with " + describe(e)));
        }
        return rows;
    }

    /**
     * The selector consumer must receive exactly the matching messages; afterwards a plain consumer must
     * find exactly the others still in the queue (a broker that dropped what the selector skipped fails).
     */
    private WorkloadResult selectorDrain(Backlog backlog) throws JMSException {
        String id = Workload.SELECTOR.id();
        DeliveryLedger matching = new DeliveryLedger(backlog.messages(), Backlog::matchesSelector,
                "the selector " + Backlog.SELECTOR + " matches only every tenth message");
        WorkloadResult drained = single.drain(id, backlog, Session.AUTO_ACKNOWLEDGE, Backlog.SELECTOR, matching);
        if (!drained.ok()) {
            return drained;
        }
        DeliveryLedger others = new DeliveryLedger(backlog.messages(), seq -> !Backlog.matchesSelector(seq),
                "only the messages the selector did not match should be left");
        WorkloadResult rest = single.drain(id, backlog, Session.DUPS_OK_ACKNOWLEDGE, null, others);
        if (!rest.ok()) {
            return WorkloadResult.failed(id, "the selector consumer got its messages but the rest of the queue "
                    + "was wrong afterwards: " + rest.detail());
        }
        return new WorkloadResult(id, true, drained.messages(), drained.seconds(), drained.startToLastSeconds(),
                drained.cpu(), "selector " + Backlog.SELECTOR + " received exactly the " + matching.expectedCount()
                + " matching of " + backlog.messages() + " messages; the other " + others.expectedCount()
                + " were left in the queue");
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            text.append(" caused by ").append(cause);
        }
        return text.toString();
    }

    static ConnectionFactory connectionFactory(String className, String url) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className);
        if (!ConnectionFactory.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(className + " is not a jakarta.jms.ConnectionFactory");
        }
        try {
            return (ConnectionFactory) type.getConstructor(String.class).newInstance(url);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("cannot create " + className + " for " + url + ": " + e.getCause(), e);
        }
    }
}
