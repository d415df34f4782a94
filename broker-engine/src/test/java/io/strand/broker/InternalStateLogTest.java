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
}
