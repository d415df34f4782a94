package io.strand.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.local.LocalChannel;
import io.strand.log.FileSlice;
import io.strand.protocol.ApiKey;
import io.strand.protocol.FrameHeader;
import java.util.function.Consumer;

/**
 * Writes a push frame whose body ends with a slice of a segment file: the frame header and the
 * push's own fields in a small buffer, then the file bytes with zero copy ({@link SliceRegion}).
 * The in-JVM transport cannot carry file regions, so there the bytes are copied into a buffer.
 */
final class Pushes {
    private Pushes() {
    }

    /**
     * Sends one push and hands the slice over: it is closed once sent (or at once, when copied).
     *
     * @param bodyHeaderBytes the exact size of what {@code bodyHeader} writes
     */
    static void send(Channel channel, ApiKey api, short version, int bodyHeaderBytes, Consumer<ByteBuf> bodyHeader,
                     FileSlice slice) {
        ByteBuf header = frameStart(channel, api, version, bodyHeaderBytes, bodyHeader, slice.sizeInBytes());
        if (channel instanceof LocalChannel) {
            ByteBuf body;
            try (slice) {
                body = Unpooled.wrappedBuffer(slice.readIntoHeap());
            }
            channel.writeAndFlush(Unpooled.wrappedBuffer(header, body), channel.voidPromise());
        } else {
            channel.write(header, channel.voidPromise());
            channel.writeAndFlush(new SliceRegion(slice), channel.voidPromise());
        }
    }

    /** Sends one push whose body ends with {@code records} (released once written). */
    static void sendBuffer(Channel channel, ApiKey api, short version, int bodyHeaderBytes, Consumer<ByteBuf> bodyHeader,
                           ByteBuf records) {
        ByteBuf header = frameStart(channel, api, version, bodyHeaderBytes, bodyHeader, records.readableBytes());
        channel.writeAndFlush(Unpooled.wrappedBuffer(header, records), channel.voidPromise());
    }

    /** The frame's length, header and the push's own fields, before {@code recordsBytes} of records. */
    private static ByteBuf frameStart(Channel channel, ApiKey api, short version, int bodyHeaderBytes,
                                      Consumer<ByteBuf> bodyHeader, int recordsBytes) {
        ByteBuf header = channel.alloc().buffer(FrameHeader.LENGTH_FIELD_BYTES + FrameHeader.SIZE + bodyHeaderBytes);
        header.writeInt(FrameHeader.SIZE + bodyHeaderBytes + recordsBytes);
        header.writeShort(api.id);
        header.writeShort(version);
        header.writeInt(0);
        int bodyStart = header.writerIndex();
        bodyHeader.accept(header);
        assert header.writerIndex() - bodyStart == bodyHeaderBytes : "push body header size mismatch";
        return header;
    }
}
