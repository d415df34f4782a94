package io.strand.bench.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.bench.jms.client.Workload;
import io.strand.bench.jms.client.WorkloadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One tiny round against both brokers, each in its own JVMs as in a real run: proves the two classpaths,
 * the broker start-up and the checks work end to end. The rates of so few messages mean nothing.
 */
class JmsSystemBenchmarkSmokeTest {

    @Test
    @Timeout(180)
    void aTinyRoundRunsEveryWorkloadOnBothBrokersAndChecksWhatTheyDelivered(@TempDir Path out) throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--rounds", "1", "--messages", "500",
                "--warmup", "0", "--quiet-wait", "0", "--grace-ms", "200", "--broker-heap", "256m",
                "--client-heap", "256m", "--out", out.toString()}, Classpaths.defaultBuildDir());
        Summary summary = new JmsSystemBenchmark(options, Classpaths.locate(options.buildDir())).run();

        for (Workload workload : Workload.values()) {
            assertThat(summary.medianRate(workload.id(), BrokerSide.ARTEMIS)).as("artemis " + workload.id())
                    .isPositive();
        }
        for (Workload workload : List.of(Workload.DRAIN_AUTO, Workload.DRAIN_DUPS_OK, Workload.COMPETING)) {
            assertThat(summary.medianRate(workload.id(), BrokerSide.STRAND)).as("strand " + workload.id())
                    .isPositive();
        }
        // Strand's queue selectors may not be there yet: then the workload must say FAILED, never give a rate.
        WorkloadResult selector = summary.rows().stream()
                .filter(r -> r.broker() == BrokerSide.STRAND && r.result().workload().equals("selector"))
                .map(RunRow::result).findFirst().orElseThrow();
        if (selector.ok()) {
            assertThat(selector.messages()).isEqualTo(50);
            assertThat(selector.detail()).contains("exactly the 50 matching");
        } else {
            assertThat(selector.msgsPerSecond()).isNaN();
            assertThat(selector.detail()).isNotBlank();
        }
        // Per broker, a preload row and a drain row for each of the four workloads.
        assertThat(summary.rows()).hasSize(16);
        assertThat(summary.rows()).filteredOn(r -> r.broker() == BrokerSide.ARTEMIS)
                .allSatisfy(r -> assertThat(r.result().ok()).as("%s", r).isTrue())
                .filteredOn(r -> r.result().workload().equals("selector"))
                .singleElement().satisfies(r -> assertThat(r.result().messages()).isEqualTo(50));
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("results-") && name.endsWith(".csv"))
                    .anyMatch(name -> name.startsWith("summary-"));
        }
    }
}
