package io.strand.jms.message;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte array written at its end: the body store of {@link StrandBytesMessage} and the output of
 * the codec's body encodings. Unlike {@link java.io.ByteArrayOutputStream} it is unsynchronized and lets
 * its owner see the array, so the codec can hand the bytes on without copying them.
 *
 * <p>Bytes once written are never changed: writes only append, and growing copies into a new array.
 * A buffer from {@link #view()} therefore stays valid however the sink is used later.
 *
 * <p>Numbers are big-endian. Not thread-safe.
 */
final class ByteSink extends OutputStream {
    /** The largest array the JVM reliably allocates. */
    private static final int MAX_SIZE = Integer.MAX_VALUE - 8;

    private byte[] buf;
    private int count;

    ByteSink(int initialCapacity) {
        buf = new byte[Math.max(initialCapacity, 16)];
    }

    private ByteSink(byte[] content) {
        buf = content;
        count = content.length;
    }

    /** @return a sink holding {@code content} (not copied: the caller hands it over) */
    static ByteSink of(byte[] content) {
        return new ByteSink(content);
    }

    int size() {
        return count;
    }

    /** @return the backing array; only the first {@link #size()} bytes are content */
    byte[] array() {
        return buf;
    }

    /** @return a read-only buffer over the content written so far, sharing the array */
    ByteBuffer view() {
        return ByteBuffer.wrap(buf, 0, count).slice().asReadOnlyBuffer();
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    @Override
    public void write(int b) {
        ensureCapacity(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureCapacity(length);
        System.arraycopy(bytes, offset, buf, count, length);
        count += length;
    }

    void writeBytes(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    void writeShort(int v) {
        ensureCapacity(2);
        buf[count++] = (byte) (v >>> 8);
        buf[count++] = (byte) v;
    }

    void writeInt(int v) {
        ensureCapacity(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[count++] = (byte) (v >>> shift);
        }
    }

    void writeLong(long v) {
        ensureCapacity(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[count++] = (byte) (v >>> shift);
        }
    }

    /** Writes a non-negative int in 1 to 5 bytes, 7 bits a byte, low bits first (unsigned LEB128). */
    void writeVarint(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint must not be negative: v=" + v);
        }
        while ((v & ~0x7F) != 0) {
            write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        write(v);
    }

    private void ensureCapacity(int extra) {
        final long needed = (long) count + extra;
        if (needed > buf.length) {
            if (needed > MAX_SIZE) {
                throw new IllegalStateException("body larger than " + MAX_SIZE + " bytes: needed=" + needed);
            }
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(needed, 2L * buf.length)));
        }
    }
}
