package io.strand.bench.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used by named processes during one measurement, in percent of one core (200 = both cores of this machine),
 * plus this process ({@code loadgen}) and everything else ({@code foreign}). Uses only the JDK, so that it runs
 * on the Kafka load generator's classpath too.
 */
public final class CpuWindow {
    public static final String SELF = "loadgen";
    public static final String FOREIGN = "foreign";

    private final Map<String, Long> pids;
    private final Map<String, Double> start = new LinkedHashMap<>();
    private final long startNanos;
    private final double machineStart;

    private CpuWindow(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.pids.put(SELF, ProcessHandle.current().pid());
        this.pids.forEach((name, pid) -> start.put(name, NodeProcess.cpuSeconds(pid)));
        this.machineStart = CpuSampler.machineBusySeconds();
        this.startNanos = System.nanoTime();
    }

    /** Opens a window now over {@code pids} (name to process id). */
    public static CpuWindow open(Map<String, Long> pids) {
        return new CpuWindow(pids);
    }

    /** Closes it: each name's CPU, {@link #SELF} and {@link #FOREIGN}, in percent of one core. */
    public Map<String, Double> close() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> pct = new LinkedHashMap<>();
        double own = 0;
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            double used = NodeProcess.cpuSeconds(e.getValue()) - start.get(e.getKey());
            own += used;
            pct.put(e.getKey(), 100 * used / wall);
        }
        double machine = CpuSampler.machineBusySeconds() - machineStart;
        pct.put(FOREIGN, Double.isNaN(machine) ? Double.NaN : Math.max(0, 100 * (machine - own) / wall));
        return pct;
    }
}
