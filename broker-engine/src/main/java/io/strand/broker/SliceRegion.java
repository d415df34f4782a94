package io.strand.broker;

import io.netty.channel.DefaultFileRegion;
import io.strand.log.FileSlice;

/**
 * A slice of a segment file sent to a socket without copying it through the heap: Netty's file region,
 * which both transports send with {@code sendfile} (NIO through {@code FileChannel.transferTo}, epoll
 * natively; epoll copies any other kind of region through a buffer). Unlike Netty's own region it does not
 * close the file channel when done, which the log shares with every other reader; it releases the slice's
 * pin on the segment instead.
 *
 * <p>The slice's channel must be the JDK's own file channel, as the log opens it: epoll reads its file
 * descriptor directly.
 */
final class SliceRegion extends DefaultFileRegion {
    private final FileSlice slice;

    SliceRegion(FileSlice slice) {
        super(slice.channel(), slice.position(), slice.sizeInBytes());
        this.slice = slice;
    }

    @Override
    protected void deallocate() {
        slice.close();
    }
}
