package io.strand.bench.jms.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CPU used during one measurement window, in percent of one core: by the broker process, by this
 * process (the load generator), and by everything else on the machine ("foreign"). Every workload is
 * CPU-bound on a small machine, so a row measured while another build ran is recognisable by its
 * foreign share. Process times come from {@link ProcessHandle}; the machine's busy time from
 * {@code /proc/stat} (Linux), and foreign is NaN where that file does not exist.
 */
public final class CpuWindow {
    /** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final ProcessHandle broker;
    private final long startNanos;
    private final long brokerStartCpu;
    private final long selfStartCpu;
    private final double machineStartBusy;

    private CpuWindow(ProcessHandle broker) {
        this.broker = broker;
        this.startNanos = System.nanoTime();
        this.brokerStartCpu = cpuNanos(broker);
        this.selfStartCpu = cpuNanos(ProcessHandle.current());
        this.machineStartBusy = machineBusySeconds();
    }

    /** Opens a window now; {@code brokerPid} may be -1 when the broker's process is unknown. */
    public static CpuWindow open(long brokerPid) {
        return new CpuWindow(brokerPid > 0 ? ProcessHandle.of(brokerPid).orElse(null) : null);
    }

    /** Closes the window now. */
    public Usage close() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double brokerSeconds = (cpuNanos(broker) - brokerStartCpu) / 1e9;
        double selfSeconds = (cpuNanos(ProcessHandle.current()) - selfStartCpu) / 1e9;
        double machineSeconds = machineBusySeconds() - machineStartBusy;
        double brokerPct = broker == null || wall <= 0 ? Double.NaN : 100 * brokerSeconds / wall;
        double selfPct = wall <= 0 ? Double.NaN : 100 * selfSeconds / wall;
        double foreignPct = Double.isNaN(machineSeconds) || Double.isNaN(brokerPct) || wall <= 0 ? Double.NaN
                : Math.max(0, 100 * (machineSeconds - brokerSeconds - selfSeconds) / wall);
        return new Usage(brokerPct, selfPct, foreignPct);
    }

    /** How busy the whole machine is over {@code sample}, in percent of all its cores; NaN off Linux. */
    public static double machineBusyPercent(Duration sample) throws InterruptedException {
        double before = machineBusySeconds();
        long start = System.nanoTime();
        Thread.sleep(sample.toMillis());
        double busy = machineBusySeconds() - before;
        double wall = (System.nanoTime() - start) / 1e9;
        return 100 * busy / (wall * Runtime.getRuntime().availableProcessors());
    }

    private static long cpuNanos(ProcessHandle process) {
        if (process == null) {
            return 0;
        }
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Busy CPU seconds of all cores since boot: user, nice, system, irq, softirq and steal. */
    private static double machineBusySeconds() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long busy = 0;
            for (int column : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[column]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU in percent of one core (200 = two cores busy) during the window.
     *
     * @param brokerPct  the broker process
     * @param clientPct  the load generator (this process)
     * @param foreignPct every other process on the machine
     */
    public record Usage(double brokerPct, double clientPct, double foreignPct) {
        public static final Usage UNKNOWN = new Usage(Double.NaN, Double.NaN, Double.NaN);
    }
}
