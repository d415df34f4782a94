package io.strand.log;

/**
 * Corruption found in an index file ({@code .index} or {@code .timeindex}): its length is not a
 * whole number of entries, or bytes past its valid entries are not the zeros of a preallocated tail.
 * Indexes carry no checksum because they can always be rebuilt from the {@code .log} file, so the
 * owner answers this by rebuilding the segment's indexes; the message names the file and the problem.
 */
public class CorruptIndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptIndexException(String message) {
        super(message);
    }
}
