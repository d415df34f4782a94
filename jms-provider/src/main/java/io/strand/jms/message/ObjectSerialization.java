package io.strand.jms.message;

import jakarta.jms.MessageFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
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
 * usual. Before any class is resolved it must be trusted ({@link TrustedPackages}): a received body is
 * judged by the receiving connection's {@code objectMessage.trustedPackages}, so that a hostile producer
 * cannot make a consumer instantiate library classes it never meant to receive; a refused class fails
 * the call with a message naming it and the option that would admit it. Dynamic proxies are judged by
 * their interfaces.
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

    /**
     * @param trusted the classes the body may be made of
     * @throws MessageFormatException if the body does not deserialize, or names a class {@code trusted} refuses
     */
    static Serializable deserialize(byte[] bytes, TrustedPackages trusted) throws MessageFormatException {
        try (ObjectInputStream in = new ContextClassLoaderObjectInputStream(new ByteArrayInputStream(bytes), trusted)) {
            final Object object = in.readObject();
            if (object != null && !(object instanceof Serializable)) {
                throw new MessageFormatException("ObjectMessage body is a " + object.getClass().getName()
                        + ", which is not Serializable");
            }
            return (Serializable) object;
        } catch (UntrustedClassException e) {
            throw formatError("ObjectMessage body holds a " + e.className + ", which is not in a trusted package"
                    + " (objectMessage.trustedPackages=" + trusted + "); to receive it, add its package to that"
                    + " option of the connection factory's URL", e);
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

    /** A class the trusted packages refuse, raised before the class is even loaded. */
    private static final class UntrustedClassException extends InvalidClassException {
        private static final long serialVersionUID = 1L;

        private final String className;

        UntrustedClassException(String className) {
            super(className, "not in a trusted package");
            this.className = className;
        }
    }

    private static final class ContextClassLoaderObjectInputStream extends ObjectInputStream {
        private final TrustedPackages trusted;

        ContextClassLoaderObjectInputStream(InputStream in, TrustedPackages trusted) throws IOException {
            super(in);
            this.trusted = trusted;
        }

        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) throws IOException, ClassNotFoundException {
            for (String name : interfaces) {
                if (!trusted.trusts(name)) {
                    throw new UntrustedClassException("proxy of " + name);
                }
            }
            return super.resolveProxyClass(interfaces);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (!trusted.trusts(desc.getName())) {
                throw new UntrustedClassException(desc.getName());
            }
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
