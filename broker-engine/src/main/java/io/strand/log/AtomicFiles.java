package io.strand.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces small files so that a crash at any moment leaves either the old content or the new one,
 * never a mix or an empty file: write {@code <name>.tmp}, force it, rename it over the target, then
 * force the directory so that the rename itself is durable. A crash before the rename leaves a stale
 * {@code .tmp} that readers ignore, the next replace overwrites, and the log loader deletes.
 *
 * <p>Stateless; concurrent replaces of the same target must be serialized by the caller (they share
 * the temporary file). I/O errors surface as {@link LogStorageException} naming the file.
 */
final class AtomicFiles {
    static final String TMP_SUFFIX = LogFiles.TMP_SUFFIX;

    private AtomicFiles() {
    }

    /** The temporary file used while replacing {@code target}. */
    static Path tempFileFor(Path target) {
        return target.resolveSibling(target.getFileName() + TMP_SUFFIX);
    }

    /** Durably replaces the content of {@code target} with {@code content}, atomically. */
    static void replace(Path target, byte[] content) {
        Path tmp = tempFileFor(target);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                // The content must be on disk before the rename makes it the target's.
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw new LogStorageException("cannot replace " + target + ": " + e, e);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a directory's entries (created, renamed, deleted files) to disk. */
    static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new LogStorageException("cannot force directory " + dir + " to disk: " + e, e);
        }
    }

    private static void deleteQuietly(Path tmp, IOException cause) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException again) {
            cause.addSuppressed(again);
        }
    }
}
