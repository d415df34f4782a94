package io.strand.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file channel of one segment's {@code .log}, opened on first use and closable when idle.
 *
 * <p>Users {@link #acquire()} the channel and {@link #release()} it when done; while any user holds
 * it, {@link #closeIfIdle()} leaves it open. The channel is opened outside any partition lock only
 * by the thread that first needs it; the budget is told afterwards, so eviction never runs while
 * this object's lock is held (no lock-order cycle between two segments).
 */
final class LazyFileChannel {
    private final Path path;
    private final FileChannelOpener opener;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private FileChannel channel;
    /** Guarded by lock. */
    private int users;
    /** Guarded by lock: close as soon as the last user releases (the segment was closed or deleted). */
    private boolean closeRequested;
    private volatile long lastUsedNanos = System.nanoTime();

    LazyFileChannel(Path path, FileChannelOpener opener) {
        this.path = path;
        this.opener = opener;
    }

    Path path() {
        return path;
    }

    /**
     * Pins the channel open and returns it. {@code openedNow[0]} is set when this call opened it,
     * so that the caller can report the open to the budget after returning.
     */
    FileChannel acquire(boolean[] openedNow) throws IOException {
        lock.lock();
        try {
            if (closeRequested) {
                throw new IOException(path + " is closed");
            }
            if (channel == null || !channel.isOpen()) {
                channel = opener.open(path);
                openedNow[0] = true;
            }
            users++;
            lastUsedNanos = System.nanoTime();
            return channel;
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            if (users <= 0) {
                throw new IllegalStateException("release of " + path + " without a matching acquire");
            }
            users--;
            if (users == 0 && closeRequested) {
                closeQuietly();
            }
        } finally {
            lock.unlock();
        }
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /**
     * Closes the channel if nobody holds it. Uses tryLock so that an evicting thread never waits on
     * a segment that is busy opening; returns true only if a channel was closed.
     */
    boolean closeIfIdle() throws IOException {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (users > 0 || channel == null) {
                return false;
            }
            channel.close();
            channel = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the channel for good: now if nobody holds it, else when the last user releases it, so
     * that a reader sending a slice of a segment that retention just deleted still finishes (the
     * deleted file's bytes stay readable through an open descriptor).
     */
    void closeWhenUnused() {
        lock.lock();
        try {
            closeRequested = true;
            if (users == 0) {
                closeQuietly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a read/write channel flushes nothing (force() is explicit), so there is nothing to lose.
            }
            channel = null;
        }
    }
}
