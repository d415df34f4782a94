package io.strand.bench.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for benchmarks, under {@code -Dstrand.bench.dir} (default: the system temporary
 * directory), so that a run measures the disk the operator points it at.
 */
final class BenchDirs {
    private BenchDirs() {
    }

    static Path create(String prefix) {
        try {
            Path parent = Path.of(System.getProperty("strand.bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
