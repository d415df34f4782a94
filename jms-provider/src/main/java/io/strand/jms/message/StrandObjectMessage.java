package io.strand.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import java.io.Serializable;

/**
 * A message whose body is one {@code Serializable} object (null by default).
 *
 * <p>The object is serialized when it is set, not when it is sent: the specification says the body is a
 * snapshot taken by {@code setObject}, and the serialized bytes are exactly the record value, so sending
 * never serializes a second time. {@link #getObject()} deserializes afresh on each call and so returns a
 * new copy each time; a received message is therefore deserialized only if the application asks.
 * A received body may be made only of the classes its connection trusts ({@link TrustedPackages}); a
 * body set here came from this JVM's own objects and is trusted whole.
 *
 * <p>Not thread-safe, like every message.
 */
public final class StrandObjectMessage extends StrandMessage implements ObjectMessage {
    /** Java serialization of the body, or null when the body is null. */
    private byte[] serialized;
    /** The classes {@link #getObject} may instantiate: all for a body set here, fewer for a received one. */
    private TrustedPackages trusted = TrustedPackages.ALL;

    /** Creates a message with an empty body. */
    public StrandObjectMessage() {
        super(MessageKind.OBJECT);
    }

    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        serialized = object == null ? null : ObjectSerialization.serialize(object);
        trusted = TrustedPackages.ALL;
    }

    /** @throws MessageFormatException if the body does not deserialize or names a class not trusted */
    @Override
    public Serializable getObject() throws JMSException {
        return serialized == null ? null : ObjectSerialization.deserialize(serialized, trusted);
    }

    /** @return the serialized body, shared with this message: never written to, only replaced */
    final byte[] serializedBody() {
        return serialized;
    }

    /**
     * Used by the codec: the body of a received message, handed over without a copy.
     *
     * @param trustedPackages the classes the body may be made of
     */
    final void setSerializedBody(byte[] bytes, TrustedPackages trustedPackages) {
        serialized = bytes;
        trusted = trustedPackages;
    }

    @Override
    protected void clearBodyContent() {
        serialized = null;
    }

    @Override
    protected boolean hasBody() {
        return serialized != null;
    }

    /** Deserializes once, where the base class would do it twice (check, then copy). */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        final Serializable object = getObject();
        if (object == null) {
            return null;
        }
        if (!c.isInstance(object)) {
            throw new MessageFormatException("ObjectMessage body is a " + object.getClass().getName()
                    + " and cannot be assigned to " + c.getName());
        }
        return c.cast(object);
    }

    /** The 3.1 javadoc: a body that fails to deserialize is assignable to nothing. */
    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        try {
            final Serializable object = getObject();
            return object == null || c.isInstance(object);
        } catch (MessageFormatException e) {
            return false;
        }
    }
}
