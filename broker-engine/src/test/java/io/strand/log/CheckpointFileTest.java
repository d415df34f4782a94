package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("recovery-point-offset-checkpoint");
    }

    private void writeText(String text) throws IOException {
        Files.writeString(file(), text, StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadAMissingFileAsEmpty() {
        assertThat(new CheckpointFile(file()).read()).isEmpty();
    }

    @Test
    void shouldRoundTripOffsetsInTheDocumentedFormat() throws IOException {
        CheckpointFile checkpoint = new CheckpointFile(file());
        checkpoint.write(Map.of("orders-1", 977L, "orders-0", 1042L, "audit-3", -1L));

        assertThat(checkpoint.read()).containsExactlyInAnyOrderEntriesOf(
                Map.of("orders-1", 977L, "orders-0", 1042L, "audit-3", -1L));
        assertThat(Files.readString(file())).isEqualTo("0\n3\naudit-3 -1\norders-0 1042\norders-1 977\n");
    }

    @Test
    void shouldReplaceTheWholeContentOnEachWrite() {
        CheckpointFile checkpoint = new CheckpointFile(file());
        checkpoint.write(Map.of("a-0", 1L, "b-0", 2L));
        checkpoint.write(Map.of("c-0", 3L));
        assertThat(checkpoint.read()).containsExactlyEntriesOf(Map.of("c-0", 3L));
        checkpoint.write(Map.of());
        assertThat(checkpoint.read()).isEmpty();
    }

    @Test
    void shouldRewriteTenThousandEntriesIntact() {
        CheckpointFile checkpoint = new CheckpointFile(file());
        Map<String, Long> offsets = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            offsets.put("destination-with-a-longish-name-" + i + "-" + (i % 16), i * 1_000_003L);
        }
        // How fast is for a benchmark to say; here: ten thousand entries survive a rewrite intact.
        checkpoint.write(offsets);
        assertThat(checkpoint.read()).isEqualTo(offsets);
        offsets.replaceAll((name, offset) -> offset + 1);
        checkpoint.write(offsets);
        assertThat(checkpoint.read()).isEqualTo(offsets);
    }

    @Test
    void shouldIgnoreAStaleTemporaryFileLeftByACrash() throws IOException {
        CheckpointFile checkpoint = new CheckpointFile(file());
        checkpoint.write(Map.of("orders-0", 5L));
        Path tmp = AtomicFiles.tempFileFor(file());
        Files.writeString(tmp, "0\n2\norders-0 9"); // a write torn before its rename
        assertThat(checkpoint.read()).containsExactlyEntriesOf(Map.of("orders-0", 5L));

        checkpoint.write(Map.of("orders-0", 6L));
        assertThat(checkpoint.read()).containsExactlyEntriesOf(Map.of("orders-0", 6L));
        assertThat(tmp).doesNotExist();
    }

    @Test
    void shouldRejectKeysThatWouldBreakTheFormat() {
        CheckpointFile checkpoint = new CheckpointFile(file());
        assertThatThrownBy(() -> checkpoint.write(Map.of("two words", 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two words");
        assertThatThrownBy(() -> checkpoint.write(Map.of("", 1L))).isInstanceOf(IllegalArgumentException.class);
        assertThat(file()).doesNotExist();
    }

    @Test
    void shouldReportMalformedFilesWithFileAndLine() throws IOException {
        List<Object[]> cases = List.of(
                new Object[] {"", 1, "ends before the version"},
                new Object[] {"1\n0\n", 1, "version 1"},
                new Object[] {"zero\n0\n", 1, "version 'zero'"},
                new Object[] {"0\n", 2, "ends before the entry count"},
                new Object[] {"0\n-2\n", 2, "entry count '-2'"},
                new Object[] {"0\n2\norders-0 1\n", 4, "ends after 1 of 2"},
                new Object[] {"0\n1\norders-0 1\norders-1 2\n", 4, "more lines"},
                new Object[] {"0\n1\norders-0\n", 3, "not 'key offset'"},
                new Object[] {"0\n1\norders-0  1\n", 3, "not 'key offset'"},
                new Object[] {"0\n1\n 1\n", 3, "not 'key offset'"},
                new Object[] {"0\n1\norders-0 12x\n", 3, "not a number"},
                new Object[] {"0\n2\norders-0 1\norders-0 2\n", 4, "appears twice"});
        for (Object[] c : cases) {
            writeText((String) c[0]);
            assertThatThrownBy(() -> new CheckpointFile(file()).read()).as("content %s", c[0])
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining(file().toString())
                    .hasMessageContaining("line " + c[1])
                    .hasMessageContaining((String) c[2])
                    .satisfies(e -> assertThat(((CorruptCheckpointException) e).lineNumber()).isEqualTo(c[1]));
        }
    }
}
