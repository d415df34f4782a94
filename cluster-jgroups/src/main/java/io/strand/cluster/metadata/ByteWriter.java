package io.strand.cluster.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes big-endian fields into a growing array; the counterpart of {@link ByteReader}. */
final class ByteWriter {
    private byte[] bytes = new byte[64];
    private int size;

    void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    void writeShort(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    void writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    void writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (value >>> shift);
        }
    }

    void writeBytes(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    /** Writes a string as an unsigned 16-bit byte length and UTF-8; the caller bounds its length. */
    void writeString(String value, int maxBytes, String field) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > maxBytes) {
            throw new IllegalArgumentException(field + " is " + utf8.length + " bytes long, more than the "
                    + maxBytes + " allowed");
        }
        writeShort(utf8.length);
        writeBytes(utf8);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int extra) {
        if (size + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
        }
    }
}
