package io.strand.bench.jms.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.bench.jms.process.CpuWindow;
import org.junit.jupiter.api.Test;

class WorkloadResultTest {

    @Test
    void aMeasurementSurvivesTheTripThroughItsCsvLine() {
        WorkloadResult result = new WorkloadResult("competing", true, 200_000, 2.5, 2.6,
                new CpuWindow.Usage(120, 70, 3), "4 consumers, per consumer 1/2/3/4");
        WorkloadResult read = WorkloadResult.fromCsv(result.toCsv());
        assertThat(read.workload()).isEqualTo("competing");
        assertThat(read.ok()).isTrue();
        assertThat(read.messages()).isEqualTo(200_000);
        assertThat(read.msgsPerSecond()).isEqualTo(80_000);
        assertThat(read.cpu().brokerPct()).isEqualTo(120);
        assertThat(read.detail()).isEqualTo("4 consumers; per consumer 1/2/3/4");
    }

    @Test
    void aFailureHasNoRateAndKeepsItsReason() {
        WorkloadResult read = WorkloadResult.fromCsv(
                WorkloadResult.failed("selector", "received message seq=1, not expected\nat once").toCsv());
        assertThat(read.ok()).isFalse();
        assertThat(read.msgsPerSecond()).isNaN();
        assertThat(read.toCsv()).contains(",FAILED,");
        assertThat(read.detail()).isEqualTo("received message seq=1; not expected at once");
    }

    @Test
    void aLineThatIsNotAResultIsRefused() {
        assertThatThrownBy(() -> WorkloadResult.fromCsv("drain-auto,OK,5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 columns");
    }
}
