package io.strand.log;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that force partitions to disk for appends waiting on durability (flush mode fsync).
 *
 * <p>An appender registers its wait with the partition and then asks for a flush here. A partition
 * is queued at most once at a time; the thread that takes it reads the log end offset, forces the
 * segments below it, and completes every waiter that the force covered. Appends that arrive while a
 * force is running are covered by the next one, so under load each {@code force()} serves many
 * appenders (group commit), and a lone appender waits for exactly one.
 *
 * <p>Thread-safe. The threads are daemons and stop on {@link #close()}.
 */
final class GroupCommitFlusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitFlusher.class);
    /**
     * What a flusher thread takes from the queue: a partition to flush, or (log null) the signal to stop.
     * Threads are stopped by this signal, never interrupted, since an interrupt closes file channels.
     */
    private record Task(PartitionLog log) {
        static final Task STOP = new Task(null);
    }

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread[] threads;
    private volatile boolean closed;
    private volatile FlushListener listener = FlushListener.NONE;

    GroupCommitFlusher(int threadCount, String name) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("log.flush.threads=" + threadCount + " must be at least 1");
        }
        threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++) {
            threads[i] = new Thread(this::run, name + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** Tells {@code listener} the duration of each flush from now on. */
    void listenToFlushes(FlushListener listener) {
        this.listener = listener;
    }

    /** Queues the partition for a flush unless it is queued already. */
    void requestFlush(PartitionLog log) {
        if (closed) {
            log.flushForWaiters();
            return;
        }
        if (log.markFlushQueued()) {
            queue.add(new Task(log));
        }
    }

    private void run() {
        while (true) {
            PartitionLog log;
            try {
                log = queue.take().log();
            } catch (InterruptedException e) {
                return;
            }
            if (log == null) {
                return;
            }
            log.clearFlushQueued();
            try {
                long start = System.nanoTime();
                log.flushForWaiters();
                listener.flushed(System.nanoTime() - start);
            } catch (RuntimeException e) {
                // flushForWaiters fails its waiters and takes the partition offline; this thread serves the others.
                LOG.error("flush of partition {} failed: {}", log.topicPartition(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < threads.length; i++) {
            queue.add(Task.STOP);
        }
        for (Thread thread : threads) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Task task;
        while ((task = queue.poll()) != null) {
            if (task.log() != null) {
                task.log().clearFlushQueued();
                task.log().flushForWaiters();
            }
        }
    }
}
