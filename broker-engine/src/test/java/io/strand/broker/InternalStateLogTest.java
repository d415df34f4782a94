package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.log.LogManager;
import io.strand.log.LogManagerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InternalStateLogTest {
    @TempDir
    Path dataDir;

    private static InternalStateLog.Entry entry(String key, String value) {
        return new InternalStateLog.Entry(key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> replay(InternalStateLog log) {
        Map<String, String> state = new HashMap<>();
        log.replay((key, value) -> {
            String k = StandardCharsets.UTF_8.decode(key).toString();
            if (value == null) {
                state.remove(k);
            } else {
                state.put(k, StandardCharsets.UTF_8.decode(value).toString());
            }
        });
        return state;
    }

    @Test
    void replayGivesTheLastValueOfEachKeyAcrossARestartAndASnapshot() {
        Map<String, String> expected = new HashMap<>();
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            InternalStateLog log = InternalStateLog.open(logs, "$state");
            for (int i = 0; i < 12_000; i++) {
                String key = "k" + (i % 3);
                log.append(entry(key, "v" + i));
                expected.put(key, "v" + i);
            }
            log.append(entry("gone", "x"));
            log.append(entry("gone", null)).join();
            assertThat(log.snapshotDue(expected.size())).isTrue();
            long start = log.beginSnapshot();
            expected.forEach((k, v) -> log.append(entry(k, v)));
            log.completeSnapshot(start, expected.size());
            assertThat(log.snapshotDue(expected.size())).isFalse();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            assertThat(replay(InternalStateLog.open(logs, "$state"))).isEqualTo(expected);
        }
    }

    /** A cluster's next active broker replays the log while clients wait: snapshots keep that short. */
    @Test
    void aLogSnapshottedAsDueReplaysOnlyTheRecordsNearItsLastSnapshot() {
        Map<String, String> live = new HashMap<>();
        int written = 50_000;
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            InternalStateLog log = InternalStateLog.open(logs, "$state");
            for (int i = 0; i < written; i++) {
                String key = "k" + (i % 2);
                log.append(entry(key, "v" + i));
                live.put(key, "v" + i);
                if (log.snapshotDue(live.size())) {
                    long start = log.beginSnapshot();
                    live.forEach((k, v) -> log.append(entry(k, v)));
                    log.completeSnapshot(start, live.size());
                }
            }
            log.append(entry("k0", live.get("k0"))).join();
        }
        try (LogManager logs = LogManager.open(LogManagerConfig.defaults(dataDir))) {
            int[] replayed = {0};
            Map<String, String> state = new HashMap<>();
            InternalStateLog.open(logs, "$state").replay((key, value) -> {
                replayed[0]++;
                state.put(StandardCharsets.UTF_8.decode(key).toString(),
                        StandardCharsets.UTF_8.decode(value).toString());
            });
            assertThat(state).isEqualTo(live);
            assertThat(replayed[0]).as("records replayed of the %d written", written).isLessThan(written / 5);
        }
    }
}
