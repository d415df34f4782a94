package io.strand.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The fixed part of every frame after its length: api, version and correlation id. Responses echo
 * the request's api and correlation id; pushes from the broker carry correlation id 0.
 */
public record FrameHeader(short apiKey, short version, int correlationId) {
    /** Bytes of the length field. */
    public static final int LENGTH_FIELD_BYTES = 4;
    /** Bytes of api, version and correlation id. */
    public static final int SIZE = 8;

    public static FrameHeader read(FrameReader reader) {
        return new FrameHeader(reader.readInt16("api"), reader.readInt16("version"), reader.readInt32("correlation id"));
    }

    /**
     * Starts a frame in {@code out}: a length placeholder and this header. Call
     * {@link #finish(ByteBuf, int)} with the returned start after writing the body.
     */
    public int begin(ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeShort(apiKey);
        out.writeShort(version);
        out.writeInt(correlationId);
        return start;
    }

    /** Fills in the length of the frame that {@link #begin} started at {@code start}. */
    public static void finish(ByteBuf out, int start) {
        out.setInt(start, out.writerIndex() - start - LENGTH_FIELD_BYTES);
    }
}
