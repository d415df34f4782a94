package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Any sequence of appends, across segment rolls and a reopen, reads back in order with consecutive
 * offsets, whatever the read sizes.
 */
class AppendReadPropertyTest {
    private static final TopicPartition TP = new TopicPartition("prop", 0);

    @Property(tries = 40)
    void appendsReadBackInOrderWithConsecutiveOffsets(
            @ForAll @Size(min = 1, max = 40) List<@Size(min = 1, max = 5) List<@StringLength(max = 300) String>> batches,
            @ForAll @IntRange(min = 1024, max = 8192) int segmentBytes,
            @ForAll @IntRange(min = 1, max = 4096) int readBytes) throws IOException {
        Path dataDir = Files.createTempDirectory("strand-prop-");
        LogConfig config = LogConfig.DEFAULT.with(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes))
                .with(LogConfig.FLUSH_MODE, "none").with(LogConfig.INDEX_INTERVAL_BYTES, "512");
        try {
            List<String> expected = new ArrayList<>();
            try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(config))) {
                PartitionLog log = manager.getOrCreateLog(TP);
                for (List<String> values : batches) {
                    LogAppendInfo info = log.appendAsLeader(TestBatches.of(1000, values.toArray(String[]::new)), 0);
                    assertThat(info.firstOffset()).isEqualTo(expected.size());
                    assertThat(info.lastOffset()).isEqualTo(expected.size() + values.size() - 1);
                    expected.addAll(values);
                }
                assertThat(readAll(log, readBytes)).isEqualTo(expected);
            }
            try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir).withDefaultLogConfig(config))) {
                PartitionLog log = manager.getLog(TP).orElseThrow();
                assertThat(log.logEndOffset()).isEqualTo(expected.size());
                assertThat(readAll(log, readBytes)).isEqualTo(expected);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<String> readAll(PartitionLog log, int readBytes) {
        List<String> values = new ArrayList<>();
        long next = 0;
        while (next < log.logEndOffset()) {
            try (FileSlice slice = log.read(next, readBytes, log.logEndOffset())) {
                assertThat(slice.firstOffset()).isEqualTo(next);
                values.addAll(TestBatches.values(slice.readIntoHeap()));
                next = slice.nextOffset();
            }
        }
        return values;
    }
}
