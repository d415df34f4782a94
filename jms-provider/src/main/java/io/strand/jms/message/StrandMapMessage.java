package io.strand.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message whose body is a set of named values of the primitive types, {@code String} and {@code byte[]},
 * read back through the conversion table of {@link TypeConversions}. On the log the body is the typed
 * binary encoding of {@link TypedBodyFormat}.
 *
 * <p>Arrays are copied in and out so that the caller's array and the body never alias. A null value is
 * an item whose value is null (it exists, and reads as a missing value would). Insertion order is kept
 * so that encoding is deterministic.
 *
 * <p>Not thread-safe, like every message.
 */
public final class StrandMapMessage extends StrandMessage implements MapMessage {
    private Map<String, Object> items = new LinkedHashMap<>();

    /** Creates a message with an empty body. */
    public StrandMapMessage() {
        super(MessageKind.MAP);
    }

    private Object get(String name) {
        return items.get(name);
    }

    private static String what(String name) {
        return "map item " + name;
    }

    @Override public boolean getBoolean(String name) throws JMSException { return TypeConversions.toBoolean(get(name), what(name)); }
    @Override public byte getByte(String name) throws JMSException { return TypeConversions.toByte(get(name), what(name)); }
    @Override public short getShort(String name) throws JMSException { return TypeConversions.toShort(get(name), what(name)); }
    @Override public char getChar(String name) throws JMSException { return TypeConversions.toChar(get(name), what(name)); }
    @Override public int getInt(String name) throws JMSException { return TypeConversions.toInt(get(name), what(name)); }
    @Override public long getLong(String name) throws JMSException { return TypeConversions.toLong(get(name), what(name)); }
    @Override public float getFloat(String name) throws JMSException { return TypeConversions.toFloat(get(name), what(name)); }
    @Override public double getDouble(String name) throws JMSException { return TypeConversions.toDouble(get(name), what(name)); }
    @Override public String getString(String name) throws JMSException { return TypeConversions.toText(get(name), what(name)); }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        final byte[] bytes = TypeConversions.toBytes(get(name), what(name));
        return bytes == null ? null : bytes.clone();
    }

    @Override
    public Object getObject(String name) {
        final Object value = get(name);
        return value instanceof byte[] bytes ? bytes.clone() : value;
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(new ArrayList<>(items.keySet()));
    }

    @Override
    public boolean itemExists(String name) {
        return items.containsKey(name);
    }

    private void put(String name, Object value) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("map item name must not be null or empty: name=" + name);
        }
        checkBodyWritable();
        items.put(name, value);
    }

    @Override public void setBoolean(String name, boolean value) throws JMSException { put(name, value); }
    @Override public void setByte(String name, byte value) throws JMSException { put(name, value); }
    @Override public void setShort(String name, short value) throws JMSException { put(name, value); }
    @Override public void setChar(String name, char value) throws JMSException { put(name, value); }
    @Override public void setInt(String name, int value) throws JMSException { put(name, value); }
    @Override public void setLong(String name, long value) throws JMSException { put(name, value); }
    @Override public void setFloat(String name, float value) throws JMSException { put(name, value); }
    @Override public void setDouble(String name, double value) throws JMSException { put(name, value); }
    @Override public void setString(String name, String value) throws JMSException { put(name, value); }

    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        Objects.checkFromIndexSize(offset, length, value.length);
        final byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        put(name, copy);
    }

    @Override
    public void setObject(String name, Object value) throws JMSException {
        if (!TypedValues.isBodyValue(value)) {
            throw new MessageFormatException(what(name) + ": MapMessage cannot hold a " + value.getClass().getName());
        }
        put(name, value instanceof byte[] bytes ? bytes.clone() : value);
    }

    /** @return the live items, for the codec; values are never copied there */
    final Map<String, Object> items() {
        return items;
    }

    @Override
    protected void clearBodyContent() {
        items.clear();
    }

    @Override
    protected void copyBodyContainers() {
        items = new LinkedHashMap<>(items); // values are immutable, and arrays are copied in and out
    }

    @Override
    protected boolean hasBody() {
        return !items.isEmpty();
    }

    @Override
    protected boolean acceptsBodyType(Class<?> c) {
        return c.isAssignableFrom(Map.class);
    }

    @Override
    protected Object bodyCopy() {
        final Map<String, Object> copy = new HashMap<>(items.size() * 2);
        items.forEach((name, value) -> copy.put(name, value instanceof byte[] bytes ? bytes.clone() : value));
        return copy;
    }
}
