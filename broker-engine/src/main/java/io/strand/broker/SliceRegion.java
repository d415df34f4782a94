package io.strand.broker;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.strand.log.FileSlice;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A slice of a segment file sent to a socket with {@code transferTo} (zero copy). Unlike Netty's
 * own file region it does not close the file channel when done, which the log shares with every
 * other reader; it releases the slice's pin on the segment instead.
 */
final class SliceRegion extends AbstractReferenceCounted implements FileRegion {
    private final FileSlice slice;
    private long transferred;

    SliceRegion(FileSlice slice) {
        this.slice = slice;
    }

    @Override
    public long position() {
        return slice.position();
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return slice.sizeInBytes();
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long remaining = count() - position;
        if (remaining <= 0) {
            return 0;
        }
        long written = slice.channel().transferTo(slice.position() + position, remaining, target);
        transferred += written;
        return written;
    }

    @Override
    protected void deallocate() {
        slice.close();
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }
}
