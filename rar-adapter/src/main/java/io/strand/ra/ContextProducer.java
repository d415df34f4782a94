package io.strand.ra;

import static io.strand.ra.RuntimeExceptions.unchecked;
import static io.strand.ra.RuntimeExceptions.uncheckedRun;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;
import java.io.Serializable;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A JMSProducer of a {@link ContextHandle}: settings, headers and properties it stamps on each message, sent
 * through the context's one anonymous producer.
 *
 * <p>The properties live in a message of the context's session, which gives them the provider's property type
 * conversions (JMS 3.1 §3.5.4) without repeating them here.
 */
final class ContextProducer implements JMSProducer {
    private final ContextHandle context;
    private final Message properties;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageId;
    private boolean disableMessageTimestamp;
    private CompletionListener completionListener;
    private String correlationId;
    private byte[] correlationIdBytes;
    private String type;
    private Destination replyTo;

    ContextProducer(ContextHandle context) {
        this.context = context;
        this.properties = unchecked(() -> context.session().createMessage());
    }

    // ---- sending -----------------------------------------------------------------------------

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (message == null) {
            throw new MessageFormatRuntimeException("message must not be null");
        }
        uncheckedRun(() -> {
            stamp(message);
            final MessageProducer producer = context.producer();
            producer.setDisableMessageID(disableMessageId);
            producer.setDisableMessageTimestamp(disableMessageTimestamp);
            producer.setDeliveryDelay(deliveryDelay);
            if (completionListener == null) {
                producer.send(destination, message, deliveryMode, priority, timeToLive);
            } else {
                producer.send(destination, message, deliveryMode, priority, timeToLive, completionListener);
            }
        });
        return this;
    }

    private void stamp(Message message) throws JMSException {
        if (correlationIdBytes != null) {
            message.setJMSCorrelationIDAsBytes(correlationIdBytes);
        } else if (correlationId != null) {
            message.setJMSCorrelationID(correlationId);
        }
        if (type != null) {
            message.setJMSType(type);
        }
        if (replyTo != null) {
            message.setJMSReplyTo(StrandDestinations.toStrand(replyTo));
        }
        final Enumeration<?> names = properties.getPropertyNames();
        while (names.hasMoreElements()) {
            final String name = (String) names.nextElement();
            message.setObjectProperty(name, properties.getObjectProperty(name));
        }
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, context.createTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        final MapMessage message = context.createMapMessage();
        if (body != null) {
            uncheckedRun(() -> {
                for (Map.Entry<String, Object> entry : body.entrySet()) {
                    message.setObject(entry.getKey(), entry.getValue());
                }
            });
        }
        return send(destination, message);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        final BytesMessage message = context.createBytesMessage();
        if (body != null) {
            uncheckedRun(() -> message.writeBytes(body));
        }
        return send(destination, message);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        return send(destination, context.createObjectMessage(body));
    }

    // ---- settings ----------------------------------------------------------------------------

    @Override public JMSProducer setDisableMessageID(boolean value) { disableMessageId = value; return this; }
    @Override public boolean getDisableMessageID() { return disableMessageId; }
    @Override public JMSProducer setDisableMessageTimestamp(boolean value) { disableMessageTimestamp = value; return this; }
    @Override public boolean getDisableMessageTimestamp() { return disableMessageTimestamp; }

    @Override
    public JMSProducer setDeliveryMode(int deliveryMode) {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new jakarta.jms.JMSRuntimeException("delivery mode " + deliveryMode
                    + " is neither PERSISTENT (2) nor NON_PERSISTENT (1)");
        }
        this.deliveryMode = deliveryMode;
        return this;
    }

    @Override public int getDeliveryMode() { return deliveryMode; }

    @Override
    public JMSProducer setPriority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new jakarta.jms.JMSRuntimeException("priority must be 0 to 9: priority=" + priority);
        }
        this.priority = priority;
        return this;
    }

    @Override public int getPriority() { return priority; }
    @Override public JMSProducer setTimeToLive(long timeToLive) { this.timeToLive = timeToLive; return this; }
    @Override public long getTimeToLive() { return timeToLive; }
    @Override public JMSProducer setDeliveryDelay(long deliveryDelay) { this.deliveryDelay = deliveryDelay; return this; }
    @Override public long getDeliveryDelay() { return deliveryDelay; }
    @Override public JMSProducer setAsync(CompletionListener listener) { this.completionListener = listener; return this; }
    @Override public CompletionListener getAsync() { return completionListener; }

    // ---- properties --------------------------------------------------------------------------

    @Override public JMSProducer setProperty(String name, boolean value) { uncheckedRun(() -> properties.setBooleanProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, byte value) { uncheckedRun(() -> properties.setByteProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, short value) { uncheckedRun(() -> properties.setShortProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, int value) { uncheckedRun(() -> properties.setIntProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, long value) { uncheckedRun(() -> properties.setLongProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, float value) { uncheckedRun(() -> properties.setFloatProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, double value) { uncheckedRun(() -> properties.setDoubleProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, String value) { uncheckedRun(() -> properties.setStringProperty(name, value)); return this; }
    @Override public JMSProducer setProperty(String name, Object value) { uncheckedRun(() -> properties.setObjectProperty(name, value)); return this; }

    @Override
    public JMSProducer clearProperties() {
        uncheckedRun(properties::clearProperties);
        return this;
    }

    @Override public boolean propertyExists(String name) { return unchecked(() -> properties.propertyExists(name)); }
    @Override public boolean getBooleanProperty(String name) { return unchecked(() -> properties.getBooleanProperty(name)); }
    @Override public byte getByteProperty(String name) { return unchecked(() -> properties.getByteProperty(name)); }
    @Override public short getShortProperty(String name) { return unchecked(() -> properties.getShortProperty(name)); }
    @Override public int getIntProperty(String name) { return unchecked(() -> properties.getIntProperty(name)); }
    @Override public long getLongProperty(String name) { return unchecked(() -> properties.getLongProperty(name)); }
    @Override public float getFloatProperty(String name) { return unchecked(() -> properties.getFloatProperty(name)); }
    @Override public double getDoubleProperty(String name) { return unchecked(() -> properties.getDoubleProperty(name)); }
    @Override public String getStringProperty(String name) { return unchecked(() -> properties.getStringProperty(name)); }
    @Override public Object getObjectProperty(String name) { return unchecked(() -> properties.getObjectProperty(name)); }

    @Override
    public Set<String> getPropertyNames() {
        final Set<String> names = new LinkedHashSet<>();
        final Enumeration<?> e = unchecked(properties::getPropertyNames);
        while (e.hasMoreElements()) {
            names.add((String) e.nextElement());
        }
        return Collections.unmodifiableSet(names);
    }

    // ---- headers -----------------------------------------------------------------------------

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationId) {
        this.correlationIdBytes = correlationId == null ? null : correlationId.clone();
        this.correlationId = null;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationIdBytes == null ? null : correlationIdBytes.clone();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationId) {
        this.correlationId = correlationId;
        this.correlationIdBytes = null;
        return this;
    }

    @Override public String getJMSCorrelationID() { return correlationId; }
    @Override public JMSProducer setJMSType(String type) { this.type = type; return this; }
    @Override public String getJMSType() { return type; }
    @Override public JMSProducer setJMSReplyTo(Destination replyTo) { this.replyTo = replyTo; return this; }
    @Override public Destination getJMSReplyTo() { return replyTo; }
}
