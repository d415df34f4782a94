package io.strand.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run of whole record batches in one segment file, returned by a read so that the caller can
 * send the bytes without copying them through the heap ({@code FileChannel.transferTo}, or a
 * Netty file region over {@link #channel()}).
 *
 * <p>While a slice is open its segment's file stays open (the {@link FileHandleBudget} will not
 * close it). Close the slice once its bytes are sent; closing twice is harmless. An empty slice
 * holds nothing. Not thread-safe.
 */
public final class FileSlice implements AutoCloseable {
    private final LogSegment segment;
    private final FileChannel channel;
    private final long position;
    private final int sizeInBytes;
    private final long firstOffset;
    private final long nextOffset;
    private final AtomicBoolean closed = new AtomicBoolean();

    FileSlice(LogSegment segment, FileChannel channel, long position, int sizeInBytes, long firstOffset,
              long nextOffset) {
        this.segment = segment;
        this.channel = channel;
        this.position = position;
        this.sizeInBytes = sizeInBytes;
        this.firstOffset = firstOffset;
        this.nextOffset = nextOffset;
    }

    /** A slice with no bytes, for a read at the end of the log; {@code nextOffset} is where the read started. */
    static FileSlice empty(long nextOffset) {
        return new FileSlice(null, null, 0, 0, nextOffset, nextOffset);
    }

    public FileChannel channel() {
        return channel;
    }

    public long position() {
        return position;
    }

    public int sizeInBytes() {
        return sizeInBytes;
    }

    /** Base offset of the first batch in the slice. */
    public long firstOffset() {
        return firstOffset;
    }

    /** The offset after the last batch in the slice: where the next read starts. */
    public long nextOffset() {
        return nextOffset;
    }

    public boolean isEmpty() {
        return sizeInBytes == 0;
    }

    /** Copies the slice's bytes into a new heap buffer; for callers that cannot send a file region. */
    public ByteBuffer readIntoHeap() {
        ByteBuffer buffer = ByteBuffer.allocate(sizeInBytes);
        readInto(buffer);
        return buffer.flip();
    }

    /**
     * Copies the slice's bytes into {@code destination} from its position, which must have room for
     * {@link #sizeInBytes()}; advances its position by that much.
     */
    public void readInto(ByteBuffer destination) {
        if (destination.remaining() < sizeInBytes) {
            throw new IllegalArgumentException("destination has " + destination.remaining() + " bytes free, the slice holds "
                    + sizeInBytes);
        }
        int end = destination.position() + sizeInBytes;
        ByteBuffer window = destination.duplicate().limit(end);
        try {
            while (window.hasRemaining()) {
                long filePosition = position + window.position() - destination.position();
                if (channel.read(window, filePosition) < 0) {
                    throw new IOException("end of file at position " + filePosition);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + sizeInBytes + " bytes at position " + position + " of "
                    + segment.logPath(), e);
        }
        destination.position(end);
    }

    /**
     * Fills {@code into} (its remaining bytes) from the file at {@code filePosition}, which must lie within
     * the slice with room for them: a batch header or a whole batch found by walking the slice.
     */
    public void readAt(ByteBuffer into, long filePosition) {
        if (filePosition < position || filePosition + into.remaining() > position + sizeInBytes) {
            throw new IllegalArgumentException(into.remaining() + " bytes at file position " + filePosition
                    + " are not within " + this);
        }
        try {
            long at = filePosition;
            while (into.hasRemaining()) {
                int n = channel.read(into, at);
                if (n < 0) {
                    throw new IOException("end of file at position " + at);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading at position " + filePosition + " of " + segment.logPath(), e);
        }
    }

    @Override
    public void close() {
        if (segment != null && closed.compareAndSet(false, true)) {
            segment.release();
        }
    }

    @Override
    public String toString() {
        return "FileSlice(offsets " + firstOffset + ".." + nextOffset + ", " + sizeInBytes + " bytes at " + position + ")";
    }
}
