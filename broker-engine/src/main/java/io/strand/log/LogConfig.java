package io.strand.log;

import java.util.Map;
import java.util.Objects;

/**
 * The settings of one partition log, validated when built: every bad value is rejected with a
 * message that names the key and the value. Immutable; change a setting with a {@code with...}
 * copy. Keys follow Kafka's topic configs where one exists.
 *
 * @param segmentBytes       roll to a new segment before the active one passes this size ({@code segment.bytes});
 *                           a batch larger than this gets a segment of its own
 * @param segmentMs          roll a non-empty active segment older than this ({@code segment.ms})
 * @param indexIntervalBytes bytes of log between two offset-index entries ({@code index.interval.bytes})
 * @param maxIndexBytes      largest size of one index file ({@code segment.index.bytes})
 * @param maxBatchBytes      largest record batch accepted by an append ({@code max.message.bytes})
 * @param retentionMs        delete segments whose newest record is older than this; -1 keeps all ({@code retention.ms})
 * @param retentionBytes     delete the oldest segments while the log is larger than this; -1 keeps all ({@code retention.bytes})
 * @param flushMode          when an append is durable ({@code flush.mode})
 * @param flushIntervalMs    in mode none, force the log at least this often ({@code flush.ms})
 */
public record LogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int maxIndexBytes,
                        int maxBatchBytes, long retentionMs, long retentionBytes, FlushMode flushMode,
                        long flushIntervalMs) {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String FLUSH_MODE = "flush.mode";
    public static final String FLUSH_MS = "flush.ms";

    /** Defaults that work on a laptop: 1 GiB segments, 7 days of retention, fsync durability. */
    public static final LogConfig DEFAULT = new LogConfig(1 << 30, 7L * 24 * 3600 * 1000, 4096, 10 << 20,
            1 << 20, 7L * 24 * 3600 * 1000, -1, FlushMode.FSYNC, 1000);

    public LogConfig {
        Objects.requireNonNull(flushMode, FLUSH_MODE);
        atLeast(SEGMENT_BYTES, segmentBytes, 1024);
        atLeast(SEGMENT_MS, segmentMs, 1);
        atLeast(INDEX_INTERVAL_BYTES, indexIntervalBytes, 0);
        atLeast(SEGMENT_INDEX_BYTES, maxIndexBytes, 1024);
        atLeast(MAX_MESSAGE_BYTES, maxBatchBytes, 64);
        atLeast(RETENTION_MS, retentionMs, -1);
        atLeast(RETENTION_BYTES, retentionBytes, -1);
        atLeast(FLUSH_MS, flushIntervalMs, 1);
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + "=" + value + " is not valid: it must be at least " + min);
        }
    }

    /** This config with the keys present in {@code overrides} replaced; unknown keys are rejected. */
    public LogConfig with(Map<String, String> overrides) {
        LogConfig config = this;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    /** This config with one key replaced; an unknown key or unparsable value names itself in the error. */
    public LogConfig with(String key, String value) {
        switch (key) {
            case SEGMENT_BYTES:
                return new LogConfig(parseInt(key, value), segmentMs, indexIntervalBytes, maxIndexBytes, maxBatchBytes,
                        retentionMs, retentionBytes, flushMode, flushIntervalMs);
            case SEGMENT_MS:
                return new LogConfig(segmentBytes, parseLong(key, value), indexIntervalBytes, maxIndexBytes,
                        maxBatchBytes, retentionMs, retentionBytes, flushMode, flushIntervalMs);
            case INDEX_INTERVAL_BYTES:
                return new LogConfig(segmentBytes, segmentMs, parseInt(key, value), maxIndexBytes, maxBatchBytes,
                        retentionMs, retentionBytes, flushMode, flushIntervalMs);
            case SEGMENT_INDEX_BYTES:
                return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, parseInt(key, value), maxBatchBytes,
                        retentionMs, retentionBytes, flushMode, flushIntervalMs);
            case MAX_MESSAGE_BYTES:
                return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, parseInt(key, value),
                        retentionMs, retentionBytes, flushMode, flushIntervalMs);
            case RETENTION_MS:
                return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxBatchBytes,
                        parseLong(key, value), retentionBytes, flushMode, flushIntervalMs);
            case RETENTION_BYTES:
                return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxBatchBytes,
                        retentionMs, parseLong(key, value), flushMode, flushIntervalMs);
            case FLUSH_MODE:
                return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxBatchBytes,
                        retentionMs, retentionBytes, FlushMode.parse(value), flushIntervalMs);
            case FLUSH_MS:
                return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxIndexBytes, maxBatchBytes,
                        retentionMs, retentionBytes, flushMode, parseLong(key, value));
            default:
                throw new IllegalArgumentException("unknown log setting '" + key + "'");
        }
    }

    private static int parseInt(String key, String value) {
        long parsed = parseLong(key, value);
        if (parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(key + "=" + value + " is out of range for a 32-bit integer");
        }
        return (int) parsed;
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a whole number", e);
        }
    }
}
