package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Cutting a segment file at any byte (a crash in the middle of a write) and recovering yields a
 * CRC-clean prefix: exactly the batches that lay wholly before the cut, each intact, and the log
 * goes on from there.
 */
class TruncatedSegmentPropertyTest {
    private static final TopicPartition TP = new TopicPartition("cut", 0);

    @Property(tries = 60)
    void recoveryKeepsEveryBatchWhollyBeforeTheCut(@ForAll @IntRange(min = 1, max = 25) int batches,
                                                    @ForAll @IntRange(min = 0, max = 1000) int cutPerMille)
            throws IOException {
        Path dataDir = Files.createTempDirectory("strand-cut-");
        try {
            List<Long> batchEnds = new ArrayList<>();
            List<String> written = new ArrayList<>();
            try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir))) {
                PartitionLog log = manager.getOrCreateLog(TP);
                long end = 0;
                for (int i = 0; i < batches; i++) {
                    String value = "batch-" + i + "-" + "v".repeat(i * 7 % 50);
                    end += log.appendDurably(TestBatches.of(1000 + i, value), 0).sizeInBytes();
                    batchEnds.add(end);
                    written.add(value);
                }
            }
            Path segment = dataDir.resolve(TP.dirName()).resolve("00000000000000000000.log");
            long cut = Files.size(segment) * cutPerMille / 1000;
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            Files.delete(dataDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE));
            int survivors = (int) batchEnds.stream().filter(e -> e <= cut).count();

            try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir))) {
                PartitionLog log = manager.getLog(TP).orElseThrow();
                assertThat(log.logEndOffset()).isEqualTo(survivors);
                List<String> values = new ArrayList<>();
                if (survivors > 0) {
                    try (FileSlice slice = log.read(0, Integer.MAX_VALUE, log.logEndOffset())) {
                        values.addAll(TestBatches.values(slice.readIntoHeap()));
                    }
                }
                assertThat(values).isEqualTo(written.subList(0, survivors));
                assertThat(log.appendAsLeader(TestBatches.of(5000, "after"), 0).firstOffset()).isEqualTo(survivors);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
