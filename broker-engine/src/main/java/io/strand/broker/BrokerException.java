package io.strand.broker;

import io.strand.protocol.ErrorCode;

/**
 * A request the broker refuses, with the wire error code the client receives and a message that
 * says what was wrong. Operating errors, not bugs: the connection and the broker go on.
 */
public class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode error;

    public BrokerException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    public ErrorCode error() {
        return error;
    }
}
