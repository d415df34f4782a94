package io.strand.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A message whose body is a sequence of typed fields (the primitive types, {@code String}, {@code byte[]}
 * and null), written in order and read back in order through the conversion table of
 * {@link TypeConversions}. On the log the body is the typed binary encoding of {@link TypedBodyFormat}.
 *
 * <p>The body is write-only when created and after {@link #clearBody()}, read-only after {@link #reset()}
 * or receipt. A read that fails (wrong type, unparsable string, null read as a primitive) does not move
 * the position, so the application can read the same field again as another type, as the specification
 * asks. A {@code byte[]} field may be read in pieces with {@link #readBytes(byte[])}; once all its bytes
 * have been handed out the next read moves on, and {@code readBytes} answers -1 once to close the field.
 *
 * <p>Not thread-safe, like every message.
 */
public final class StrandStreamMessage extends StrandMessage implements StreamMessage {
    private List<Object> fields = new ArrayList<>();
    /** Index of the next field to read. */
    private int position;
    /** Bytes of the field at {@code position} already handed out by readBytes, or -1 when none are. */
    private int bytesRead = -1;

    /** Creates a message with an empty body, in write-only mode. */
    public StrandStreamMessage() {
        super(MessageKind.STREAM);
    }

    private String what() {
        return "stream field " + position;
    }

    /** @return the next field, without moving past it */
    private Object peek() throws JMSException {
        if (!isBodyReadOnly()) {
            throw new MessageNotReadableException("StreamMessage body is write-only until reset()");
        }
        if (bytesRead >= 0) {
            if (bytesRead < ((byte[]) fields.get(position)).length) {
                throw new MessageFormatException(what() + " is a byte[] partly read by readBytes; read the rest first");
            }
            position++;
            bytesRead = -1;
        }
        if (position >= fields.size()) {
            throw new MessageEOFException("end of StreamMessage body reached after " + fields.size() + " fields");
        }
        return fields.get(position);
    }

    @Override public boolean readBoolean() throws JMSException { final boolean v = TypeConversions.toBoolean(peek(), what()); position++; return v; }
    @Override public byte readByte() throws JMSException { final byte v = TypeConversions.toByte(peek(), what()); position++; return v; }
    @Override public short readShort() throws JMSException { final short v = TypeConversions.toShort(peek(), what()); position++; return v; }
    @Override public char readChar() throws JMSException { final char v = TypeConversions.toChar(peek(), what()); position++; return v; }
    @Override public int readInt() throws JMSException { final int v = TypeConversions.toInt(peek(), what()); position++; return v; }
    @Override public long readLong() throws JMSException { final long v = TypeConversions.toLong(peek(), what()); position++; return v; }
    @Override public float readFloat() throws JMSException { final float v = TypeConversions.toFloat(peek(), what()); position++; return v; }
    @Override public double readDouble() throws JMSException { final double v = TypeConversions.toDouble(peek(), what()); position++; return v; }
    @Override public String readString() throws JMSException { final String v = TypeConversions.toText(peek(), what()); position++; return v; }

    @Override
    public Object readObject() throws JMSException {
        final Object value = peek();
        position++;
        return value instanceof byte[] bytes ? bytes.clone() : value;
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        if (bytesRead < 0) {
            final Object field = peek();
            if (field == null) {
                position++;
                return -1;
            }
            TypeConversions.toBytes(field, what());
            if (((byte[]) field).length == 0) {
                position++;
                return 0;
            }
            bytesRead = 0;
        }
        final byte[] field = (byte[]) fields.get(position);
        final int remaining = field.length - bytesRead;
        if (remaining == 0) {
            // The previous call filled the buffer exactly; this one closes the field.
            position++;
            bytesRead = -1;
            return -1;
        }
        final int count = Math.min(value.length, remaining);
        System.arraycopy(field, bytesRead, value, 0, count);
        bytesRead += count;
        if (count < value.length) {
            // Fewer bytes than the buffer holds tells the caller the field is done.
            position++;
            bytesRead = -1;
        }
        return count;
    }

    private void add(Object value) throws JMSException {
        checkBodyWritable();
        fields.add(value);
    }

    @Override public void writeBoolean(boolean value) throws JMSException { add(value); }
    @Override public void writeByte(byte value) throws JMSException { add(value); }
    @Override public void writeShort(short value) throws JMSException { add(value); }
    @Override public void writeChar(char value) throws JMSException { add(value); }
    @Override public void writeInt(int value) throws JMSException { add(value); }
    @Override public void writeLong(long value) throws JMSException { add(value); }
    @Override public void writeFloat(float value) throws JMSException { add(value); }
    @Override public void writeDouble(double value) throws JMSException { add(value); }
    @Override public void writeString(String value) throws JMSException { add(value); }

    /** A null array writes a null field (§3.12: setters accept null), which readBytes answers with -1. */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value == null ? null : value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        Objects.checkFromIndexSize(offset, length, value.length);
        final byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        add(copy);
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (!TypedValues.isBodyValue(value)) {
            throw new MessageFormatException("StreamMessage cannot hold a " + value.getClass().getName());
        }
        add(value instanceof byte[] bytes ? bytes.clone() : value);
    }

    @Override
    public void reset() {
        setBodyReadOnly();
        position = 0;
        bytesRead = -1;
    }

    @Override
    protected void onBodyReadOnly() {
        reset();
    }

    @Override
    protected void clearBodyContent() {
        fields.clear();
        position = 0;
        bytesRead = -1;
    }

    @Override
    protected void copyBodyContainers() {
        fields = new ArrayList<>(fields); // fields are immutable, and arrays are copied in and out
        if (isBodyReadOnly()) {
            reset(); // a position of its own
        }
    }

    /** @return the live fields, for the codec; values are never copied there */
    final List<Object> fields() {
        return fields;
    }

    /** The specification: getBody may not be used on a StreamMessage. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("getBody cannot be used on a StreamMessage; read its fields instead");
    }

    /** The specification: always false for a StreamMessage. */
    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return false;
    }
}
