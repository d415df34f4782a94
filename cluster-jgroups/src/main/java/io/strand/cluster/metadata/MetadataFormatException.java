package io.strand.cluster.metadata;

/**
 * Bytes that do not decode to metadata: an unknown version or type, a length past the end of the
 * input, a value the records refuse, or bytes left over. The message names the field and the offset.
 */
public final class MetadataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataFormatException(String message) {
        super(message);
    }

    public MetadataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
