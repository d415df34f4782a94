package io.strand.conformance;

import jakarta.jms.TextMessage;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message implemented by "another provider", as JMS 3.1 §3.12 requires a provider to accept: a dynamic
 * proxy over two maps (headers by name, properties by name) plus the text of a TextMessage. It implements
 * the getters and setters plainly and refuses every other method, so a test learns if the provider relies
 * on anything beyond the Message API.
 */
final class ForeignMessage implements InvocationHandler {
    private final Map<String, Object> headers = new HashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private String text;

    private ForeignMessage() {
    }

    /** @return a foreign TextMessage holding {@code text} */
    static TextMessage text(String text) {
        ForeignMessage handler = new ForeignMessage();
        handler.text = text;
        return (TextMessage) Proxy.newProxyInstance(ForeignMessage.class.getClassLoader(),
                new Class<?>[] {TextMessage.class}, handler);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        String name = method.getName();
        switch (name) {
            case "getText":
                return text;
            case "setText":
                text = (String) args[0];
                return null;
            case "getPropertyNames":
                return Collections.enumeration(new ArrayList<>(properties.keySet()));
            case "propertyExists":
                return properties.containsKey((String) args[0]);
            case "getObjectProperty":
            case "getStringProperty":
                return properties.get((String) args[0]);
            case "toString":
                return "ForeignMessage" + headers + properties;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                break;
        }
        if (name.startsWith("set") && name.endsWith("Property")) {
            properties.put((String) args[0], args[1]);
            return null;
        }
        if (name.startsWith("setJMS")) {
            headers.put(name.substring(3), args[0]);
            return null;
        }
        if (name.startsWith("getJMS")) {
            Object value = headers.get(name.substring(3));
            return value != null || !method.getReturnType().isPrimitive() ? value : zeroOf(method.getReturnType());
        }
        throw new UnsupportedOperationException("the foreign message does not implement " + name);
    }

    private static Object zeroOf(Class<?> primitive) {
        if (primitive == boolean.class) {
            return false;
        }
        return primitive == int.class ? (Object) 0 : (Object) 0L;
    }
}
