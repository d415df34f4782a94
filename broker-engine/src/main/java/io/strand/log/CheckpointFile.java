package io.strand.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An offsets file of a data directory, mapping each partition directory name ({@code orders-0}) to
 * one offset: used for {@code recovery-point-offset-checkpoint}, {@code replication-offset-checkpoint}
 * (high watermarks) and {@code log-start-offset-checkpoint}.
 *
 * <p>File format, UTF-8 text, one item per line, {@code \n} line ends:
 * <pre>
 *   0                 version
 *   2                 number of entries
 *   orders-0 1042     key, one space, offset (a decimal long)
 *   orders-1 977
 * </pre>
 * Keys contain no whitespace; entries are written sorted by key. The same layout, with other keys,
 * holds a partition's leader epochs ({@link LeaderEpochCache}), which reads it through
 * {@link #readLines} and {@link #writeLines}.
 *
 * <p>A write replaces the file atomically ({@link AtomicFiles}): a reader finds the old or the new
 * content, and a {@code .tmp} left by a crash is ignored. Threading: reads and writes of one instance
 * are serialized; two instances must not write the same file.
 */
public final class CheckpointFile {
    static final int VERSION = 0;

    /** One entry line of a checkpoint file, with its 1-based line number for error messages. */
    record Line(int number, String key, long value) {
    }

    private final Path file;

    public CheckpointFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * The offsets in the file; an absent file reads as empty.
     *
     * @throws CorruptCheckpointException naming the file and line when the content is malformed
     */
    public synchronized Map<String, Long> read() {
        List<Line> lines = readLines(file);
        Map<String, Long> offsets = new HashMap<>(lines.size() * 2);
        for (Line line : lines) {
            if (offsets.putIfAbsent(line.key(), line.value()) != null) {
                throw new CorruptCheckpointException(file, line.number(), "key " + line.key() + " appears twice");
            }
        }
        return Collections.unmodifiableMap(offsets);
    }

    /** Replaces the file's content with {@code offsets}, durably and atomically. */
    public synchronized void write(Map<String, Long> offsets) {
        writeLines(file, new TreeMap<>(offsets).entrySet());
    }

    /**
     * Reads the entry lines of a file in the checkpoint format; an absent file has none.
     *
     * @throws CorruptCheckpointException naming the file and line when the content is malformed
     */
    static List<Line> readLines(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int version = parseHeader(file, 1, reader.readLine(), "version");
            if (version != VERSION) {
                throw new CorruptCheckpointException(file, 1, "version " + version + " is not the supported " + VERSION);
            }
            int count = parseHeader(file, 2, reader.readLine(), "entry count");
            List<Line> lines = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                int number = i + 3;
                String text = reader.readLine();
                if (text == null) {
                    throw new CorruptCheckpointException(file, number, "the file ends after " + i + " of "
                            + count + " entries");
                }
                lines.add(parseEntry(file, number, text));
            }
            if (reader.readLine() != null) {
                throw new CorruptCheckpointException(file, count + 3, "more lines than the " + count
                        + " entries announced");
            }
            return lines;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new LogStorageException("cannot read checkpoint file " + file + ": " + e, e);
        }
    }

    /** Writes entries in the checkpoint format, in the given order, replacing the file atomically. */
    static void writeLines(Path file, Collection<Map.Entry<String, Long>> entries) {
        StringBuilder text = new StringBuilder(16 + entries.size() * 32);
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (Map.Entry<String, Long> entry : entries) {
            String key = entry.getKey();
            checkKey(file, key);
            text.append(key).append(' ').append(entry.getValue().longValue()).append('\n');
        }
        AtomicFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static int parseHeader(Path file, int number, String text, String what) {
        if (text == null) {
            throw new CorruptCheckpointException(file, number, "the file ends before the " + what + " line");
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the line
        }
        throw new CorruptCheckpointException(file, number, what + " '" + text + "' is not a number of zero or more");
    }

    private static Line parseEntry(Path file, int number, String text) {
        int space = text.indexOf(' ');
        if (space <= 0 || text.indexOf(' ', space + 1) >= 0) {
            throw new CorruptCheckpointException(file, number, "'" + text + "' is not 'key offset'");
        }
        try {
            return new Line(number, text.substring(0, space), Long.parseLong(text.substring(space + 1)));
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(file, number, "offset in '" + text + "' is not a number");
        }
    }

    private static void checkKey(Path file, String key) {
        boolean ok = !key.isEmpty();
        for (int i = 0; ok && i < key.length(); i++) {
            ok = !Character.isWhitespace(key.charAt(i));
        }
        if (!ok) {
            throw new IllegalArgumentException("key '" + key + "' for " + file + " must be non-empty, without whitespace");
        }
    }
}
