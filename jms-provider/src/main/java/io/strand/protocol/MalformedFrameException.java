package io.strand.protocol;

/**
 * Bytes that do not form a valid frame or field: a length that runs past the frame or over a
 * limit, a negative count, an unknown enum value. The message names the field and the byte position
 * within the frame body. The broker answers with {@link ErrorCode#MALFORMED_REQUEST} when it can
 * still frame the connection, and closes it when it cannot.
 */
public class MalformedFrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
