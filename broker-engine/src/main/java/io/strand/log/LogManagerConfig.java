package io.strand.log;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Settings of a {@link LogManager}, validated when built.
 *
 * @param dataDir                  the directory holding every partition directory ({@code log.dir})
 * @param defaultLogConfig         the settings of partitions that have none of their own
 * @param maxOpenSegments          budget of segments with open files ({@code log.max.open.segments})
 * @param flushThreads             threads forcing partitions for group commit ({@code log.flush.threads})
 * @param recoveryThreads          threads loading partitions at start ({@code log.recovery.threads})
 * @param checkpointIntervalMs     how often recovery points and high watermarks are checkpointed
 * @param retentionCheckIntervalMs how often retention runs
 * @param idleHandleCloseMs        files unused this long are closed
 * @param clock                    the time source (tests pass their own)
 * @param channelOpener            opens segment files (tests pass one that fails like a full disk)
 */
public record LogManagerConfig(Path dataDir, LogConfig defaultLogConfig, int maxOpenSegments, int flushThreads,
                               int recoveryThreads, long checkpointIntervalMs, long retentionCheckIntervalMs,
                               long idleHandleCloseMs, Clock clock, FileChannelOpener channelOpener) {

    public LogManagerConfig {
        Objects.requireNonNull(dataDir, "log.dir");
        Objects.requireNonNull(defaultLogConfig, "defaultLogConfig");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(channelOpener, "channelOpener");
        positive("log.max.open.segments", maxOpenSegments);
        positive("log.flush.threads", flushThreads);
        positive("log.recovery.threads", recoveryThreads);
        positive("log.checkpoint.interval.ms", checkpointIntervalMs);
        positive("log.retention.check.interval.ms", retentionCheckIntervalMs);
        positive("log.idle.handle.close.ms", idleHandleCloseMs);
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + "=" + value + " is not valid: it must be at least 1");
        }
    }

    /** Defaults for a data directory: 1,000 open segments, one flush thread per core, real clock and files. */
    public static LogManagerConfig defaults(Path dataDir) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new LogManagerConfig(dataDir, LogConfig.DEFAULT, 1000, Math.max(1, cores), Math.max(1, cores), 1000,
                60_000, 60_000, Clock.systemUTC(), FileChannelOpener.READ_WRITE);
    }

    public LogManagerConfig withDefaultLogConfig(LogConfig config) {
        return new LogManagerConfig(dataDir, config, maxOpenSegments, flushThreads, recoveryThreads,
                checkpointIntervalMs, retentionCheckIntervalMs, idleHandleCloseMs, clock, channelOpener);
    }

    public LogManagerConfig withMaxOpenSegments(int max) {
        return new LogManagerConfig(dataDir, defaultLogConfig, max, flushThreads, recoveryThreads,
                checkpointIntervalMs, retentionCheckIntervalMs, idleHandleCloseMs, clock, channelOpener);
    }

    public LogManagerConfig withClock(Clock newClock) {
        return new LogManagerConfig(dataDir, defaultLogConfig, maxOpenSegments, flushThreads, recoveryThreads,
                checkpointIntervalMs, retentionCheckIntervalMs, idleHandleCloseMs, newClock, channelOpener);
    }

    public LogManagerConfig withChannelOpener(FileChannelOpener opener) {
        return new LogManagerConfig(dataDir, defaultLogConfig, maxOpenSegments, flushThreads, recoveryThreads,
                checkpointIntervalMs, retentionCheckIntervalMs, idleHandleCloseMs, clock, opener);
    }
}
