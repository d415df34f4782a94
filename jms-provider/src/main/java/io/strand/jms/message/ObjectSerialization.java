package io.strand.jms.message;

import jakarta.jms.MessageFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/**
 * Java serialization for {@link StrandObjectMessage} bodies.
 *
 * <p>Classes resolve through the thread's context class loader first, because in an application server
 * the body's class belongs to the application, not to the provider's class loader; the JDK's default
 * resolution is the fallback. The JVM-wide deserialization filter ({@code jdk.serialFilter}) applies as
 * usual, which is how an operator restricts what a consumer will deserialize.
 *
 * <p>Every failure becomes {@link MessageFormatException}, as ObjectMessage's javadoc asks. Stateless;
 * thread-safe.
 */
final class ObjectSerialization {
    /** The first bytes of every Java serialization stream: STREAM_MAGIC then STREAM_VERSION. */
    static final int STREAM_HEADER = 0xACED0005;

    private ObjectSerialization() {
    }

    static byte[] serialize(Serializable object) throws MessageFormatException {
        final ByteSink sink = new ByteSink(256);
        try (ObjectOutputStream out = new ObjectOutputStream(sink)) {
            out.writeObject(object);
        } catch (IOException | RuntimeException e) {
            throw formatError("ObjectMessage cannot serialize a " + object.getClass().getName() + ": " + e, e);
        }
        return sink.toByteArray();
    }

    static Serializable deserialize(byte[] bytes) throws MessageFormatException {
        try (ObjectInputStream in = new ContextClassLoaderObjectInputStream(new ByteArrayInputStream(bytes))) {
            final Object object = in.readObject();
            if (object != null && !(object instanceof Serializable)) {
                throw new MessageFormatException("ObjectMessage body is a " + object.getClass().getName()
                        + ", which is not Serializable");
            }
            return (Serializable) object;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw formatError("ObjectMessage body cannot be deserialized: " + e, e);
        }
    }

    private static MessageFormatException formatError(String reason, Exception cause) {
        final MessageFormatException e = new MessageFormatException(reason);
        e.setLinkedException(cause);
        e.initCause(cause);
        return e;
    }

    private static final class ContextClassLoaderObjectInputStream extends ObjectInputStream {
        ContextClassLoaderObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            final ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException notThere) {
                    // Fall through to the default resolution, which also knows primitive types.
                }
            }
            return super.resolveClass(desc);
        }
    }
}
