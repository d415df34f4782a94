package io.strand.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channel of a segment's {@code .log} file. The one seam between the log and the file
 * system's data path, so that tests can put a channel in front that fails like a full disk.
 */
@FunctionalInterface
public interface FileChannelOpener {
    FileChannelOpener READ_WRITE = path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    FileChannel open(Path path) throws IOException;
}
