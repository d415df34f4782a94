package io.strand.log;

import java.nio.file.Path;

/**
 * Corruption found in a checkpoint file (offsets of a data directory, or a partition's leader
 * epochs): a line that does not parse, a wrong version or count, entries out of order. The message
 * names the file, the line number (1-based) and the problem, so that an operator can look at it.
 */
public class CorruptCheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final int lineNumber;

    public CorruptCheckpointException(Path file, int lineNumber, String problem) {
        super("checkpoint file " + file + " is corrupt at line " + lineNumber + ": " + problem);
        this.file = file;
        this.lineNumber = lineNumber;
    }

    public Path file() {
        return file;
    }

    /** The 1-based number of the offending line. */
    public int lineNumber() {
        return lineNumber;
    }
}
