package io.strand.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every partition log of one data directory.
 *
 * <p>Opening takes an exclusive lock on {@code <dataDir>/.lock}, so a second broker pointed at the
 * same directory fails at once with a clear error instead of corrupting it. Partitions are loaded in
 * parallel; after a clean shutdown (marked by {@code .clean-shutdown}, written last by
 * {@link #close()}) loading reads only directory listings and checkpoints, after a crash it recovers
 * what lies past each partition's recovery point (see {@link LogLoader}).
 *
 * <p>Background work on one scheduler thread: checkpoints of recovery points, high watermarks and
 * log start offsets; the periodic flush of partitions in flush mode none; retention; closing idle
 * files. Group commit runs on its own flusher threads.
 *
 * <p>Thread-safe.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    static final String LOCK_FILE = ".lock";
    static final String CLEAN_SHUTDOWN_FILE = ".clean-shutdown";
    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    static final String HIGH_WATERMARK_CHECKPOINT = "replication-offset-checkpoint";
    static final String LOG_START_CHECKPOINT = "log-start-offset-checkpoint";

    private final LogManagerConfig config;
    private final Path dataDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileHandleBudget budget;
    private final GroupCommitFlusher flusher;
    private final ScheduledExecutorService scheduler;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> lastFlushMs = new ConcurrentHashMap<>();
    private volatile CommitPolicy commitPolicy = CommitPolicy.DURABLE;
    private final CheckpointFile recoveryPoints;
    private final CheckpointFile highWatermarks;
    private final CheckpointFile logStartOffsets;
    private final List<PartitionLoadReport> loadReports;
    private volatile boolean closed;

    private LogManager(LogManagerConfig config, FileChannel lockChannel, FileLock lock) {
        this.config = config;
        this.dataDir = config.dataDir();
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.budget = new FileHandleBudget(config.maxOpenSegments());
        this.flusher = new GroupCommitFlusher(config.flushThreads(), "strand-log-flusher");
        this.recoveryPoints = new CheckpointFile(dataDir.resolve(RECOVERY_POINT_CHECKPOINT));
        this.highWatermarks = new CheckpointFile(dataDir.resolve(HIGH_WATERMARK_CHECKPOINT));
        this.logStartOffsets = new CheckpointFile(dataDir.resolve(LOG_START_CHECKPOINT));
        this.loadReports = Collections.synchronizedList(new ArrayList<>());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strand-log-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Locks the data directory (creating it if needed), loads every partition in it and starts the
     * background work.
     *
     * @throws LogStorageException when the directory cannot be created or locked, naming it and why
     */
    public static LogManager open(LogManagerConfig config) {
        Path dataDir = config.dataDir();
        FileChannel lockChannel;
        FileLock lock;
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LogStorageException("cannot use data directory " + dataDir + ": " + e, e);
        }
        try {
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(lockChannel);
            throw new LogStorageException("data directory " + dataDir.toAbsolutePath()
                    + " is locked by another Strand broker; give each broker its own directory");
        }
        LogManager manager = new LogManager(config, lockChannel, lock);
        try {
            manager.loadAll();
        } catch (RuntimeException e) {
            manager.releaseLock();
            throw e;
        }
        manager.startBackgroundWork();
        return manager;
    }

    private void loadAll() {
        long startNs = System.nanoTime();
        Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean clean = Files.exists(marker);
        Map<String, Long> recovery = recoveryPoints.read();
        Map<String, Long> hw = highWatermarks.read();
        Map<String, Long> starts = logStartOffsets.read();
        List<Path> dirs = partitionDirectories();
        ExecutorService pool = Executors.newFixedThreadPool(config.recoveryThreads(), r -> {
            Thread t = new Thread(r, "strand-log-loader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> loads = new ArrayList<>(dirs.size());
            for (Path dir : dirs) {
                TopicPartition tp = TopicPartition.fromDirName(dir.getFileName().toString());
                String key = tp.dirName();
                LogLoader.Checkpointed checkpointed = new LogLoader.Checkpointed(recovery.getOrDefault(key, -1L),
                        starts.getOrDefault(key, -1L), hw.getOrDefault(key, -1L));
                loads.add(pool.submit(() -> logs.put(tp, LogLoader.load(tp, dir, config.defaultLogConfig(),
                        config.clock(), config.channelOpener(), budget, flusher, clean, checkpointed, loadReports))));
            }
            for (Future<?> load : loads) {
                load.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogStorageException("interrupted while loading " + dataDir, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new LogStorageException("cannot load " + dataDir + ": " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        try {
            // From here on a crash is unclean again.
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            throw new LogStorageException("cannot remove " + marker + ": " + e, e);
        }
        reportLoad(clean, System.nanoTime() - startNs);
    }

    private List<Path> partitionDirectories() {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> TopicPartition.fromDirName(p.getFileName().toString()) != null)
                    .toList();
        } catch (IOException e) {
            throw new LogStorageException("cannot list data directory " + dataDir + ": " + e, e);
        }
    }

    private void reportLoad(boolean clean, long elapsedNs) {
        long lost = 0;
        for (PartitionLoadReport report : loadReports) {
            if (report.lostBytes() || report.indexesRebuilt() > 0) {
                report.events().forEach(event -> LOG.warn("{}: {}", report.topicPartition(), event));
            }
            lost += report.truncatedBytes() + report.deletedBytes();
        }
        String after = logs.isEmpty() && !clean ? "in a new data directory"
                : clean ? "after a clean shutdown" : "after an unclean shutdown";
        LOG.info("loaded {} partition(s) from {} in {} ms {}{}", logs.size(), dataDir,
                TimeUnit.NANOSECONDS.toMillis(elapsedNs), after,
                lost > 0 ? "; recovery dropped " + lost + " unacknowledged byte(s), see the lines above" : "");
    }

    private void startBackgroundWork() {
        scheduler.scheduleWithFixedDelay(guarded(this::checkpoint), config.checkpointIntervalMs(),
                config.checkpointIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded(this::runRetention), config.retentionCheckIntervalMs(),
                config.retentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded(this::flushDueLogs), 100, 100, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded(() -> budget.closeIdle(
                        TimeUnit.MILLISECONDS.toNanos(config.idleHandleCloseMs()))), config.idleHandleCloseMs(),
                config.idleHandleCloseMs(), TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A background task that throws would be cancelled for good; log and keep it scheduled.
                LOG.error("background log task failed: {}", e.toString(), e);
            }
        };
    }

    /** Returns the partition's log, creating its directory with {@code logConfig} when it does not exist. */
    public PartitionLog getOrCreateLog(TopicPartition tp, LogConfig logConfig) {
        checkOpen();
        return logs.computeIfAbsent(tp, key -> {
            PartitionLog created = createLog(key, logConfig);
            created.commitPolicy(commitPolicy);
            return created;
        });
    }

    /**
     * Decides from now on when appends to every log, open or created later, count as committed (see
     * {@link PartitionLog#awaitCommitted}); {@link CommitPolicy#DURABLE} until set.
     */
    public void commitPolicy(CommitPolicy policy) {
        this.commitPolicy = Objects.requireNonNull(policy, "policy");
        logs.values().forEach(log -> log.commitPolicy(policy));
    }

    /** Returns the partition's log, creating it with the default settings when it does not exist. */
    public PartitionLog getOrCreateLog(TopicPartition tp) {
        return getOrCreateLog(tp, config.defaultLogConfig());
    }

    private PartitionLog createLog(TopicPartition tp, LogConfig logConfig) {
        Path dir = dataDir.resolve(tp.dirName());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LogStorageException("cannot create the directory of partition " + tp + " at " + dir + ": " + e, e);
        }
        List<PartitionLoadReport> ignored = new ArrayList<>();
        return LogLoader.load(tp, dir, logConfig, config.clock(), config.channelOpener(), budget, flusher, true,
                new LogLoader.Checkpointed(-1, -1, -1), ignored);
    }

    public Optional<PartitionLog> getLog(TopicPartition tp) {
        return Optional.ofNullable(logs.get(tp));
    }

    public Collection<PartitionLog> logs() {
        return Collections.unmodifiableCollection(logs.values());
    }

    /** Deletes the partition and all its files; a no-op when it does not exist. */
    public void deleteLog(TopicPartition tp) {
        checkOpen();
        PartitionLog log = logs.remove(tp);
        if (log != null) {
            log.delete();
            lastFlushMs.remove(tp);
        }
    }

    /** What loading found, one report per partition loaded at open. */
    public List<PartitionLoadReport> loadReports() {
        synchronized (loadReports) {
            return List.copyOf(loadReports);
        }
    }

    public FileHandleBudget fileHandleBudget() {
        return budget;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Writes the recovery points, high watermarks and log start offsets of every partition. */
    public void checkpoint() {
        Map<String, Long> recovery = new HashMap<>();
        Map<String, Long> hw = new HashMap<>();
        Map<String, Long> starts = new HashMap<>();
        for (PartitionLog log : logs.values()) {
            String key = log.topicPartition().dirName();
            recovery.put(key, log.recoveryPoint());
            hw.put(key, log.highWatermark());
            starts.put(key, log.logStartOffset());
        }
        recoveryPoints.write(recovery);
        highWatermarks.write(hw);
        logStartOffsets.write(starts);
    }

    /** Runs retention on every partition; returns the number of segments deleted. */
    public int runRetention() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            deleted += log.deleteRetainedSegments();
        }
        return deleted;
    }

    /** Forces the partitions in flush mode none whose {@code flush.ms} has passed since their last force. */
    private void flushDueLogs() {
        long now = config.clock().millis();
        for (PartitionLog log : logs.values()) {
            if (log.config().flushMode() != FlushMode.NONE || log.isOffline()
                    || log.recoveryPoint() >= log.logEndOffset()) {
                continue;
            }
            long last = lastFlushMs.getOrDefault(log.topicPartition(), 0L);
            if (now - last >= log.config().flushIntervalMs()) {
                log.flushTo(log.logEndOffset());
                lastFlushMs.put(log.topicPartition(), now);
            }
        }
    }

    /**
     * Tells {@code listener} how long each group-commit flush takes (flush mode fsync), for the
     * broker's fsync latency metric.
     */
    public void listenToFlushes(FlushListener listener) {
        flusher.listenToFlushes(listener);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the log manager of " + dataDir + " is closed");
        }
    }

    /**
     * Clean shutdown: stops background work, forces and closes every partition, writes the
     * checkpoints and the clean-shutdown marker, and releases the directory lock. The next open
     * reads nothing but listings and checkpoints.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flusher.close();
        boolean allClean = true;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                allClean = false;
                LOG.error("closing partition {} failed; it will be recovered at next start: {}", log.topicPartition(),
                        e.toString());
            }
            allClean &= !log.isOffline();
        }
        try {
            checkpoint();
            if (allClean) {
                Files.createFile(dataDir.resolve(CLEAN_SHUTDOWN_FILE));
                AtomicFiles.fsyncDirectory(dataDir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("writing the shutdown checkpoints of {} failed; the next start recovers: {}", dataDir, e.toString());
        } finally {
            releaseLock();
        }
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("releasing the lock of {}: {}", dataDir, e.toString());
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing {}: {}", channel, e.toString());
        }
    }
}
