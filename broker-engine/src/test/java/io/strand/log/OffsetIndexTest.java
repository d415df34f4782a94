package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {
    private static final long BASE = 1000;
    private static final int MAX_BYTES = 64 * 1024;

    @TempDir
    Path dir;
    private final List<OffsetIndex> opened = new ArrayList<>();

    private Path file() {
        return dir.resolve(LogFiles.indexFileName(BASE));
    }

    private OffsetIndex index(int maxBytes) {
        OffsetIndex index = new OffsetIndex(file(), BASE, maxBytes);
        opened.add(index);
        return index;
    }

    private OffsetIndex index() {
        return index(MAX_BYTES);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(OffsetIndex::close);
    }

    /** Entries (BASE + 10k, 100k) for k = 1..n. */
    private static void fill(OffsetIndex index, int n) {
        for (int k = 1; k <= n; k++) {
            index.append(BASE + 10L * k, 100 * k);
        }
    }

    private static byte[] entryBytes(int... relativeAndPosition) {
        ByteBuffer b = ByteBuffer.allocate(relativeAndPosition.length * 4);
        for (int v : relativeAndPosition) {
            b.putInt(v);
        }
        return b.array();
    }

    private void writeFile(byte[] content, int length) throws IOException {
        byte[] bytes = new byte[length];
        System.arraycopy(content, 0, bytes, 0, Math.min(content.length, length));
        Files.write(file(), bytes);
    }

    @Test
    void shouldTouchNoFileUntilFirstUse() {
        OffsetIndex index = index();
        assertThat(index.isOpen()).isFalse();
        assertThat(file()).doesNotExist();

        assertThat(index.lookup(BASE + 5)).isEqualTo(new OffsetPosition(BASE, 0));
        assertThat(index.entries()).isZero();
        assertThat(index.lastOffset()).isEqualTo(BASE);
        assertThat(file()).as("reading an index creates no file").doesNotExist();
        assertThat(index.baseOffset()).isEqualTo(BASE);
        assertThat(index.file()).isEqualTo(file());
    }

    @Test
    void shouldFindLargestEntryAtOrBelowTheTarget() {
        OffsetIndex index = index();
        fill(index, 3); // (1010,100) (1020,200) (1030,300)

        assertThat(index.lookup(BASE - 1)).as("below the base").isEqualTo(new OffsetPosition(BASE, 0));
        assertThat(index.lookup(1009)).as("before the first").isEqualTo(new OffsetPosition(BASE, 0));
        assertThat(index.lookup(1010)).as("at the first").isEqualTo(new OffsetPosition(1010, 100));
        assertThat(index.lookup(1015)).as("between").isEqualTo(new OffsetPosition(1010, 100));
        assertThat(index.lookup(1020)).as("at an entry").isEqualTo(new OffsetPosition(1020, 200));
        assertThat(index.lookup(1030)).as("at the last").isEqualTo(new OffsetPosition(1030, 300));
        assertThat(index.lookup(Long.MAX_VALUE)).as("after the last").isEqualTo(new OffsetPosition(1030, 300));
        assertThat(index.entry(1)).isEqualTo(new OffsetPosition(1020, 200));
        assertThat(index.entries()).isEqualTo(3);
        assertThat(index.lastOffset()).isEqualTo(1030);
        assertThatThrownBy(() -> index.entry(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldAcceptAFirstEntryAtTheBaseOffsetAndPositionZero() {
        OffsetIndex index = index();
        index.append(BASE, 0);
        index.append(BASE + 1, 50);

        assertThat(index.lookup(BASE)).isEqualTo(new OffsetPosition(BASE, 0));
        assertThat(index.lookup(BASE + 7)).isEqualTo(new OffsetPosition(BASE + 1, 50));
    }

    @Test
    void shouldRejectEntriesThatDoNotIncreaseNamingBothValues() {
        OffsetIndex index = index();
        index.append(1020, 200);

        assertThatThrownBy(() -> index.append(1020, 300)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=1020 position=300").hasMessageContaining("offset=1020 position=200");
        assertThatThrownBy(() -> index.append(1030, 200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position=200");
        assertThatThrownBy(() -> index.append(1010, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.append(BASE - 1, 300)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=999");
        assertThatThrownBy(() -> index.append(BASE + Integer.MAX_VALUE + 1L, 300))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.append(1040, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.entries()).isEqualTo(1);
    }

    @Test
    void shouldStartSmallAndDoubleUpToTheMaximumThenBeFull() throws IOException {
        OffsetIndex index = index(16 * 1024);
        index.append(BASE, 0);
        assertThat(Files.size(file())).isEqualTo(4096);

        fill(index, 512); // 513 entries: one past the initial 512
        assertThat(Files.size(file())).isEqualTo(8192);
        assertThat(index.isFull()).isFalse();

        for (int k = 513; index.entries() < 2048; k++) {
            index.append(BASE + 10L * k, 100 * k);
        }
        assertThat(Files.size(file())).isEqualTo(16 * 1024);
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.append(BASE + 10_000_000, Integer.MAX_VALUE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        assertThat(index.lookup(BASE + 10L * 1000 + 5)).isEqualTo(new OffsetPosition(BASE + 10_000, 100_000));
    }

    @Test
    void shouldNotGrowPastAMaximumThatIsNotAMultipleOfTheEntrySize() throws IOException {
        OffsetIndex index = index(8 * 3 + 5);
        fill(index, 3);
        assertThat(index.isFull()).isTrue();
        assertThat(Files.size(file())).isEqualTo(24);
    }

    @Test
    void shouldKeepEntriesAcrossTrimAndReopen() throws IOException {
        OffsetIndex index = index();
        fill(index, 100);
        index.trimToValidSize();
        assertThat(Files.size(file())).isEqualTo(800);
        assertThat(index.isOpen()).isFalse();
        assertThat(index.entries()).isEqualTo(100);
        assertThat(index.isFull()).isFalse();
        assertThat(index.isOpen()).as("counting needs no mapping once known").isFalse();

        OffsetIndex reopened = index();
        assertThat(reopened.entries()).isEqualTo(100);
        assertThat(reopened.lookup(1505)).isEqualTo(new OffsetPosition(1500, 5000));
        reopened.sanityCheck();
        reopened.append(BASE + 2000, 1_000_000); // appends grow the trimmed file again
        assertThat(reopened.entries()).isEqualTo(101);
        assertThat(Files.size(file())).isEqualTo(4096);
    }

    @Test
    void shouldTruncateEntriesAtOrAboveAnOffset() {
        OffsetIndex index = index();
        fill(index, 5); // 1010..1050

        index.truncateTo(1051);
        assertThat(index.entries()).as("above the last: nothing").isEqualTo(5);
        index.truncateTo(1045);
        assertThat(index.entries()).as("between").isEqualTo(4);
        index.truncateTo(1030);
        assertThat(index.entries()).as("at an entry: drops it").isEqualTo(2);
        assertThat(index.lastOffset()).isEqualTo(1020);
        index.append(1025, 250);
        assertThat(index.lookup(1040)).isEqualTo(new OffsetPosition(1025, 250));
        index.truncateTo(BASE);
        assertThat(index.entries()).as("at the base: everything").isZero();
    }

    @Test
    void shouldNotResurrectTruncatedEntriesAfterACrash() {
        OffsetIndex index = index();
        fill(index, 5);
        index.truncateTo(1030);
        index.append(1025, 250);
        // Simulate a crash: no trim; another instance maps the same preallocated file.
        index.flush();

        OffsetIndex afterCrash = index();
        assertThat(afterCrash.entries()).isEqualTo(3);
        assertThat(afterCrash.lookup(Long.MAX_VALUE)).isEqualTo(new OffsetPosition(1025, 250));
        afterCrash.sanityCheck();
    }

    @Test
    void shouldDropAllEntriesOnReset() throws IOException {
        OffsetIndex index = index();
        fill(index, 10);
        index.reset();

        assertThat(index.entries()).isZero();
        assertThat(Files.size(file())).isZero();
        index.append(BASE + 1, 10);
        assertThat(index.entries()).isEqualTo(1);
        assertThat(index().lookup(BASE + 5)).as("a fresh instance sees the rebuilt file")
                .isEqualTo(new OffsetPosition(BASE + 1, 10));
    }

    @Test
    void shouldReopenLazilyAfterClose() {
        OffsetIndex index = index();
        fill(index, 3);
        assertThat(index.isOpen()).isTrue();

        index.close();
        assertThat(index.isOpen()).isFalse();
        assertThat(index.lookup(1025)).isEqualTo(new OffsetPosition(1020, 200));
        assertThat(index.isOpen()).isTrue();
        index.closeHandler();
        index.append(1040, 400);
        assertThat(index.entries()).isEqualTo(4);
    }

    @Test
    void shouldReleaseTheMappingOnCloseAndTrim() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs Linux /proc to see mappings");
        assertThat(MappedBuffers.unmapsPromptly()).isTrue();
        OffsetIndex index = index();
        fill(index, 3);
        assertThat(Files.readString(maps)).contains(file().toString());

        index.close();
        assertThat(Files.readString(maps)).doesNotContain(file().toString());
        index.lookup(BASE);
        index.trimToValidSize();
        assertThat(Files.readString(maps)).doesNotContain(file().toString());
    }

    @Test
    void shouldReadEntriesBeforeAPreallocatedZeroTail() throws IOException {
        writeFile(entryBytes(0, 0, 10, 100, 20, 200), 4096);

        OffsetIndex index = index();
        assertThat(index.entries()).isEqualTo(3);
        assertThat(index.lookup(BASE + 15)).isEqualTo(new OffsetPosition(BASE + 10, 100));
        index.sanityCheck();
        index.append(BASE + 30, 300);
        assertThat(index.entries()).isEqualTo(4);
    }

    @Test
    void shouldReadAnAllZeroPreallocatedFileAsEmpty() throws IOException {
        writeFile(new byte[0], 4096);

        OffsetIndex index = index();
        assertThat(index.entries()).isZero();
        index.sanityCheck();
        index.append(BASE, 0);
        assertThat(index.entries()).isEqualTo(1);
    }

    @Test
    void shouldAnswerLookupsAlikeWhenALoneZeroEntryReadsAsNoEntry() {
        OffsetIndex index = index();
        index.append(BASE, 0); // (0, 0): the same bytes as the preallocated tail
        index.flush();

        OffsetIndex afterCrash = index();
        assertThat(afterCrash.entries()).as("indistinguishable from an empty preallocated file").isZero();
        assertThat(afterCrash.lookup(BASE + 3)).isEqualTo(index.lookup(BASE + 3));
        afterCrash.append(BASE + 2, 40);
        assertThat(afterCrash.lookup(BASE + 1)).isEqualTo(new OffsetPosition(BASE, 0));
    }

    @Test
    void shouldReadATrimmedFileWithOneZeroEntryAsThatEntry() throws IOException {
        writeFile(new byte[0], 8);

        assertThat(index().entries()).isEqualTo(1);
    }

    @Test
    void shouldReportGarbageAsCorruptNamingTheFile() throws IOException {
        // Two good entries, then one whose position goes backwards, then noise.
        writeFile(entryBytes(5, 10, 9, 90, 12, 40, 0x7f7f7f7f, 0x01020304), 64);

        OffsetIndex index = index();
        assertThat(index.entries()).as("the ordered prefix").isEqualTo(2);
        assertThatThrownBy(index::sanityCheck).isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("2 entries");
    }

    @Test
    void shouldReportAFileWhoseLengthIsNotAWholeNumberOfEntries() throws IOException {
        writeFile(entryBytes(5, 10, 9, 90), 20);

        OffsetIndex index = index();
        assertThat(index.entries()).isEqualTo(2);
        assertThatThrownBy(index::sanityCheck).isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("20 bytes");
    }

    @Test
    void shouldLeaveAClosedIndexClosedAfterTheSanityCheck() {
        OffsetIndex index = index();
        fill(index, 2);
        index.close();

        index.sanityCheck();
        assertThat(index.isOpen()).isFalse();
    }

    @Test
    void shouldFlushOpenClosedAndUnwrittenIndexes() {
        OffsetIndex index = index();
        index.flush();
        assertThat(file()).as("an unwritten index has nothing to force").doesNotExist();

        fill(index, 3);
        index.flush();
        index.trimToValidSize();
        index.flush(); // forces the trimmed file without mapping it
        assertThat(index.isOpen()).isFalse();
    }

    @Test
    void shouldDeleteAndRenameTheFile() {
        OffsetIndex index = index();
        fill(index, 2);
        Path renamed = dir.resolve("renamed.index");

        index.renameTo(renamed);
        assertThat(file()).doesNotExist();
        assertThat(index.file()).isEqualTo(renamed).exists();
        assertThat(index.lookup(1015)).isEqualTo(new OffsetPosition(1010, 100));

        assertThat(index.deleteIfExists()).isTrue();
        assertThat(renamed).doesNotExist();
        assertThat(index.isOpen()).isFalse();
        assertThat(index.deleteIfExists()).isFalse();
        assertThat(index.entries()).isZero();
        assertThat(renamed).as("a read after delete recreates nothing").doesNotExist();
    }

    @Test
    void shouldLetReadersLookUpWhileOneThreadAppends() throws Exception {
        OffsetIndex index = index(1 << 20);
        int total = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> fill(index, total));
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    while (index.entries() < total) {
                        long target = BASE + (long) (Math.random() * 10 * total);
                        OffsetPosition found = index.lookup(target);
                        // Every answer is a real entry (or the base) at or below the target.
                        assertThat(found.offset()).isLessThanOrEqualTo(Math.max(target, BASE));
                        assertThat(found.position()).isEqualTo((found.offset() - BASE) * 10);
                    }
                }));
            }
            writer.get(30, TimeUnit.SECONDS);
            for (Future<?> reader : readers) {
                reader.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(index.lookup(Long.MAX_VALUE)).isEqualTo(new OffsetPosition(BASE + 10L * total, 100 * total));
    }
}
