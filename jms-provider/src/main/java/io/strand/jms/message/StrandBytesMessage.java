package io.strand.jms.message;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A message whose body is a stream of uninterpreted bytes, written and read with the encodings of
 * {@link java.io.DataOutputStream} and {@link java.io.DataInputStream} (big-endian numbers, modified UTF-8
 * strings), as the specification asks. On the log the body is exactly these bytes.
 *
 * <p>The body is write-only when the message is created and after {@link #clearBody()}, and read-only
 * after {@link #reset()} or receipt. A read that runs out of bytes throws {@link MessageEOFException} and
 * leaves the position where it was, so the application may retry with a shorter read.
 *
 * <p>Not thread-safe, like every message.
 */
public final class StrandBytesMessage extends StrandMessage implements BytesMessage {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle CHAR = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ByteSink body = new ByteSink(64);
    /** Writes to {@link #body}; made on the first write, since a received message is only read. */
    private DataOutputStream out;
    /** Where the next read starts while the body is read-only; -1 while it is write-only. */
    private int readPosition = -1;

    /** Creates a message with an empty body, in write-only mode. */
    public StrandBytesMessage() {
        super(MessageKind.BYTES);
    }

    /**
     * Takes {@code length} bytes for a read: returns where they start in {@link ByteSink#array()} and moves the
     * position past them, or throws, leaving the position where it was, when fewer remain.
     */
    private int take(int length) throws JMSException {
        if (readPosition < 0) {
            throw new MessageNotReadableException("BytesMessage body is write-only until reset()");
        }
        if (body.size() - readPosition < length) {
            throw new MessageEOFException("end of BytesMessage body reached: bodyLength=" + body.size());
        }
        int at = readPosition;
        readPosition += length;
        return at;
    }

    @Override public boolean readBoolean() throws JMSException { return body.array()[take(1)] != 0; }
    @Override public byte readByte() throws JMSException { return body.array()[take(1)]; }
    @Override public int readUnsignedByte() throws JMSException { return body.array()[take(1)] & 0xFF; }
    @Override public short readShort() throws JMSException { return (short) SHORT.get(body.array(), take(2)); }
    @Override public int readUnsignedShort() throws JMSException { return readShort() & 0xFFFF; }
    @Override public char readChar() throws JMSException { return (char) CHAR.get(body.array(), take(2)); }
    @Override public int readInt() throws JMSException { return (int) INT.get(body.array(), take(4)); }
    @Override public long readLong() throws JMSException { return (long) LONG.get(body.array(), take(8)); }
    @Override public float readFloat() throws JMSException { return Float.intBitsToFloat(readInt()); }
    @Override public double readDouble() throws JMSException { return Double.longBitsToDouble(readLong()); }

    /** Modified UTF-8 behind a two-byte length, decoded as {@link DataInputStream#readUTF} does. */
    @Override
    public String readUTF() throws JMSException {
        int at = take(0);
        int remaining = body.size() - at;
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(body.array(), at, remaining))) {
            String value = data.readUTF();
            readPosition = at + remaining - data.available();
            return value;
        } catch (EOFException e) {
            throw new MessageEOFException("end of BytesMessage body reached: bodyLength=" + body.size());
        } catch (UTFDataFormatException e) {
            throw new MessageFormatException("BytesMessage body holds no valid modified UTF-8 string here: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory body cannot fail", e);
        }
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length=" + length + " value.length=" + value.length);
        }
        int at = take(0);
        int available = body.size() - at;
        if (available == 0) {
            return -1; // the end of the body, as the specification asks
        }
        int read = Math.min(length, available);
        System.arraycopy(body.array(), at, value, 0, read);
        readPosition = at + read;
        return read;
    }

    @Override
    public long getBodyLength() throws JMSException {
        if (readPosition < 0) {
            throw new MessageNotReadableException("BytesMessage body length is known only in read-only mode");
        }
        return body.size();
    }

    /** One write step; the target is an in-memory sink, so I/O errors cannot happen. */
    @FunctionalInterface
    private interface Write {
        void to(DataOutputStream out) throws IOException;
    }

    private void write(Write step) throws JMSException {
        checkBodyWritable();
        if (out == null) {
            out = new DataOutputStream(body);
        }
        try {
            step.to(out);
        } catch (UTFDataFormatException e) {
            throw new MessageFormatException("string too long for writeUTF (at most 65535 bytes of modified UTF-8)");
        } catch (IOException e) {
            throw new IllegalStateException("writing an in-memory body cannot fail", e);
        }
    }

    @Override public void writeBoolean(boolean value) throws JMSException { write(o -> o.writeBoolean(value)); }
    @Override public void writeByte(byte value) throws JMSException { write(o -> o.writeByte(value)); }
    @Override public void writeShort(short value) throws JMSException { write(o -> o.writeShort(value)); }
    @Override public void writeChar(char value) throws JMSException { write(o -> o.writeChar(value)); }
    @Override public void writeInt(int value) throws JMSException { write(o -> o.writeInt(value)); }
    @Override public void writeLong(long value) throws JMSException { write(o -> o.writeLong(value)); }
    @Override public void writeFloat(float value) throws JMSException { write(o -> o.writeFloat(value)); }
    @Override public void writeDouble(double value) throws JMSException { write(o -> o.writeDouble(value)); }
    @Override public void writeUTF(String value) throws JMSException { write(o -> o.writeUTF(value)); }
    @Override public void writeBytes(byte[] value) throws JMSException { write(o -> o.write(value)); }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        write(o -> o.write(value, offset, length));
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("BytesMessage.writeObject value must not be null");
        }
        if (value instanceof Boolean v) { writeBoolean(v); }
        else if (value instanceof Byte v) { writeByte(v); }
        else if (value instanceof Short v) { writeShort(v); }
        else if (value instanceof Character v) { writeChar(v); }
        else if (value instanceof Integer v) { writeInt(v); }
        else if (value instanceof Long v) { writeLong(v); }
        else if (value instanceof Float v) { writeFloat(v); }
        else if (value instanceof Double v) { writeDouble(v); }
        else if (value instanceof String v) { writeUTF(v); }
        else if (value instanceof byte[] v) { writeBytes(v); }
        else {
            throw new MessageFormatException("BytesMessage cannot write a " + value.getClass().getName());
        }
    }

    @Override
    public void reset() {
        setBodyReadOnly();
        readPosition = 0;
    }

    @Override
    protected void onBodyReadOnly() {
        reset();
    }

    @Override
    protected void clearBodyContent() {
        // A fresh sink, never a truncated one: buffers already handed to the codec keep their bytes.
        body = new ByteSink(64);
        out = null;
        readPosition = -1;
    }

    @Override
    protected void copyBodyContainers() {
        // The bytes are shared: a sink is only written in write-only mode, which clearBody enters with a fresh
        // sink. The copy gets its own streams, so that reading one message does not move the other.
        out = null;
        readPosition = -1;
        if (isBodyReadOnly()) {
            reset();
        }
    }

    /** @return the whole body, whatever the mode and position; shares the array (see {@link ByteSink}) */
    final ByteBuffer bodyView() {
        return body.view();
    }

    /** Used by the codec: the body of a received message, handed over without a copy. */
    final void setDecodedBody(byte[] bytes) {
        body = ByteSink.of(bytes);
        out = null;
        readPosition = -1;
    }

    /** The specification asks getBody to reset the message before and after use. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        reset();
        try {
            return super.getBody(c);
        } finally {
            reset();
        }
    }

    @Override
    protected boolean hasBody() {
        return body.size() > 0;
    }

    @Override
    protected boolean acceptsBodyType(Class<?> c) {
        return c.isAssignableFrom(byte[].class);
    }

    @Override
    protected Object bodyCopy() {
        return body.toByteArray();
    }
}
