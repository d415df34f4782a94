package io.strand.jms.client;

import jakarta.jms.JMSException;

/** Small helpers for building JMS exceptions with causes, which their constructors cannot take. */
public final class JmsErrors {
    private JmsErrors() {
    }

    /** @return {@code e}, with {@code cause} as its linked exception and cause */
    public static <E extends JMSException> E withCause(E e, Throwable cause) {
        if (cause instanceof Exception ex) {
            e.setLinkedException(ex);
        }
        if (e.getCause() == null && cause != null) {
            e.initCause(cause);
        }
        return e;
    }
}
