package io.strand.bench.jms.client;

import io.strand.bench.jms.process.CpuWindow;
import java.util.Locale;

/**
 * The outcome of one workload on one broker: a measurement when every message was delivered as
 * expected, otherwise a failure with its reason and no rate. Travels from the load generator to the
 * benchmark as one CSV line (see {@link #HEADER}).
 *
 * @param workload           the workload's name ({@link Workload#id()}, or {@link #SEND} for a preload)
 * @param ok                 whether the workload's checks passed; false means the numbers mean nothing
 * @param messages           messages sent or received in the measured window
 * @param seconds            the measured window: first to last message received (for a send, the whole send)
 * @param startToLastSeconds from starting the consumers' connection to the last message (for a send, as seconds)
 * @param cpu                CPU use during the window
 * @param detail             what was checked, or why it failed; no commas or line breaks
 */
public record WorkloadResult(String workload, boolean ok, long messages, double seconds, double startToLastSeconds,
                             CpuWindow.Usage cpu, String detail) {
    /** The workload name of the preload rows: persistent asynchronous sends with a CompletionListener. */
    public static final String SEND = "send-async";
    public static final String HEADER = "workload,status,messages,seconds,start_to_last_seconds,msgs_per_s,"
            + "broker_cpu_pct,client_cpu_pct,foreign_cpu_pct,detail";
    private static final int COLUMNS = 10;

    public WorkloadResult {
        detail = detail.replace(',', ';').replace('\n', ' ').replace('\r', ' ');
    }

    public static WorkloadResult failed(String workload, String reason) {
        return new WorkloadResult(workload, false, 0, Double.NaN, Double.NaN, CpuWindow.Usage.UNKNOWN, reason);
    }

    /** Messages per second over the measured window; NaN for a failed workload. */
    public double msgsPerSecond() {
        return ok && seconds > 0 ? messages / seconds : Double.NaN;
    }

    public String toCsv() {
        return String.join(",", workload, ok ? "OK" : "FAILED", Long.toString(messages), number(seconds, 4),
                number(startToLastSeconds, 4), number(msgsPerSecond(), 0), number(cpu.brokerPct(), 0),
                number(cpu.clientPct(), 0), number(cpu.foreignPct(), 0), detail);
    }

    /** Reads a line written by {@link #toCsv()}. */
    public static WorkloadResult fromCsv(String line) {
        String[] f = line.split(",", COLUMNS);
        if (f.length != COLUMNS) {
            throw new IllegalArgumentException("not a workload result line (" + COLUMNS + " columns expected): "
                    + line);
        }
        return new WorkloadResult(f[0], f[1].equals("OK"), Long.parseLong(f[2]), parse(f[3]), parse(f[4]),
                new CpuWindow.Usage(parse(f[6]), parse(f[7]), parse(f[8])), f[9]);
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static double parse(String value) {
        return value.isEmpty() ? Double.NaN : Double.parseDouble(value);
    }
}
