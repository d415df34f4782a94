package io.strand.record;

/**
 * Bytes that do not form a valid record batch: wrong magic, bad CRC, a length that runs past its
 * buffer, a negative count, a record that does not end where its length says, or a compressed
 * payload that would inflate past its limit.
 *
 * <p>Unchecked, because corruption is not an operating error a caller can retry: the reader stops
 * at the first bad batch and the caller decides (reject the request, truncate the log tail).
 * The message always says what was wrong and where (a byte position relative to the batch or buffer).
 */
public class CorruptRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
