package io.strand.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 for header keys, written straight into the batch so that appending a record allocates no byte array.
 *
 * <p>A key with an unpaired surrogate has no UTF-8 form; {@link String#getBytes} would silently turn it into
 * {@code '?'} and the key read back would differ from the key written, so it is refused instead. Decoding is
 * the JDK's (malformed bytes become U+FFFD): a header key is only compared, never trusted for structure, and
 * the batch CRC already guards the bytes. Stateless and thread-safe.
 */
final class Utf8 {
    private Utf8() {
    }

    /** Bytes of {@code s} in UTF-8. */
    static int encodedLength(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isSurrogate(c)) {
                checkPair(s, i);
                bytes += 2;
                i++;
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Writes {@code s} as UTF-8 at the buffer's position, which must have {@link #encodedLength} bytes of room. */
    static void encode(String s, ByteBuffer out) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | c >> 6)).put((byte) (0x80 | c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                int cp = checkPair(s, i);
                i++;
                out.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
                        .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
            } else {
                out.put((byte) (0xE0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3F)).put((byte) (0x80 | c & 0x3F));
            }
        }
    }

    /** The string in {@code buffer[index, index + length)}; moves no position. */
    static String decode(ByteBuffer buffer, int index, int length) {
        if (buffer.hasArray()) {
            return new String(buffer.array(), buffer.arrayOffset() + index, length, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[length];
        buffer.get(index, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int checkPair(String s, int i) {
        char high = s.charAt(i);
        if (Character.isHighSurrogate(high) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return Character.toCodePoint(high, s.charAt(i + 1));
        }
        throw new IllegalArgumentException("header key has an unpaired surrogate at index " + i
                + " and cannot be written as UTF-8");
    }
}
