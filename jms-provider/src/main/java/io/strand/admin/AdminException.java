package io.strand.admin;

import io.strand.protocol.ErrorCode;

/**
 * An admin call failed: the broker refused it ({@link #error()} says why, the message in the broker's
 * words), or the broker could not be reached or did not answer in time ({@link #error()} is null).
 */
public final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode error;

    public AdminException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
        this.error = null;
    }

    /** The broker's error code, or null when the call never got an answer. */
    public ErrorCode error() {
        return error;
    }
}
