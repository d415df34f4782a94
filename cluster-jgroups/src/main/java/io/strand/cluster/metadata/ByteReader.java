package io.strand.cluster.metadata;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads big-endian fields from untrusted bytes. Every read first checks that the bytes are there and
 * every length against its bound, so malformed input fails with a message naming the field and the
 * offset instead of an exception from deep inside {@link ByteBuffer}.
 */
final class ByteReader {
    private final ByteBuffer buffer;

    ByteReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("offset=" + offset + ", length=" + length
                    + " do not fit " + bytes.length + " bytes");
        }
        this.buffer = ByteBuffer.wrap(bytes, offset, length);
    }

    int position() {
        return buffer.position();
    }

    int remaining() {
        return buffer.remaining();
    }

    int readUnsignedByte(String field) {
        require(1, field);
        return Byte.toUnsignedInt(buffer.get());
    }

    int readUnsignedShort(String field) {
        require(2, field);
        return Short.toUnsignedInt(buffer.getShort());
    }

    int readInt(String field) {
        require(4, field);
        return buffer.getInt();
    }

    long readLong(String field) {
        require(8, field);
        return buffer.getLong();
    }

    byte[] readBytes(int length, String field) {
        if (length < 0) {
            throw malformed(field + " has a negative length " + length);
        }
        require(length, field);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    String readString(String field, int maxBytes) {
        int length = readUnsignedShort(field + " length");
        if (length > maxBytes) {
            throw malformed(field + " is " + length + " bytes long, more than the " + maxBytes + " allowed");
        }
        byte[] bytes = readBytes(length, field);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed(field + " is not valid UTF-8");
        }
    }

    void requireEnd(String what) {
        if (buffer.hasRemaining()) {
            throw malformed(buffer.remaining() + " bytes left over after " + what);
        }
    }

    MetadataFormatException malformed(String problem) {
        return new MetadataFormatException(problem + " (at byte " + buffer.position() + ")");
    }

    private void require(int bytes, String field) {
        if (buffer.remaining() < bytes) {
            throw malformed(field + " needs " + bytes + " bytes but only " + buffer.remaining() + " remain");
        }
    }
}
