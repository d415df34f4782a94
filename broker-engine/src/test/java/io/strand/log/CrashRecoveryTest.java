package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child JVM appends in flush mode fsync and is killed with SIGKILL ({@code kill -9}) at a
 * random moment, several rounds over the same data directory. After each kill the log is recovered
 * and every append the child reported as acknowledged must be there, intact, at its offset; every
 * record that is there must be one the child wrote, whole.
 *
 * <p>Rounds: {@code -Dstrand.crash.rounds} (3 by default, 25 in the slow profile's soak run).
 */
class CrashRecoveryTest {
    static final TopicPartition TP = new TopicPartition("crash", 0);

    @TempDir
    Path dataDir;

    static String valueFor(long seq) {
        return "rec-" + seq + "-" + Long.toHexString(seq * 0x9E3779B97F4A7C15L) + "-" + "x".repeat((int) (seq % 97));
    }

    @Test
    void everyAcknowledgedAppendSurvivesKillNine() throws Exception {
        int rounds = Integer.getInteger("strand.crash.rounds", 3);
        Random random = new Random();
        long nextSeq = 0;
        for (int round = 0; round < rounds; round++) {
            Map<Long, Long> acked = runChildAndKill(nextSeq, 500 + random.nextInt(1000));
            nextSeq += 10_000_000;
            Map<Long, String> present = readAll();
            assertThat(acked).as("round %d: the child acknowledged appends before it was killed", round).isNotEmpty();
            for (Map.Entry<Long, Long> ack : acked.entrySet()) {
                assertThat(present.get(ack.getValue())).as("round %d: acknowledged seq %d at offset %d", round,
                        ack.getKey(), ack.getValue()).isEqualTo(valueFor(ack.getKey()));
            }
            present.values().forEach(value -> {
                long seq = Long.parseLong(value.split("-")[1]);
                assertThat(value).isEqualTo(valueFor(seq));
            });
        }
    }

    private Map<Long, Long> runChildAndKill(long firstSeq, long runMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashAppenderMain.class.getName(), dataDir.toString(), "8", Long.toString(firstSeq))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<Long, Long> acked = new ConcurrentHashMap<>();
        AtomicBoolean ready = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.equals("READY")) {
                        ready.set(true);
                    } else if (line.startsWith("ACK ")) {
                        String[] parts = line.split(" ");
                        acked.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                    }
                }
            } catch (java.io.IOException e) {
                // The pipe closes when the child dies; what was read so far is what the child acknowledged.
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ready.get() && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(10);
        }
        assertThat(ready).as("child started").isTrue();
        Thread.sleep(runMs);
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        return new HashMap<>(acked);
    }

    private Map<Long, String> readAll() {
        Map<Long, String> values = new HashMap<>();
        try (LogManager manager = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            PartitionLog log = manager.getLog(TP).orElseThrow();
            long next = log.logStartOffset();
            while (next < log.logEndOffset()) {
                try (FileSlice slice = log.read(next, 1 << 20, log.logEndOffset())) {
                    long offset = slice.firstOffset();
                    for (String value : TestBatches.values(slice.readIntoHeap())) {
                        values.put(offset++, value);
                    }
                    next = slice.nextOffset();
                }
            }
        }
        return values;
    }
}
