package io.strand.broker;

import io.strand.log.LogConfig;
import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retention an operator set on a destination, kept in the internal log {@code $destination-settings}
 * so that it outlives a restart (a loaded partition log otherwise gets the broker's defaults). Keyed
 * by the destination's log topic; the value is
 *
 * <pre>
 *   int8   format (0)
 *   int64  retention.ms    (-1 keeps forever)
 *   int64  retention.bytes (-1 keeps any size)
 * </pre>
 *
 * and a null value forgets the destination (deleted). Such changes are rare, so the log is never
 * snapshotted. Thread-safe.
 */
final class DestinationSettings {
    static final String LOG_TOPIC = "$destination-settings";
    private static final byte FORMAT = 0;
    private static final int VALUE_BYTES = 1 + 8 + 8;

    /** A destination's retention. */
    record Retention(long retentionMs, long retentionBytes) {
        LogConfig applyTo(LogConfig config) {
            return config.with(LogConfig.RETENTION_MS, Long.toString(retentionMs))
                    .with(LogConfig.RETENTION_BYTES, Long.toString(retentionBytes));
        }
    }

    private final InternalStateLog stateLog;
    private final Map<String, Retention> byLogTopic = new ConcurrentHashMap<>();

    private DestinationSettings(InternalStateLog stateLog) {
        this.stateLog = stateLog;
    }

    static DestinationSettings load(LogManager logs) {
        DestinationSettings settings = new DestinationSettings(InternalStateLog.open(logs, LOG_TOPIC));
        settings.stateLog.replay((key, value) -> {
            String topic = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
            if (value == null) {
                settings.byLogTopic.remove(topic);
            } else {
                settings.byLogTopic.put(topic, decode(topic, value.duplicate()));
            }
        });
        return settings;
    }

    private static Retention decode(String topic, ByteBuffer value) {
        if (value.remaining() != VALUE_BYTES || value.get() != FORMAT) {
            throw new IllegalStateException("the settings record of " + topic + " has an unknown format"
                    + " (written by an incompatible build?)");
        }
        return new Retention(value.getLong(), value.getLong());
    }

    /** Gives a partition log of {@code logTopic} the retention stored for it, if any. */
    void applyTo(String logTopic, PartitionLog log) {
        Retention retention = byLogTopic.get(logTopic);
        if (retention != null) {
            log.updateConfig(retention.applyTo(log.config()));
        }
    }

    /** Stores a destination's retention; completes once durable. */
    synchronized CompletableFuture<Void> store(String logTopic, Retention retention) {
        ByteBuffer value = ByteBuffer.allocate(VALUE_BYTES).put(FORMAT).putLong(retention.retentionMs())
                .putLong(retention.retentionBytes());
        byLogTopic.put(logTopic, retention);
        return stateLog.append(new InternalStateLog.Entry(logTopic.getBytes(StandardCharsets.UTF_8), value.array()));
    }

    /** Forgets a deleted destination's settings. */
    synchronized void forget(String logTopic) {
        if (byLogTopic.remove(logTopic) != null) {
            stateLog.append(new InternalStateLog.Entry(logTopic.getBytes(StandardCharsets.UTF_8), null));
        }
    }
}
