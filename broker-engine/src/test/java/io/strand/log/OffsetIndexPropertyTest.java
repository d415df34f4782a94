package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The offset index answers every lookup as {@link TreeMap#floorEntry} does on the same entries:
 * after appends (across file growth), after a close and a truncation, and after the file is mapped
 * again by a new instance, with or without a trim first.
 */
class OffsetIndexPropertyTest {
    private static final long BASE = 10_000;
    private static final int MAX_ENTRIES = 1200; // past the 512 entries of the initial 4 KiB
    private static final long MAX_OFFSET = BASE + MAX_ENTRIES * 1000L;

    @Property(tries = 300)
    void lookupAgreesWithTreeMapFloor(@ForAll("increasingEntries") List<OffsetPosition> entries,
                                      @ForAll @Size(max = 40) List<@From("offsets") Long> targets,
                                      @ForAll("offsets") long truncateAt,
                                      @ForAll boolean closeBeforeTruncate,
                                      @ForAll boolean trimBeforeReopen) throws IOException {
        Path dir = Files.createTempDirectory("offset-index-property");
        Path file = dir.resolve(LogFiles.indexFileName(BASE));
        OffsetIndex index = new OffsetIndex(file, BASE, MAX_ENTRIES * OffsetIndex.ENTRY_SIZE);
        OffsetIndex reopened = null;
        try {
            TreeMap<Long, Integer> reference = new TreeMap<>();
            for (OffsetPosition entry : entries) {
                index.append(entry.offset(), entry.position());
                reference.put(entry.offset(), entry.position());
            }
            assertAgrees(index, reference, targets);

            if (closeBeforeTruncate) {
                index.close(); // the same instance maps the file again on its next use
            }
            index.truncateTo(truncateAt);
            NavigableMap<Long, Integer> kept = reference.headMap(truncateAt, false);
            assertAgrees(index, kept, targets);

            if (trimBeforeReopen) {
                index.trimToValidSize();
            } else {
                index.flush(); // a crash: the preallocated tail stays
            }
            reopened = new OffsetIndex(file, BASE, MAX_ENTRIES * OffsetIndex.ENTRY_SIZE);
            reopened.sanityCheck();
            assertAgrees(reopened, kept, targets);
        } finally {
            index.close();
            if (reopened != null) {
                reopened.close();
            }
            deleteRecursively(dir);
        }
    }

    private static void assertAgrees(OffsetIndex index, NavigableMap<Long, Integer> reference, List<Long> targets) {
        if (reference.size() == 1 && reference.firstKey() == BASE && reference.firstEntry().getValue() == 0
                && index.entries() == 0) {
            // A lone (BASE, 0) entry in an untrimmed file has the bytes of the zero tail and reads as
            // "no entry"; every lookup below still agrees.
        } else {
            assertThat(index.entries()).isEqualTo(reference.size());
        }
        List<Long> probes = new ArrayList<>(targets);
        for (long offset : reference.keySet()) {
            probes.add(offset);
            probes.add(offset - 1);
            probes.add(offset + 1);
        }
        probes.add(Long.MAX_VALUE);
        for (long target : probes) {
            Map.Entry<Long, Integer> floor = reference.floorEntry(target);
            OffsetPosition expected = floor == null ? new OffsetPosition(BASE, 0)
                    : new OffsetPosition(floor.getKey(), floor.getValue());
            assertThat(index.lookup(target)).as("lookup(%d)", target).isEqualTo(expected);
        }
        assertThat(index.lastOffset()).isEqualTo(reference.isEmpty() ? BASE : reference.lastKey());
    }

    @Provide
    Arbitrary<List<OffsetPosition>> increasingEntries() {
        Arbitrary<int[]> step = Combinators.combine(Arbitraries.integers().between(1, 1000),
                Arbitraries.integers().between(1, 50_000)).as((offsetDelta, positionDelta) ->
                new int[] {offsetDelta, positionDelta});
        return step.list().ofMaxSize(MAX_ENTRIES).map(steps -> {
            // Start just below (BASE, 0) so that the first entry may be exactly (BASE, 0).
            long offset = BASE - 1;
            int position = -1;
            List<OffsetPosition> entries = new ArrayList<>(steps.size());
            for (int[] s : steps) {
                offset += s[0];
                position += s[1];
                entries.add(new OffsetPosition(offset, position));
            }
            return entries;
        });
    }

    @Provide
    Arbitrary<Long> offsets() {
        return Arbitraries.longs().between(BASE - 10, MAX_OFFSET + 10);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
