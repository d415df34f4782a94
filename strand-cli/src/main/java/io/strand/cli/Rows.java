package io.strand.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the ordered maps that {@link Output} prints: {@code Rows.of("name", x, "lagMs", d)}. */
final class Rows {
    private Rows() {
    }

    static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    /** A duration in milliseconds as the broker sends it, -1 for none. */
    static Duration millis(long ms) {
        return ms < 0 ? null : Duration.ofMillis(ms);
    }

    /** A retention limit, -1 for none. */
    static Object limit(long value) {
        return value < 0 ? "none" : value;
    }
}
