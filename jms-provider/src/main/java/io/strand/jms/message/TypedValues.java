package io.strand.jms.message;

import io.strand.jms.StrandDestination;
import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTemporaryQueue;
import io.strand.jms.StrandTemporaryTopic;
import io.strand.jms.StrandTopic;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One typed value in bytes: a one-byte type tag followed by the value. Tags are part of the stored format;
 * never renumber one.
 *
 * <pre>
 * tag  type              value bytes in a header      value bytes in a body item
 *   0  null              none                          none
 *   1  boolean           1 byte, 0 or 1                same
 *   2  byte              1                             same
 *   3  short             2, big-endian                 same
 *   4  char              2, big-endian UTF-16 unit     same
 *   5  int               4, big-endian                 same
 *   6  long              8, big-endian                 same
 *   7  float             4, IEEE 754 bits, big-endian  same
 *   8  double            8, IEEE 754 bits, big-endian  same
 *   9  String            UTF-8, to the end             varint length, then UTF-8
 *  10  byte[]            raw, to the end               varint length, then raw
 *  11  queue             name in UTF-8, to the end     (headers only)
 *  12  topic             name in UTF-8, to the end     (headers only)
 *  13  temporary queue   name in UTF-8, to the end     (headers only)
 *  14  temporary topic   name in UTF-8, to the end     (headers only)
 * </pre>
 *
 * <p>A header value is one record header, whose length the record already gives, so strings and arrays
 * run to its end. Body items follow each other, so there they carry a length: an unsigned LEB128 varint
 * of 1 to 5 bytes. Strings are standard UTF-8; decoding is strict, so malformed bytes are rejected rather
 * than silently replaced (an unpaired surrogate in a Java string is written as {@code '?'} by the JDK's
 * encoder, the one lossy case).
 *
 * <p>Decoding never trusts a length: every read is checked against the bytes that remain and failures
 * are {@link MessageFormatException}s that name the header or item. Stateless apart from one cached
 * decoder per thread; thread-safe.
 */
final class TypedValues {
    static final byte NULL = 0;
    static final byte BOOLEAN = 1;
    static final byte BYTE = 2;
    static final byte SHORT = 3;
    static final byte CHAR = 4;
    static final byte INT = 5;
    static final byte LONG = 6;
    static final byte FLOAT = 7;
    static final byte DOUBLE = 8;
    static final byte STRING = 9;
    static final byte BYTES = 10;
    static final byte QUEUE = 11;
    static final byte TOPIC = 12;
    static final byte TEMPORARY_QUEUE = 13;
    static final byte TEMPORARY_TOPIC = 14;

    private static final ThreadLocal<CharsetDecoder> UTF8 =
            ThreadLocal.withInitial(StandardCharsets.UTF_8::newDecoder);

    private TypedValues() {
    }

    /** @return true for what a MapMessage item or StreamMessage field may hold */
    static boolean isBodyValue(Object value) {
        return MessageProperties.isPropertyValue(value) || value instanceof Character || value instanceof byte[];
    }

    // ---- encoding ------------------------------------------------------------------------------

    /** @return the tag and the fixed-size or unprefixed value of a header holding anything but a destination */
    static byte[] headerValue(Object value) {
        final ByteSink out = new ByteSink(16);
        if (value instanceof String s) {
            out.write(STRING);
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[] bytes) {
            out.write(BYTES);
            out.writeBytes(bytes);
        } else {
            writeFixed(out, value);
        }
        return out.toByteArray();
    }

