package io.strand.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThroughputRowTest {
    @Test
    void aRowSurvivesItsLine() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("leader", 55.5);
        cpu.put("loadgen", 70.0);
        ThroughputRow row = new ThroughputRow("W1", 200_000, 4.0, cpu, "a|note");
        ThroughputRow back = ThroughputRow.parse(row.toLine());
        assertThat(back.workload()).isEqualTo("W1");
        assertThat(back.messages()).isEqualTo(200_000);
        assertThat(back.rate()).isEqualTo(50_000.0);
        assertThat(back.cpu()).containsExactly(Map.entry("leader", 55.5), Map.entry("loadgen", 70.0));
        assertThat(back.note()).isEqualTo("a|note");
    }

    @Test
    void aLineThatIsNoRowIsRefused() {
        assertThatThrownBy(() -> ThroughputRow.parse("W1|12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("W1|12");
    }

    @Test
    void pidsRoundTrip() {
        Map<String, Long> pids = ThroughputLoads.pids("leader:12,follower-a:34");
        assertThat(pids).containsExactly(Map.entry("leader", 12L), Map.entry("follower-a", 34L));
        assertThat(ThroughputLoads.pidsText(pids)).isEqualTo("leader:12,follower-a:34");
        assertThat(ThroughputLoads.pids("")).isEmpty();
    }
}
