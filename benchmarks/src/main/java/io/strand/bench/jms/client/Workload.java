package io.strand.bench.jms.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The measured workloads; each gets a fresh queue preloaded with the run's messages. */
public enum Workload {
    /** The shared harness' W3 AUTO row: one consumer drains the backlog, acknowledging every message. */
    DRAIN_AUTO("drain-auto", "drain, 1 consumer, AUTO_ACKNOWLEDGE"),
    /** The shared harness' W3 DUPS_OK row: acknowledgements may be batched. */
    DRAIN_DUPS_OK("drain-dups-ok", "drain, 1 consumer, DUPS_OK_ACKNOWLEDGE"),
    /** Competing consumers, each on its own connection, drain one backlog together. */
    COMPETING("competing", "drain, competing consumers on their own connections, AUTO_ACKNOWLEDGE"),
    /** One consumer whose selector matches every tenth message takes exactly those; rate = matched messages. */
    SELECTOR("selector", "drain of the 10% matching color = 'red', 1 consumer, AUTO_ACKNOWLEDGE");

    private final String id;
    private final String description;

    Workload(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The queue this workload uses; warm-up runs get queues of their own. */
    String queueName(boolean warmUp) {
        return (warmUp ? "jmsbench.warmup." : "jmsbench.") + id;
    }

    public static Workload byId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'; known: " + ids(List.of(values())));
    }

    /** Parses a comma-separated list of workload ids; "all" stands for every workload. */
    public static List<Workload> parseList(String ids) {
        if (ids.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        List<Workload> list = new ArrayList<>();
        for (String id : ids.split(",")) {
            list.add(byId(id));
        }
        return List.copyOf(list);
    }

    public static String ids(List<Workload> workloads) {
        return String.join(",", workloads.stream().map(Workload::id).toList());
    }
}
