package io.strand.cluster.controller;

/** The controller refused a request; {@link #error()} says why in a stable code, the message in words. */
public final class ControllerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ControllerError error;

    public ControllerException(ControllerError error, String message) {
        super(error + ": " + message);
        this.error = error;
    }

    /** The reason, as a stable code. */
    public ControllerError error() {
        return error;
    }
}
