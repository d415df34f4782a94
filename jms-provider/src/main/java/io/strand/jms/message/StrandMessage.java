package io.strand.jms.message;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * A plain Jakarta Messaging message (headers and properties, no body) and the base of the five body types.
 *
 * <p>Headers are plain fields: the specification says header fields are never read-only, so their setters
 * always work. Properties live in a {@link MessageProperties}, which is read-only on a received message
 * until {@link #clearProperties()}. The body state (read-only after receipt, writable after
 * {@link #clearBody()}) is kept here and each subclass asks for it through {@link #checkBodyWritable()}.
 *
 * <p>{@code JMSCorrelationID} holds either a {@code String} or a {@code byte[]}, whichever was set last;
 * each getter converts the other form through UTF-8 (the byte form is non-portable anyway).
 *
 * <p>Methods marked "provider use" are public only because the session and consumer classes live in
 * another package; applications never call them.
 *
 * <p>Not thread-safe: as the specification says, a message is used by one thread at a time.
 */
public class StrandMessage implements Message, Cloneable {
    private String messageId;
    private long timestamp;
    private String correlationId;
    private byte[] correlationIdBytes;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode = Message.DEFAULT_DELIVERY_MODE;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;

    private final MessageKind kind;
    private MessageProperties properties = new MessageProperties();
    private boolean bodyReadOnly;
    private MessageAcknowledger acknowledger;
    /** A copy of this message as it was received, for a redelivery from the client's memory; null if none kept. */
    private StrandMessage asReceived;

    /** Creates an empty plain message. */
    public StrandMessage() {
        this(MessageKind.MESSAGE);
    }

    /** For the body types of this package, which fix their kind here so that the codec can trust it. */
    StrandMessage(MessageKind kind) {
        this.kind = kind;
    }

    /** @return the kind the codec records for this message */
    public final MessageKind kind() {
        return kind;
    }

    // ---- headers -------------------------------------------------------------------------------

    @Override public String getJMSMessageID() { return messageId; }
    @Override public void setJMSMessageID(String id) { messageId = id; }
    @Override public long getJMSTimestamp() { return timestamp; }
    @Override public void setJMSTimestamp(long timestamp) { this.timestamp = timestamp; }
    @Override public Destination getJMSReplyTo() { return replyTo; }
    @Override public void setJMSReplyTo(Destination replyTo) { this.replyTo = replyTo; }
    @Override public Destination getJMSDestination() { return destination; }
    @Override public void setJMSDestination(Destination destination) { this.destination = destination; }
    @Override public int getJMSDeliveryMode() { return deliveryMode; }
    @Override public void setJMSDeliveryMode(int deliveryMode) { this.deliveryMode = deliveryMode; }
    @Override public boolean getJMSRedelivered() { return redelivered; }
    @Override public void setJMSRedelivered(boolean redelivered) { this.redelivered = redelivered; }
    @Override public String getJMSType() { return type; }
    @Override public void setJMSType(String type) { this.type = type; }
    @Override public long getJMSExpiration() { return expiration; }
    @Override public void setJMSExpiration(long expiration) { this.expiration = expiration; }
    @Override public long getJMSDeliveryTime() { return deliveryTime; }
    @Override public void setJMSDeliveryTime(long deliveryTime) { this.deliveryTime = deliveryTime; }
    @Override public int getJMSPriority() { return priority; }
    @Override public void setJMSPriority(int priority) { this.priority = priority; }

    @Override
    public void setJMSCorrelationID(String correlationId) {
        this.correlationId = correlationId;
        this.correlationIdBytes = null;
    }

    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationId) {
        this.correlationIdBytes = correlationId == null ? null : correlationId.clone();
        this.correlationId = null;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationIdBytes != null ? new String(correlationIdBytes, StandardCharsets.UTF_8) : correlationId;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationIdBytes != null) {
            return correlationIdBytes.clone();
        }
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the correlation id as set, a {@code String} or the (uncopied) {@code byte[]}, or null */
    final Object correlationIdAsSet() {
        return correlationIdBytes != null ? correlationIdBytes : correlationId;
    }

    // ---- properties ----------------------------------------------------------------------------

    @Override public void clearProperties() { properties.clear(); }
    @Override public boolean propertyExists(String name) { return properties.exists(name); }
    @Override public Enumeration<String> getPropertyNames() { return properties.names(); }
    @Override public Object getObjectProperty(String name) { return properties.get(name); }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return TypeConversions.toBoolean(properties.get(name), "property " + name);
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return TypeConversions.toByte(properties.get(name), "property " + name);
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return TypeConversions.toShort(properties.get(name), "property " + name);
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return TypeConversions.toInt(properties.get(name), "property " + name);
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return TypeConversions.toLong(properties.get(name), "property " + name);
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return TypeConversions.toFloat(properties.get(name), "property " + name);
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return TypeConversions.toDouble(properties.get(name), "property " + name);
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return TypeConversions.toText(properties.get(name), "property " + name);
    }

    @Override public void setBooleanProperty(String name, boolean value) throws JMSException { properties.set(name, value); }
    @Override public void setByteProperty(String name, byte value) throws JMSException { properties.set(name, value); }
    @Override public void setShortProperty(String name, short value) throws JMSException { properties.set(name, value); }
    @Override public void setIntProperty(String name, int value) throws JMSException { properties.set(name, value); }
    @Override public void setLongProperty(String name, long value) throws JMSException { properties.set(name, value); }
    @Override public void setFloatProperty(String name, float value) throws JMSException { properties.set(name, value); }
    @Override public void setDoubleProperty(String name, double value) throws JMSException { properties.set(name, value); }
    @Override public void setStringProperty(String name, String value) throws JMSException { properties.set(name, value); }
    @Override public void setObjectProperty(String name, Object value) throws JMSException { properties.set(name, value); }

    /**
     * Provider use: sets a property the application may not set (JMSX, {@code JMS_}), even on a
     * read-only message.
     *
     * @throws IllegalArgumentException if the name is not a property name at all
     * @throws MessageFormatException   if the value is not of a property type
     */
    public void setProviderProperty(String name, Object value) throws MessageFormatException {
        properties.setByProvider(name, value);
    }

    /**
     * Provider use: stamps the broker's delivery count on a consumed message, as {@code JMSXDeliveryCount}
     * and as {@code JMSRedelivered} (true from the second delivery on).
     *
     * @param deliveryCount how many times the broker has delivered this record, 1 on the first delivery
     */
    public void setDeliveryCount(int deliveryCount) {
        if (deliveryCount < 1) {
            throw new IllegalArgumentException("deliveryCount must be at least 1: deliveryCount=" + deliveryCount);
        }
        properties.put(PropertyNames.JMSX_DELIVERY_COUNT, deliveryCount);
        redelivered = deliveryCount > 1;
    }

    final MessageProperties properties() {
        return properties;
    }

    // ---- body state ----------------------------------------------------------------------------

    /**
     * Provider use: puts the message in the state a consumer receives it in: properties and body
     * read-only, a bytes or stream body positioned at its start.
     */
    public final void makeReadOnly() {
        properties.setReadOnly(true);
        bodyReadOnly = true;
        onBodyReadOnly();
    }

    @Override
    public final void clearBody() throws JMSException {
        bodyReadOnly = false;
        clearBodyContent();
    }

    /** @return true while the body may not be written (received, or a bytes/stream body after reset) */
    public final boolean isBodyReadOnly() {
        return bodyReadOnly;
    }

    /** Lets {@code reset()} of bytes and stream messages mark the body read-only. */
    final void setBodyReadOnly() {
        bodyReadOnly = true;
    }

    /** @throws MessageNotWriteableException if the body is read-only */
    protected final void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException(kind() + " body is read-only; call clearBody() to write it");
        }
    }

    /** Empties the body; the body is already writable when this runs. */
    protected void clearBodyContent() {
    }

    /** Runs when the body becomes read-only on receipt; bytes and stream bodies rewind here. */
    protected void onBodyReadOnly() {
    }

    // ---- redelivery from the client's memory (JMS 3.1 §3.10) -------------------------------------

    /**
     * Provider use: keeps a copy of this received message as it is now, before the application sees it.
     * The application may change a received message (headers, and properties and body after clearing
     * them); a message redelivered by recover or rollback must still be the original (§3.10).
     */
    public final void keepAsReceived() {
        asReceived = copy();
    }

    /**
     * Provider use: the message to redeliver in this one's place: the copy kept by {@link #keepAsReceived}, or
     * this message when none was kept.
     */
    public final StrandMessage forRedelivery() {
        return asReceived != null ? asReceived : this;
    }

    /**
     * A copy that shares nothing the application can change through either message: body containers that are
     * changed in place are copied by {@link #copyBodyContainers}; everything else is immutable or replaced
     * whole when changed.
     */
    private StrandMessage copy() {
        try {
            final StrandMessage copy = (StrandMessage) super.clone();
            copy.properties = properties.copy();
            copy.asReceived = null;
            copy.copyBodyContainers();
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("StrandMessage is Cloneable", e);
        }
    }

    /** Called on a fresh copy: body types whose containers change in place give the copy its own. */
    protected void copyBodyContainers() {
    }

    // ---- body access (Message.getBody, JMS 2.0) --------------------------------------------------

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (!hasBody()) {
            return null;
        }
        if (!acceptsBodyType(c)) {
            throw new MessageFormatException(kind() + " body cannot be assigned to " + c.getName());
        }
        return c.cast(bodyCopy());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        return !hasBody() || acceptsBodyType(c);
    }

    /**
     * Provider use: whether there is a body {@code getBody} would return (JMSConsumer.receiveBody refuses a
     * message without one).
     */
    public final boolean isBodyPresent() throws JMSException {
        return hasBody();
    }

    /** @return false for a plain message; subclasses say whether their body is set and non-empty */
    protected boolean hasBody() throws JMSException {
        return false;
    }

    /** @return whether {@link #bodyCopy()} may be assigned to {@code c}; only called when there is a body */
    protected boolean acceptsBodyType(Class<?> c) throws JMSException {
        return true;
    }

    /** @return the body as {@code getBody} returns it, a copy the caller may keep */
    protected Object bodyCopy() throws JMSException {
        return null;
    }

    // ---- acknowledgement -----------------------------------------------------------------------

    /** Provider use: the session that delivered this message, or null to make acknowledge() a no-op. */
    public void setAcknowledger(MessageAcknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    @Override
    public void acknowledge() throws JMSException {
        if (acknowledger != null) {
            acknowledger.acknowledge(this);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + messageId + ", destination=" + destination + ", properties="
                + properties.size() + "]";
    }
}
