package io.strand.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real file channel with test hooks: it counts {@code force()} calls, it can be armed to fail writes
 * or forces the way a full or broken disk does, and it can skip forcing for a simulation that models
 * what reaches the disk itself. Everything else goes to the real file.
 */
public final class InstrumentedFileChannel extends FileChannel {
    /** Shared switches for every channel an opener hands out. */
    public static final class Switches {
        final AtomicInteger forces = new AtomicInteger();
        volatile boolean failWrites;
        volatile boolean failForces;
        /** Count forces but do not wait for the disk: the caller decides what a crash keeps. */
        public volatile boolean skipForces;
        /** When failing writes, how many bytes of the write still reach the file first (a torn write). */
        volatile int bytesBeforeFailure;

        public FileChannelOpener opener() {
            return path -> new InstrumentedFileChannel(FileChannelOpener.READ_WRITE.open(path), this);
        }
    }

    private final FileChannel delegate;
    private final Switches switches;

    private InstrumentedFileChannel(FileChannel delegate, Switches switches) {
        this.delegate = delegate;
        this.switches = switches;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (switches.failWrites) {
            int torn = Math.min(switches.bytesBeforeFailure, src.remaining());
            if (torn > 0) {
                ByteBuffer part = src.duplicate();
                part.limit(part.position() + torn);
                delegate.write(part, position);
            }
            throw new IOException("No space left on device");
        }
        return delegate.write(src, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (switches.failForces) {
            throw new IOException("Input/output error");
        }
        switches.forces.incrementAndGet();
        if (!switches.skipForces) {
            delegate.force(metaData);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return write(src, delegate.position());
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("gathering writes are not used by the log");
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
