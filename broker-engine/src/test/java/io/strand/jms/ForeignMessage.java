package io.strand.jms;

import jakarta.jms.MessageEOFException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message of "another provider", as the TCK's foreign-message tests use: a dynamic proxy of a
 * {@code jakarta.jms} message interface whose headers, properties and body live in plain maps here, so
 * that nothing of Strand's message classes is involved. Supports what a provider reads to send a
 * foreign message and what it sets afterwards; anything else fails loudly.
 */
final class ForeignMessage implements InvocationHandler {
    /** JMS header fields by name without the get/set prefix, such as {@code JMSType}. */
    final Map<String, Object> headers = new HashMap<>();
    final Map<String, Object> properties = new LinkedHashMap<>();
    /** String, byte[], Map, List (stream fields) or a Serializable, by message type; null for a plain Message. */
    private Object body;
    private int streamPosition;

    private ForeignMessage(Object body) {
        this.body = body;
    }

    /** @return the proxy, implementing {@code type}; {@link #of} reaches its state */
    static <T extends jakarta.jms.Message> T create(Class<T> type, Object body) {
        return type.cast(Proxy.newProxyInstance(ForeignMessage.class.getClassLoader(), new Class<?>[] {type},
                new ForeignMessage(body)));
    }

    static ForeignMessage of(jakarta.jms.Message proxy) {
        return (ForeignMessage) Proxy.getInvocationHandler(proxy);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        final String name = method.getName();
        switch (name) {
            case "toString":
                return "ForeignMessage" + headers;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "getPropertyNames":
                return Collections.enumeration(List.copyOf(properties.keySet()));
            case "propertyExists":
                return properties.containsKey((String) args[0]);
            case "getText":
                return body;
            case "setText":
                body = args[0];
                return null;
            case "getObject":
                return args == null ? body : ((Map<?, ?>) body).get(args[0]); // ObjectMessage, or MapMessage item
            case "getMapNames":
                return Collections.enumeration(List.copyOf(((Map<String, ?>) body).keySet()));
            case "reset":
                streamPosition = 0;
                return null;
            case "getBodyLength":
                return (long) ((byte[]) body).length;
            case "readBytes": {
                final byte[] bytes = (byte[]) body;
                final byte[] into = (byte[]) args[0];
                final int n = Math.min(into.length, bytes.length - streamPosition);
                System.arraycopy(bytes, streamPosition, into, 0, n);
                streamPosition += n;
                return n == 0 && into.length > 0 ? -1 : n;
            }
            case "readObject": {
                final List<?> fields = (List<?>) body;
                if (streamPosition >= fields.size()) {
                    throw new MessageEOFException("end of the foreign stream");
                }
                return fields.get(streamPosition++);
            }
            default:
                break;
        }
        if (name.endsWith("Property") && name.startsWith("set")) {
            properties.put((String) args[0], args[1]);
            return null;
        }
        if (name.endsWith("Property") && name.startsWith("get")) {
            return properties.get((String) args[0]);
        }
        if (name.startsWith("setJMS")) {
            headers.put(name.substring(3), args[0]);
            return null;
        }
        if (name.startsWith("getJMS")) {
            final Object value = headers.get(name.substring(3));
            return value != null || !method.getReturnType().isPrimitive() ? value : zero(method.getReturnType());
        }
        throw new UnsupportedOperationException("the foreign message does not support " + name);
    }

    private static Object zero(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        }
        return primitive == long.class ? 0L : 0;
    }
}
