package io.strand.bench.jms;

import io.strand.bench.jms.client.Workload;
import io.strand.bench.jms.client.WorkloadResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report over all rounds: per workload and broker the median rate with its range, and the ratio
 * Strand/Artemis of the medians. A workload that failed in any round on a broker is reported as
 * FAILED for that broker, with the reasons listed below the table, and gets no ratio: a median of the
 * rounds that happened to pass would hide that the broker delivered wrongly.
 */
final class Summary {
    private final List<Workload> workloads;
    /** The rows of the report: the preloads, then the workloads. */
    private final List<String> rowNames;
    private final List<BrokerSide> brokers;
    private final List<RunRow> rows;

    Summary(List<Workload> workloads, List<BrokerSide> brokers, List<RunRow> rows) {
        this.workloads = List.copyOf(workloads);
        List<String> names = new ArrayList<>();
        names.add(WorkloadResult.SEND);
        workloads.forEach(w -> names.add(w.id()));
        this.rowNames = List.copyOf(names);
        this.brokers = List.copyOf(brokers);
        this.rows = List.copyOf(rows);
    }

    List<RunRow> rows() {
        return rows;
    }

    /** The median rate of a workload on a broker, or NaN when it failed in any round or did not run. */
    double medianRate(String workload, BrokerSide broker) {
        List<WorkloadResult> results = results(workload, broker);
        if (results.isEmpty() || results.stream().anyMatch(r -> !r.ok())) {
            return Double.NaN;
        }
        return median(results, WorkloadResult::msgsPerSecond);
    }

    /** Strand's median over Artemis' for a workload; NaN unless both measured it in every round. */
    double ratio(String workload) {
        return medianRate(workload, BrokerSide.STRAND) / medianRate(workload, BrokerSide.ARTEMIS);
    }

    String render(String title, Classpaths classpaths) {
        StringBuilder out = new StringBuilder(title).append("\n\n");
        List<String[]> rates = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("workload"));
        brokers.forEach(b -> header.add(b.title(classpaths) + " msgs/s median [min..max]"));
        boolean withRatio = brokers.contains(BrokerSide.STRAND) && brokers.contains(BrokerSide.ARTEMIS);
        if (withRatio) {
            header.add("Strand/Artemis");
        }
        rates.add(header.toArray(String[]::new));
        List<String> failures = new ArrayList<>();
        for (String workload : rowNames) {
            List<String> line = new ArrayList<>(List.of(workload));
            for (BrokerSide broker : brokers) {
                line.add(rateCell(workload, broker, failures));
            }
            if (withRatio) {
                double ratio = ratio(workload);
                line.add(Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio));
            }
            rates.add(line.toArray(String[]::new));
        }
        out.append(table(rates)).append('\n');
        out.append(WorkloadResult.SEND).append(": persistent async sends with a CompletionListener (the preloads)\n");
        for (Workload workload : workloads) {
            out.append(workload.id()).append(": ").append(workload.description()).append('\n');
        }

        List<String[]> details = new ArrayList<>();
        details.add(new String[] {"workload", "broker", "first->last s", "start->last s",
                "CPU% broker/client/foreign"});
        for (String workload : rowNames) {
            for (BrokerSide broker : brokers) {
                List<WorkloadResult> ok = results(workload, broker).stream().filter(WorkloadResult::ok).toList();
                if (ok.isEmpty()) {
                    continue;
                }
                details.add(new String[] {workload, broker.label(),
                        format(median(ok, WorkloadResult::seconds), 2),
                        format(median(ok, WorkloadResult::startToLastSeconds), 2),
                        format(median(ok, r -> r.cpu().brokerPct()), 0) + "/"
                                + format(median(ok, r -> r.cpu().clientPct()), 0) + "/"
                                + format(median(ok, r -> r.cpu().foreignPct()), 0)});
            }
        }
        out.append("\nMedians over the rounds that passed (CPU in % of one core):\n").append(table(details));
        if (!failures.isEmpty()) {
            out.append("\nFailures (a failed workload has no rate):\n");
            failures.forEach(f -> out.append("  ").append(f).append('\n'));
        }
        return out.toString();
    }

    private String rateCell(String workload, BrokerSide broker, List<String> failures) {
        List<RunRow> runs = rows.stream()
                .filter(r -> r.broker() == broker && r.result().workload().equals(workload)).toList();
        if (runs.isEmpty()) {
            return "not run";
        }
        List<RunRow> failed = runs.stream().filter(r -> !r.result().ok()).toList();
        if (!failed.isEmpty()) {
            failed.forEach(r -> failures.add(broker.label() + " " + workload + " round " + r.round() + ": "
                    + r.result().detail()));
            return "FAILED (" + failed.size() + " of " + runs.size() + " runs)";
        }
        List<WorkloadResult> results = runs.stream().map(RunRow::result).toList();
        double[] sorted = results.stream().mapToDouble(WorkloadResult::msgsPerSecond).sorted().toArray();
        return String.format(Locale.ROOT, "%,.0f [%,.0f..%,.0f]", median(results, WorkloadResult::msgsPerSecond),
                sorted[0], sorted[sorted.length - 1]);
    }

    private List<WorkloadResult> results(String workload, BrokerSide broker) {
        return rows.stream().filter(r -> r.broker() == broker && r.result().workload().equals(workload))
                .map(RunRow::result).toList();
    }

    static double median(List<WorkloadResult> results, ToDoubleFunction<WorkloadResult> value) {
        double[] values = results.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static String format(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String table(List<String[]> lines) {
        int[] widths = new int[lines.get(0).length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < lines.size(); l++) {
            String[] line = lines.get(l);
            for (int i = 0; i < line.length; i++) {
                out.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", line[i]));
            }
            out.append('\n');
            if (l == 0) {
                out.append("-".repeat(Arrays.stream(widths).sum() + 2 * (widths.length - 1))).append('\n');
            }
        }
        return out.toString();
    }
}
