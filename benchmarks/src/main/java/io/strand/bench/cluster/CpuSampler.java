package io.strand.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Samples, once a second, how much CPU this benchmark's own processes (this JVM and every process it started)
 * used and how much everything else on the machine did ("foreign": other builds sharing the 2 cores), in percent
 * of one core. Linux only ({@code /proc/stat}); elsewhere foreign is NaN.
 */
public final class CpuSampler implements AutoCloseable {
    /** /proc/stat counts in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** One sample: the second ending at {@code nanos}. */
    public record Sample(long nanos, double ownPct, double foreignPct) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<Long, Double> lastCpu = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    public CpuSampler() {
        thread = new Thread(this::run, "cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long lastNanos = System.nanoTime();
        double lastMachine = machineBusySeconds();
        ownDelta();
        while (!closed) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            double machine = machineBusySeconds();
            double own = ownDelta();
            double wall = (now - lastNanos) / 1e9;
            double foreign = Math.max(0, machine - lastMachine - own);
            synchronized (samples) {
                samples.add(new Sample(now, 100 * own / wall, 100 * foreign / wall));
            }
            lastNanos = now;
            lastMachine = machine;
        }
    }

    /** CPU seconds this JVM and its descendants used since the last call (a killed process loses its last part). */
    private double ownDelta() {
        double delta = 0;
        Map<Long, Double> seen = new HashMap<>();
        List<ProcessHandle> own = Stream.concat(Stream.of(ProcessHandle.current()),
                ProcessHandle.current().descendants()).toList();
        for (ProcessHandle p : own) {
            double cpu = p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
            delta += cpu - lastCpu.getOrDefault(p.pid(), 0.0);
            seen.put(p.pid(), cpu);
        }
        lastCpu.clear();
        lastCpu.putAll(seen);
        return delta;
    }

    /** The mean foreign CPU of the samples within {@code [from, to]}, in percent of one core; NaN without any. */
    public double foreignPct(long from, long to) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.nanos() >= from && s.nanos() <= to)
                    .mapToDouble(Sample::foreignPct).average().orElse(Double.NaN);
        }
    }

    /** The mean CPU of this benchmark's processes within {@code [from, to]}, in percent of one core. */
    public double ownPct(long from, long to) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.nanos() >= from && s.nanos() <= to)
                    .mapToDouble(Sample::ownPct).average().orElse(Double.NaN);
        }
    }

    /** Busy CPU seconds of all cores since boot (user, nice, system, irq, softirq, steal); NaN off Linux. */
    public static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int column : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[column]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
