package io.strand.bench.cluster;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One workload's result as the throughput load generators print it ({@code RESULT } + {@link #toLine()}) and the
 * benchmark reads it back ({@link #parse}): messages, seconds, and the CPU of every process during it.
 *
 * @param cpu process name ({@code broker-1}, {@code kafka-2}, {@code loadgen}, {@code foreign}) to percent of one core
 */
public record ThroughputRow(String workload, long messages, double seconds, Map<String, Double> cpu, String note) {
    public static final String PREFIX = "RESULT ";

    public double rate() {
        return seconds > 0 ? messages / seconds : Double.NaN;
    }

    /** {@code workload|messages|seconds|name=pct;name=pct|note}; the note may hold anything but a line break. */
    public String toLine() {
        return String.join("|", workload, Long.toString(messages), String.format(Locale.ROOT, "%.3f", seconds),
                cpu.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s=%.1f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(";")), note.replace('\n', ' '));
    }

    public static ThroughputRow parse(String line) {
        String[] f = line.split("\\|", 5);
        if (f.length != 5) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Map<String, Double> cpu = new LinkedHashMap<>();
        if (!f[3].isEmpty()) {
            for (String entry : f[3].split(";")) {
                int eq = entry.indexOf('=');
                cpu.put(entry.substring(0, eq), Double.parseDouble(entry.substring(eq + 1)));
            }
        }
        return new ThroughputRow(f[0], Long.parseLong(f[1]), Double.parseDouble(f[2]), cpu, f[4]);
    }
}
