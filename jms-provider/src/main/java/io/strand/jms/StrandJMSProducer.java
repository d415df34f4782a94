package io.strand.jms;

import io.strand.jms.message.StrandMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import java.io.Serializable;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The simplified API's producer (JMS 3.1 §7.4): a fluent holder of send options, message properties
 * and headers, which sends through its context's one unidentified {@link StrandMessageProducer}.
 * Properties are kept in a scratch {@link StrandMessage}, so names, types and conversions follow the
 * message rules exactly. Threading: used by one thread at a time, as its context.
 */
public class StrandJMSProducer implements JMSProducer {
    private final StrandJMSContext context;
    private final StrandMessage properties = new StrandMessage();
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLiveMs;
    private long deliveryDelayMs;
    private boolean disableMessageId;
    private boolean disableTimestamp;
    private CompletionListener async;
    private String correlationId;
    private byte[] correlationIdBytes;
    private String type;
    private Destination replyTo;

    StrandJMSProducer(StrandJMSContext context) {
        this.context = context;
    }

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (message == null) {
            throw new MessageFormatRuntimeException("message must not be null");
        }
        StrandJMSContext.unchecked(() -> {
            applyTo(message);
            final StrandMessageProducer producer = context.producer();
            producer.setDisableMessageID(disableMessageId);
            producer.setDisableMessageTimestamp(disableTimestamp);
            producer.setDeliveryDelay(deliveryDelayMs);
            if (async == null) {
                producer.send(destination, message, deliveryMode, priority, timeToLiveMs);
            } else {
                producer.send(destination, message, deliveryMode, priority, timeToLiveMs, async);
            }
            return null;
        });
        return this;
    }

    private void applyTo(Message message) throws JMSException {
        for (Enumeration<String> names = properties.getPropertyNames(); names.hasMoreElements(); ) {
            final String name = names.nextElement();
            message.setObjectProperty(name, properties.getObjectProperty(name));
        }
        if (correlationIdBytes != null) {
            message.setJMSCorrelationIDAsBytes(correlationIdBytes);
        } else if (correlationId != null) {
            message.setJMSCorrelationID(correlationId);
        }
        if (type != null) {
            message.setJMSType(type);
        }
        if (replyTo != null) {
            message.setJMSReplyTo(replyTo);
        }
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, context.createTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        final MapMessage m = context.createMapMessage();
        if (body != null) {
            StrandJMSContext.unchecked(() -> {
                for (Map.Entry<String, Object> e : body.entrySet()) {
                    m.setObject(e.getKey(), e.getValue());
                }
                return null;
            });
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        final BytesMessage m = context.createBytesMessage();
        if (body != null) {
            StrandJMSContext.unchecked(() -> {
                m.writeBytes(body);
                return null;
            });
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        return send(destination, context.createObjectMessage(body));
    }

    // ---- options ------------------------------------------------------------------------------

    @Override public JMSProducer setDisableMessageID(boolean value) { disableMessageId = value; return this; }
    @Override public boolean getDisableMessageID() { return disableMessageId; }
    @Override public JMSProducer setDisableMessageTimestamp(boolean value) { disableTimestamp = value; return this; }
    @Override public boolean getDisableMessageTimestamp() { return disableTimestamp; }
    @Override public int getDeliveryMode() { return deliveryMode; }
    @Override public int getPriority() { return priority; }
    @Override public JMSProducer setTimeToLive(long ttl) { timeToLiveMs = ttl; return this; }
    @Override public long getTimeToLive() { return timeToLiveMs; }
    @Override public JMSProducer setDeliveryDelay(long delay) { deliveryDelayMs = delay; return this; }
    @Override public long getDeliveryDelay() { return deliveryDelayMs; }
    @Override public JMSProducer setAsync(CompletionListener listener) { async = listener; return this; }
    @Override public CompletionListener getAsync() { return async; }

    @Override
    public JMSProducer setDeliveryMode(int mode) {
        deliveryMode = StrandJMSContext.unchecked(() -> StrandMessageProducer.checkDeliveryMode(mode));
        return this;
    }

    @Override
    public JMSProducer setPriority(int value) {
        priority = StrandJMSContext.unchecked(() -> StrandMessageProducer.checkPriority(value));
        return this;
    }

    // ---- properties ---------------------------------------------------------------------------

    private JMSProducer set(String name, Object value) {
        StrandJMSContext.unchecked(() -> {
            properties.setObjectProperty(name, value);
            return null;
        });
        return this;
    }

    @Override public JMSProducer setProperty(String name, boolean value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, byte value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, short value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, int value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, long value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, float value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, double value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, String value) { return set(name, value); }
    @Override public JMSProducer setProperty(String name, Object value) { return set(name, value); }

    @Override
    public JMSProducer clearProperties() {
        properties.clearProperties();
        return this;
    }

    @Override public boolean propertyExists(String name) { return properties.propertyExists(name); }
    @Override public boolean getBooleanProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getBooleanProperty(name)); }
    @Override public byte getByteProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getByteProperty(name)); }
    @Override public short getShortProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getShortProperty(name)); }
    @Override public int getIntProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getIntProperty(name)); }
    @Override public long getLongProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getLongProperty(name)); }
    @Override public float getFloatProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getFloatProperty(name)); }
    @Override public double getDoubleProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getDoubleProperty(name)); }
    @Override public String getStringProperty(String name) { return StrandJMSContext.unchecked(() -> properties.getStringProperty(name)); }
    @Override public Object getObjectProperty(String name) { return properties.getObjectProperty(name); }

    @Override
    public Set<String> getPropertyNames() {
        final Set<String> names = new LinkedHashSet<>();
        for (Enumeration<String> e = properties.getPropertyNames(); e.hasMoreElements(); ) {
            names.add(e.nextElement());
        }
        return Collections.unmodifiableSet(names);
    }

    // ---- headers ------------------------------------------------------------------------------

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] id) {
        correlationIdBytes = id == null ? null : id.clone();
        correlationId = null;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationIdBytes != null ? correlationIdBytes.clone()
                : correlationId == null ? null : correlationId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public JMSProducer setJMSCorrelationID(String id) {
        correlationId = id;
        correlationIdBytes = null;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationIdBytes != null ? new String(correlationIdBytes, java.nio.charset.StandardCharsets.UTF_8)
                : correlationId;
    }

    @Override public JMSProducer setJMSType(String value) { type = value; return this; }
    @Override public String getJMSType() { return type; }
    @Override public JMSProducer setJMSReplyTo(Destination value) { replyTo = value; return this; }
    @Override public Destination getJMSReplyTo() { return replyTo; }
}
