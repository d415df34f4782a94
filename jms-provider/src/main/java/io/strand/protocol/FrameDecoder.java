package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream of a connection into frames: reads the int32 length, checks it lies between
 * the header size and {@code maxFrameBytes}, and emits each whole frame (header and body, without
 * the length) as a retained slice. A length out of range means the stream can no longer be framed:
 * the decoder raises {@link MalformedFrameException} and discards everything after, and the
 * connection's handler closes it. Resumable: a frame split across reads is assembled as bytes arrive.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private boolean failed;

    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < FrameHeader.SIZE) {
            throw new IllegalArgumentException("maxFrameBytes=" + maxFrameBytes + " is smaller than a frame header");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= FrameHeader.LENGTH_FIELD_BYTES) {
            int length = in.getInt(in.readerIndex());
            if (length < FrameHeader.SIZE || length > maxFrameBytes) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw new MalformedFrameException("frame length " + length + " is outside [" + FrameHeader.SIZE + ", "
                        + maxFrameBytes + "]");
            }
            if (in.readableBytes() < FrameHeader.LENGTH_FIELD_BYTES + length) {
                return;
            }
            in.skipBytes(FrameHeader.LENGTH_FIELD_BYTES);
            out.add(in.readRetainedSlice(length));
        }
    }
}
