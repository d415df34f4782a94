package io.strand.bench.jms;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.bench.jms.client.Workload;
import io.strand.bench.jms.client.WorkloadResult;
import io.strand.bench.jms.process.CpuWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private static final CpuWindow.Usage CPU = new CpuWindow.Usage(100, 50, 0);

    private static RunRow ok(int round, BrokerSide broker, String workload, double seconds) {
        return new RunRow(round, broker, new WorkloadResult(workload, true, 1000, seconds, seconds, CPU, "checked"));
    }

    @Test
    void reportsTheMedianOfTheRoundsAndTheRatioOfTheMedians() {
        Summary summary = new Summary(List.of(Workload.DRAIN_AUTO), List.of(BrokerSide.ARTEMIS, BrokerSide.STRAND),
                List.of(ok(1, BrokerSide.ARTEMIS, "drain-auto", 1.0), ok(2, BrokerSide.ARTEMIS, "drain-auto", 0.5),
                        ok(3, BrokerSide.ARTEMIS, "drain-auto", 0.25), ok(1, BrokerSide.STRAND, "drain-auto", 0.25),
                        ok(2, BrokerSide.STRAND, "drain-auto", 0.125), ok(3, BrokerSide.STRAND, "drain-auto", 0.5)));
        assertThat(summary.medianRate("drain-auto", BrokerSide.ARTEMIS)).isEqualTo(2000);
        assertThat(summary.medianRate("drain-auto", BrokerSide.STRAND)).isEqualTo(4000);
        assertThat(summary.ratio("drain-auto")).isEqualTo(2.0);
    }

    @Test
    void oneFailedRoundMakesTheWorkloadFailedWithoutARateOrRatio() {
        Summary summary = new Summary(List.of(Workload.SELECTOR), List.of(BrokerSide.ARTEMIS, BrokerSide.STRAND),
                List.of(ok(1, BrokerSide.ARTEMIS, "selector", 1.0), ok(2, BrokerSide.ARTEMIS, "selector", 1.0),
                        ok(1, BrokerSide.STRAND, "selector", 0.1),
                        new RunRow(2, BrokerSide.STRAND, WorkloadResult.failed("selector", "received message seq=1"))));
        assertThat(summary.medianRate("selector", BrokerSide.STRAND)).isNaN();
        assertThat(summary.ratio("selector")).isNaN();
        String report = summary.render("title", new Classpaths("", "", null, "2.56.0"));
        assertThat(report).contains("FAILED (1 of 2 runs)").contains("strand selector round 2: received message seq=1")
                .contains("n/a");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        List<WorkloadResult> results = List.of(ok(1, BrokerSide.STRAND, "x", 1).result(),
                ok(2, BrokerSide.STRAND, "x", 0.5).result());
        assertThat(Summary.median(results, WorkloadResult::msgsPerSecond)).isEqualTo(1500);
    }
}
