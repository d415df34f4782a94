package io.strand.jms.message;

import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The property set of one message: names to values of the eight property types, or null.
 *
 * <p>Two doors lead in. The application's door ({@link #set}) enforces the name rules of
 * {@link PropertyNames}, the value types of the specification and the read-only state of a received
 * message. The provider's door ({@link #setByProvider}) skips the read-only state and the JMSX and
 * {@code JMS_} restrictions, because the provider stamps {@code JMSXDeliveryCount} and the like on
 * messages that are already read-only for the application.
 *
 * <p>A null value is stored as a present property whose value is null: {@link #exists} is true and every
 * getter behaves as for a missing property. Insertion order is kept so that encoding is deterministic.
 * Not thread-safe, like the message that owns it.
 */
final class MessageProperties {
    /** Allocated on first write: most messages carry no properties. */
    private Map<String, Object> values;
    /**
     * Whether {@link #values} may be shared with a copy: then the first write copies it. A consumer keeps a copy
     * of every message it hands out, for recover, and the application almost never changes what it received.
     */
    private boolean shared;
    private boolean readOnly;

    void set(String name, Object value) throws MessageFormatException, MessageNotWriteableException {
        PropertyNames.checkApplicationName(name);
        checkValue(name, value);
        if (readOnly) {
            throw new MessageNotWriteableException("properties of a received message are read-only until"
                    + " clearProperties(): name=" + name);
        }
        put(name, value);
    }

    void setByProvider(String name, Object value) throws MessageFormatException {
        PropertyNames.checkProviderName(name);
        putDecoded(name, value);
    }

    /** Used by the codec, which has already checked name and value. */
    void put(String name, Object value) {
        if (values == null) {
            values = new LinkedHashMap<>();
        } else if (shared) {
            values = new LinkedHashMap<>(values);
            shared = false;
        }
        values.put(name, value);
    }

    /** Used by the codec, which has already checked the name: the value's type is checked here. */
    void putDecoded(String name, Object value) throws MessageFormatException {
        checkValue(name, value);
        put(name, value);
    }

    Object get(String name) {
        return values == null ? null : values.get(name);
    }

    boolean exists(String name) {
        return values != null && values.containsKey(name);
    }

    int size() {
        return values == null ? 0 : values.size();
    }

    /** @return a snapshot, so that the caller may change properties while enumerating */
    Enumeration<String> names() {
        return values == null ? Collections.emptyEnumeration() : Collections.enumeration(new ArrayList<>(values.keySet()));
    }

    void forEach(BiConsumer<String, Object> action) {
        if (values != null) {
            values.forEach(action);
        }
    }

    /**
     * @return properties with the same values (all immutable) and mode, sharing this one's map until either
     *         of them is written
     */
    MessageProperties copy() {
        final MessageProperties copy = new MessageProperties();
        copy.values = values;
        copy.shared = values != null;
        shared = copy.shared;
        copy.readOnly = readOnly;
        return copy;
    }

    void clear() {
        values = null;
        shared = false;
        readOnly = false;
    }

    void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    boolean isReadOnly() {
        return readOnly;
    }

    /** @return true for null and the eight property value types of Jakarta Messaging 3.1 §3.5.4 */
    static boolean isPropertyValue(Object value) {
        return value == null || value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof Boolean || value instanceof Double || value instanceof Float
                || value instanceof Short || value instanceof Byte;
    }

    private static void checkValue(String name, Object value) throws MessageFormatException {
        if (!isPropertyValue(value)) {
            throw new MessageFormatException("property " + name + ": a " + value.getClass().getName()
                    + " is not a property type (Boolean, Byte, Short, Integer, Long, Float, Double, String)");
        }
        // The group properties have types fixed by the specification and steer routing (the group id
        // becomes the record key), so a wrong type is refused here rather than misrouted later.
        if (value != null && PropertyNames.JMSX_GROUP_ID.equals(name) && !(value instanceof String)) {
            throw new MessageFormatException("property JMSXGroupID must be a String, not " + value.getClass().getName());
        }
        if (value != null && PropertyNames.JMSX_GROUP_SEQ.equals(name) && !(value instanceof Integer)) {
            throw new MessageFormatException("property JMSXGroupSeq must be an int, not " + value.getClass().getName());
        }
    }
}
