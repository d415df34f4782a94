package io.strand.jms.client;

/**
 * The connection to the broker failed or was closed: every request in flight and every later request
 * fails with this. Internal and unchecked; the API classes report it as a {@code JMSException} and to
 * the connection's {@code ExceptionListener}.
 */
public final class ConnectionLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
