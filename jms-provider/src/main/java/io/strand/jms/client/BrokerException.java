package io.strand.jms.client;

import io.strand.protocol.ErrorCode;
import io.strand.protocol.ResponseStatus;

/**
 * The broker answered a request with an error status. Internal and unchecked: the public API classes
 * turn it into the JMS exception the specification names ({@code io.strand.jms.JmsExceptions}).
 */
public final class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ResponseStatus status;

    public BrokerException(ResponseStatus status) {
        super(status.describe() + " (" + status.error() + ")");
        this.status = status;
    }

    public ResponseStatus status() {
        return status;
    }

    public ErrorCode error() {
        return status.error();
    }
}
