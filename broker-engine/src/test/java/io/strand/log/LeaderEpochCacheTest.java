package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaderEpochCacheTest {
    @TempDir
    Path dir;

    private LeaderEpochCache cache(String... epochStartPairs) {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        for (String pair : epochStartPairs) {
            String[] parts = pair.split(" ");
            cache.assign(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        }
        return cache;
    }

    private static EpochEntry e(int epoch, long startOffset) {
        return new EpochEntry(epoch, startOffset);
    }

    @Test
    void shouldStartEmptyWithoutAFile() {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        assertThat(cache.entries()).isEmpty();
        assertThat(cache.latestEpoch()).isEmpty();
        assertThat(cache.endOffsetFor(0, 100)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(dir.resolve("leader-epoch-checkpoint")).doesNotExist();
    }

    @Test
    void shouldRecordTheFirstOffsetOfEachEpochOnly() {
        LeaderEpochCache cache = cache("0 0", "0 5", "0 9", "2 10", "2 30", "5 31");
        assertThat(cache.entries()).containsExactly(e(0, 0), e(2, 10), e(5, 31));
        assertThat(cache.latestEpoch()).hasValue(5);
    }

    @ParameterizedTest(name = "assign({0}, {1}) to [(1,10) (3,20) (5,30)] -> {2}")
    @CsvSource(delimiter = ';', value = {
        "5; 40; (1,10) (3,20) (5,30)",         // current epoch, later batch: no change
        "6; 40; (1,10) (3,20) (5,30) (6,40)",  // a new epoch
        "5; 25; (1,10) (3,20) (5,25)",         // current epoch seen earlier: its start moves down
        "6; 30; (1,10) (3,20) (6,30)",         // new epoch at the same start: the old one is dropped
        "4; 35; (1,10) (3,20) (4,35)",         // older epoch than the latest: later epochs dropped
        "7; 15; (1,10) (7,15)",                // start before later entries: they are dropped
        "2; 5; (2,5)",                         // before everything
        "3; 20; (1,10) (3,20)"                 // an existing entry, not the latest: later ones dropped
    })
    void shouldKeepEpochsAndStartOffsetsIncreasingOnAssign(int epoch, long start, String expected) {
        LeaderEpochCache cache = cache("1 10", "3 20", "5 30");
        cache.assign(epoch, start);
        assertThat(render(cache)).isEqualTo(expected);
        assertThat(render(LeaderEpochCache.load(dir))).as("persisted").isEqualTo(expected);
    }

    private static String render(LeaderEpochCache cache) {
        StringBuilder s = new StringBuilder();
        for (EpochEntry entry : cache.entries()) {
            s.append(s.length() == 0 ? "" : " ").append('(').append(entry.epoch()).append(',')
                    .append(entry.startOffset()).append(')');
        }
        return s.toString();
    }

    @ParameterizedTest(name = "endOffsetFor({0}) with [(1,10) (3,20) (5,30)] and log end 45 -> ({1}, {2})")
    @CsvSource({
        "5, 5, 45",    // the latest epoch ends at the log end
        "3, 3, 30",    // a known epoch ends where the next begins
        "1, 1, 20",
        "2, 1, 20",    // between known epochs: the largest below, ending where the next begins
        "4, 3, 30",
        "0, -1, -1",   // below every known epoch
        "6, -1, -1",   // above the latest
        "-1, -1, -1"   // undefined asked
    })
    void shouldAnswerEndOffsetForAnEpoch(int requested, int epoch, long endOffset) {
        LeaderEpochCache cache = cache("1 10", "3 20", "5 30");
        assertThat(cache.endOffsetFor(requested, 45)).isEqualTo(new EpochEndOffset(epoch, endOffset));
    }

    @Test
    void shouldTruncateFromTheEnd() {
        LeaderEpochCache cache = cache("1 10", "3 20", "5 30");
        cache.truncateFromEnd(31);
        assertThat(cache.entries()).containsExactly(e(1, 10), e(3, 20), e(5, 30));
        cache.truncateFromEnd(30);
        assertThat(cache.entries()).containsExactly(e(1, 10), e(3, 20));
        cache.truncateFromEnd(0);
        assertThat(cache.entries()).isEmpty();
        assertThat(LeaderEpochCache.load(dir).entries()).isEmpty();
    }

    @Test
    void shouldTruncateFromTheStartKeepingTheEpochThatCoversIt() {
        LeaderEpochCache cache = cache("1 10", "3 20", "5 30");
        cache.truncateFromStart(5);
        assertThat(cache.entries()).as("before every entry").containsExactly(e(1, 10), e(3, 20), e(5, 30));
        cache.truncateFromStart(10);
        assertThat(cache.entries()).as("at the first entry").containsExactly(e(1, 10), e(3, 20), e(5, 30));
        cache.truncateFromStart(25);
        assertThat(cache.entries()).containsExactly(e(3, 25), e(5, 30));
        cache.truncateFromStart(30);
        assertThat(cache.entries()).containsExactly(e(5, 30));
        cache.truncateFromStart(99);
        assertThat(cache.entries()).containsExactly(e(5, 99));
        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(e(5, 99));
    }

    @Test
    void shouldPersistEveryChangeAcrossReload() throws IOException {
        cache("0 0", "4 100");
        assertThat(Files.readString(dir.resolve("leader-epoch-checkpoint"))).isEqualTo("0\n2\n0 0\n4 100\n");

        LeaderEpochCache reloaded = LeaderEpochCache.load(dir);
        assertThat(reloaded.entries()).containsExactly(e(0, 0), e(4, 100));
        assertThat(reloaded.latestEpoch()).hasValue(4);
        assertThat(reloaded.endOffsetFor(0, 150)).isEqualTo(new EpochEndOffset(0, 100));
    }

    @Test
    void shouldNotRewriteTheFileWhenNothingChanges() throws IOException {
        LeaderEpochCache cache = cache("1 10", "3 20");
        Path file = dir.resolve("leader-epoch-checkpoint");
        Files.delete(file); // any write would bring it back

        cache.assign(3, 25);
        cache.truncateFromEnd(21);
        cache.truncateFromStart(10);
        assertThat(file).doesNotExist();
        assertThat(cache.entries()).containsExactly(e(1, 10), e(3, 20));
    }

    @Test
    void shouldStayOrderedUnderConcurrentAssignsAndReads() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                writers.add(pool.submit(() -> {
                    for (int epoch = 0; epoch < 40; epoch++) {
                        cache.assign(epoch, epoch * 100L + seed);
                    }
                }));
            }
            Future<?> reader = pool.submit(() -> {
                while (!writers.stream().allMatch(Future::isDone)) {
                    assertOrdered(cache.entries());
                    cache.endOffsetFor(7, 10_000);
                }
            });
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
            reader.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertOrdered(cache.entries());
        assertThat(cache.latestEpoch()).hasValue(39);
        assertThat(LeaderEpochCache.load(dir).entries()).isEqualTo(cache.entries());
    }

    private static void assertOrdered(List<EpochEntry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).epoch()).isGreaterThan(entries.get(i - 1).epoch());
            assertThat(entries.get(i).startOffset()).isGreaterThan(entries.get(i - 1).startOffset());
        }
    }

    @Test
    void shouldRejectNegativeEpochsAndOffsets() {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        assertThatThrownBy(() -> cache.assign(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epoch=-1");
        assertThatThrownBy(() -> cache.assign(0, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startOffset=-5");
    }

    @Test
    void shouldReportACorruptFileWithItsLine() throws IOException {
        Path file = dir.resolve("leader-epoch-checkpoint");
        String[][] cases = {
            {"0\n2\n0 0\nx 10\n", "line 4", "epoch 'x'"},
            {"0\n2\n3 0\n2 10\n", "line 4", "does not follow"},
            {"0\n2\n0 10\n1 10\n", "line 4", "does not follow"},
            {"0\n1\n-1 0\n", "line 3", "negative"},
            {"0\n3\n0 0\n", "line 4", "ends after 1 of 3"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThatThrownBy(() -> LeaderEpochCache.load(dir)).as(c[0]).isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(c[1]).hasMessageContaining(c[2]);
        }
    }
}
