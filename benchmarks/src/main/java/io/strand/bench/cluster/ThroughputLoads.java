package io.strand.bench.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** What the Strand and Kafka throughput load generators share; JDK only, for the Kafka classpath. */
public final class ThroughputLoads {
    private ThroughputLoads() {
    }

    /** 256 distinct random payloads (256 KiB, more than LZ4's 64 KiB window), as the shared harness has them. */
    public static byte[][] payloads(int size) {
        SplittableRandom random = new SplittableRandom(42);
        byte[][] pool = new byte[256][size];
        for (byte[] payload : pool) {
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) random.nextInt(256);
            }
        }
        return pool;
    }

    /** {@code name:pid,name:pid} to a map; empty for an empty text. */
    public static Map<String, Long> pids(String text) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (!entry.isBlank()) {
                int colon = entry.indexOf(':');
                pids.put(entry.substring(0, colon), Long.parseLong(entry.substring(colon + 1)));
            }
        }
        return pids;
    }

    /** The inverse of {@link #pids(String)}. */
    public static String pidsText(Map<String, Long> pids) {
        StringBuilder text = new StringBuilder();
        pids.forEach((name, pid) -> text.append(text.length() == 0 ? "" : ",").append(name).append(':').append(pid));
        return text.toString();
    }
}
