package io.strand.log;

/**
 * An operating error of the storage under one partition: the disk is full, the directory cannot be
 * written, a file cannot be opened. The partition that raised it goes offline; the others go on.
 * The message names the partition and the file or directory.
 */
public class LogStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public LogStorageException(String message) {
        super(message);
    }
}
