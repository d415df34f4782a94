package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one frame body from a {@link ByteBuf}, checking every read against the bytes
 * that remain and every length and count against its limit, so that no input can cause an index
 * error or an outsized allocation. Byte fields come back as slices of the frame (no copy), valid
 * while the frame is. Not thread-safe; one reader per frame.
 */
public final class FrameReader {
    /** Longest string field: destination names, selectors, client ids. */
    public static final int MAX_STRING_BYTES = 32 * 1024;

    private final ByteBuf body;
    private final int start;

    public FrameReader(ByteBuf body) {
        this.body = body;
        this.start = body.readerIndex();
    }

    /** A second reader over the bytes not read yet, so that a field can be peeked at before the frame is handled. */
    public FrameReader remaining() {
        return new FrameReader(body.duplicate());
    }

    private void need(String field, int bytes) {
        if (body.readableBytes() < bytes) {
            throw new MalformedFrameException(field + " at body byte " + (body.readerIndex() - start) + " needs "
                    + bytes + " bytes, " + body.readableBytes() + " remain");
        }
    }

    public byte readInt8(String field) {
        need(field, 1);
        return body.readByte();
    }

    public boolean readBoolean(String field) {
        byte b = readInt8(field);
        if (b != 0 && b != 1) {
            throw new MalformedFrameException(field + " is a boolean but holds " + b);
        }
        return b == 1;
    }

    public short readInt16(String field) {
        need(field, 2);
        return body.readShort();
    }

    public int readInt32(String field) {
        need(field, 4);
        return body.readInt();
    }

    public long readInt64(String field) {
        need(field, 8);
        return body.readLong();
    }

    /** A string: int16 byte length (-1 for null) and UTF-8 bytes. */
    public String readNullableString(String field) {
        short length = readInt16(field + " length");
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new MalformedFrameException(field + " has negative length " + length);
        }
        need(field, length);
        String value = body.toString(body.readerIndex(), length, StandardCharsets.UTF_8);
        body.skipBytes(length);
        return value;
    }

    public String readString(String field) {
        String value = readNullableString(field);
        if (value == null) {
            throw new MalformedFrameException(field + " must not be null");
        }
        return value;
    }

    /** Bytes: int32 length (-1 for null) and the bytes, returned as a slice of the frame. */
    public ByteBuf readNullableBytes(String field, int maxBytes) {
        int length = readInt32(field + " length");
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > maxBytes) {
            throw new MalformedFrameException(field + " has length " + length + ", outside [0, " + maxBytes + "]");
        }
        need(field, length);
        return body.readSlice(length);
    }

    public ByteBuf readBytes(String field, int maxBytes) {
        ByteBuf value = readNullableBytes(field, maxBytes);
        if (value == null) {
            throw new MalformedFrameException(field + " must not be null");
        }
        return value;
    }

    /**
     * An array count (int32), checked against {@code maxCount} and against the bytes left, given that
     * each element takes at least {@code minElementBytes}: a count cannot promise more elements than
     * the frame could hold.
     */
    public int readCount(String field, int maxCount, int minElementBytes) {
        int count = readInt32(field + " count");
        if (count < 0 || count > maxCount) {
            throw new MalformedFrameException(field + " count " + count + " is outside [0, " + maxCount + "]");
        }
        if ((long) count * minElementBytes > body.readableBytes()) {
            throw new MalformedFrameException(field + " count " + count + " cannot fit in the "
                    + body.readableBytes() + " bytes left");
        }
        return count;
    }

    /** Fails when bytes remain after the last field: a frame must hold exactly its fields. */
    public void end(String frameName) {
        if (body.isReadable()) {
            throw new MalformedFrameException(frameName + " has " + body.readableBytes() + " unexpected trailing bytes");
        }
    }
}