    /** Writes a body item: the tag, then a fixed-size value or a length-prefixed one. */
    static void writeItem(ByteSink out, Object value) {
        if (value instanceof String s) {
            writePrefixed(out, STRING, s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof byte[] bytes) {
            writePrefixed(out, BYTES, bytes);
        } else {
            writeFixed(out, value);
        }
    }

    private static void writePrefixed(ByteSink out, byte tag, byte[] bytes) {
        out.write(tag);
        out.writeVarint(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeFixed(ByteSink out, Object value) {
        if (value == null) {
            out.write(NULL);
        } else if (value instanceof Boolean v) {
            out.write(BOOLEAN);
            out.write(v ? 1 : 0);
        } else if (value instanceof Byte v) {
            out.write(BYTE);
            out.write(v);
        } else if (value instanceof Short v) {
            out.write(SHORT);
            out.writeShort(v);
        } else if (value instanceof Character v) {
            out.write(CHAR);
            out.writeShort(v);
        } else if (value instanceof Integer v) {
            out.write(INT);
            out.writeInt(v);
        } else if (value instanceof Long v) {
            out.write(LONG);
            out.writeLong(v);
        } else if (value instanceof Float v) {
            out.write(FLOAT);
            out.writeInt(Float.floatToRawIntBits(v));
        } else if (value instanceof Double v) {
            out.write(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(v));
        } else {
            // Setters check types, so reaching here is a provider bug, not bad input.
            throw new IllegalStateException("no encoding for a " + value.getClass().getName());
        }
    }

    /**
     * @return the tag and name of a destination header; foreign destinations are accepted by their
     *         Queue/Topic names, as long as those are valid Strand names too
     * @throws InvalidDestinationException if the destination is neither a Queue nor a Topic, or its name
     *                                     is not a valid Strand name
     */
    static byte[] destinationValue(Destination destination) throws JMSException {
        final byte tag;
        final String name;
        if (destination instanceof TemporaryQueue q) {
            tag = TEMPORARY_QUEUE;
            name = q.getQueueName();
        } else if (destination instanceof Queue q) {
            tag = QUEUE;
            name = q.getQueueName();
        } else if (destination instanceof TemporaryTopic t) {
            tag = TEMPORARY_TOPIC;
            name = t.getTopicName();
        } else if (destination instanceof Topic t) {
            tag = TOPIC;
            name = t.getTopicName();
        } else {
            throw new InvalidDestinationException("a destination must be a Queue or a Topic: " + destination);
        }
        final byte[] nameBytes = StrandDestination.validateName(name).getBytes(StandardCharsets.UTF_8);
        final byte[] value = new byte[1 + nameBytes.length];
        value[0] = tag;
        System.arraycopy(nameBytes, 0, value, 1, nameBytes.length);
        return value;
    }

    // ---- decoding ------------------------------------------------------------------------------

    /**
     * @param value the header value; its position is not moved
     * @param key   the header key, for error messages
     */
    static Object parseHeaderValue(ByteBuffer value, String key) throws MessageFormatException {
        final ByteBuffer in = value.duplicate();
        if (!in.hasRemaining()) {
            throw new MessageFormatException("header " + key + ": empty value, the type tag is missing");
        }
        final byte tag = in.get();
        final String what = "header " + key;
        return switch (tag) {
            case STRING -> utf8(in, in.remaining(), what);
            case BYTES -> bytes(in, in.remaining());
            case QUEUE, TOPIC, TEMPORARY_QUEUE, TEMPORARY_TOPIC -> destination(tag, utf8(in, in.remaining(), what), what);
            default -> {
                final Object fixed = readFixed(in, tag, what);
                if (in.hasRemaining()) {
                    throw new MessageFormatException(what + ": " + in.remaining() + " bytes after a value of tag " + tag);
                }
                yield fixed;
            }
        };
    }

    /** Reads one body item and moves past it. */
    static Object readItem(ByteBuffer in, String what) throws MessageFormatException {
        if (!in.hasRemaining()) {
            throw new MessageFormatException(what + ": the type tag is missing");
        }
        final byte tag = in.get();
        return switch (tag) {
            case STRING -> utf8(in, readLength(in, what), what);
            case BYTES -> bytes(in, readLength(in, what));
            default -> readFixed(in, tag, what);
        };
    }

    private static Object readFixed(ByteBuffer in, byte tag, String what) throws MessageFormatException {
        try {
            return switch (tag) {
                case NULL -> null;
                case BOOLEAN -> bool(in.get(), what);
                case BYTE -> in.get();
                case SHORT -> in.getShort();
                case CHAR -> in.getChar();
                case INT -> in.getInt();
                case LONG -> in.getLong();
                case FLOAT -> Float.intBitsToFloat(in.getInt());
                case DOUBLE -> Double.longBitsToDouble(in.getLong());
                default -> throw new MessageFormatException(what + ": unknown type tag " + tag);
            };
        } catch (BufferUnderflowException e) {
            throw new MessageFormatException(what + ": value of tag " + tag + " is cut short");
        }
    }

    private static Boolean bool(byte b, String what) throws MessageFormatException {
        if (b != 0 && b != 1) {
            throw new MessageFormatException(what + ": boolean byte must be 0 or 1, not " + b);
        }
        return b == 1;
    }

    /** Reads an unsigned LEB128 length of at most 5 bytes and checks it against what remains. */
    static int readLength(ByteBuffer in, String what) throws MessageFormatException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.hasRemaining()) {
                throw new MessageFormatException(what + ": length is cut short");
            }
            final int b = in.get() & 0xFF;
            if (shift == 28 && (b & 0xF8) != 0) {
                throw new MessageFormatException(what + ": length does not fit in 31 bits");
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value > in.remaining()) {
                    throw new MessageFormatException(what + ": length " + value + " exceeds the "
                            + in.remaining() + " bytes that remain");
                }
                return value;
            }
        }
        throw new AssertionError("unreachable: the fifth byte either ends the varint or is rejected");
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        final byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** Strict UTF-8 of the next {@code length} bytes, which the caller has checked are there. */
    /** Strings of direct buffers up to this many bytes are copied to the heap to be checked for plain ASCII. */
    private static final int MAX_COPIED_STRING = 4096;

    static String utf8(ByteBuffer in, int length, String what) throws MessageFormatException {
        final ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        // Names, ids and most text are ASCII: a bulk copy and a check instead of a decoder's loop over a CharBuffer.
        if (slice.hasArray()) {
            if (isAscii(slice.array(), slice.arrayOffset(), length)) {
                return new String(slice.array(), slice.arrayOffset(), length, StandardCharsets.US_ASCII);
            }
        } else if (length <= MAX_COPIED_STRING) {
            final byte[] bytes = new byte[length];
            slice.get(0, bytes);
            if (isAscii(bytes, 0, length)) {
                return new String(bytes, StandardCharsets.US_ASCII);
            }
        }
        try {
            final CharBuffer chars = UTF8.get().reset().decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MessageFormatException(what + ": malformed UTF-8 (" + e + ")");
        }
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static Destination destination(byte tag, String name, String what) throws MessageFormatException {
        try {
            return switch (tag) {
                case QUEUE -> new StrandQueue(name);
                case TOPIC -> new StrandTopic(name);
                case TEMPORARY_QUEUE -> new StrandTemporaryQueue(name);
                default -> new StrandTemporaryTopic(name);
            };
        } catch (InvalidDestinationException e) {
            throw new MessageFormatException(what + ": " + e.getMessage());
        }
    }
}
