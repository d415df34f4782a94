package io.strand.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes frame fields in the encodings {@link FrameReader} reads. Stateless.
 */
public final class FrameWriter {
    private FrameWriter() {
    }

    public static void writeNullableString(ByteBuf out, String value) {
        if (value == null) {
            out.writeShort(-1);
            return;
        }
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int written = ByteBufUtil.writeUtf8(out, value);
        if (written > FrameReader.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + written + " UTF-8 bytes exceeds the protocol limit of "
                    + FrameReader.MAX_STRING_BYTES + ": " + value.substring(0, 40) + "...");
        }
        out.setShort(lengthAt, written);
    }

    public static void writeNullableBytes(ByteBuf out, ByteBuf value) {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(value.readableBytes());
        out.writeBytes(value, value.readerIndex(), value.readableBytes());
    }

    public static void writeBoolean(ByteBuf out, boolean value) {
        out.writeByte(value ? 1 : 0);
    }
}
