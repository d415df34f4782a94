package io.strand.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {
    private static final long BASE = 500;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private final List<TimeIndex> opened = new ArrayList<>();

    private Path file() {
        return dir.resolve(LogFiles.timeIndexFileName(BASE));
    }

    private TimeIndex index(int maxBytes) {
        TimeIndex index = new TimeIndex(file(), BASE, maxBytes);
        opened.add(index);
        return index;
    }

    private TimeIndex index() {
        return index(64 * 1024);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(TimeIndex::close);
    }

    /** Entries (T0 + 1000k, BASE + 10k) for k = 1..n. */
    private static void fill(TimeIndex index, int n) {
        for (int k = 1; k <= n; k++) {
            index.maybeAppend(T0 + 1000L * k, BASE + 10L * k);
        }
    }

    private void writeEntries(int length, long... timestampAndRelative) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        for (int i = 0; i + 1 < timestampAndRelative.length; i += 2) {
            b.putLong(timestampAndRelative[i]).putInt((int) timestampAndRelative[i + 1]);
        }
        Files.write(file(), b.array());
    }

    @Test
    void shouldTouchNoFileUntilAnAppend() {
        TimeIndex index = index();
        assertThat(index.isOpen()).isFalse();

        assertThat(index.lookup(T0)).isEqualTo(new TimestampOffset(-1, BASE));
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(-1, BASE));
        assertThat(file()).doesNotExist();
    }

    @Test
    void shouldFindLargestTimestampAtOrBelowTheTarget() {
        TimeIndex index = index();
        fill(index, 3);

        assertThat(index.lookup(T0)).as("before the first").isEqualTo(new TimestampOffset(-1, BASE));
        assertThat(index.lookup(T0 + 1000)).as("at the first").isEqualTo(new TimestampOffset(T0 + 1000, BASE + 10));
        assertThat(index.lookup(T0 + 2500)).as("between").isEqualTo(new TimestampOffset(T0 + 2000, BASE + 20));
        assertThat(index.lookup(Long.MAX_VALUE)).as("after the last").isEqualTo(new TimestampOffset(T0 + 3000, BASE + 30));
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(T0 + 3000, BASE + 30));
        assertThat(index.entry(0)).isEqualTo(new TimestampOffset(T0 + 1000, BASE + 10));
        assertThat(index.entries()).isEqualTo(3);
    }

    @Test
    void shouldAppendOnlyWhenTheTimestampGrows() {
        TimeIndex index = index();
        index.maybeAppend(-1, BASE); // "no timestamp" is never indexed
        assertThat(index.entries()).isZero();

        index.maybeAppend(T0, BASE + 5);
        index.maybeAppend(T0, BASE + 9);
        index.maybeAppend(T0 - 7, BASE + 12);
        index.maybeAppend(T0 + 1, BASE + 12);
        index.maybeAppend(T0 + 2, BASE + 12); // same offset, later timestamp: allowed

        assertThat(index.entries()).isEqualTo(3);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(T0 + 2, BASE + 12));
    }

    @Test
    void shouldRejectAnOffsetBelowTheLastEntry() {
        TimeIndex index = index();
        index.maybeAppend(T0, BASE + 10);

        assertThatThrownBy(() -> index.maybeAppend(T0 + 1, BASE + 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=" + (BASE + 9)).hasMessageContaining("offset=" + (BASE + 10));
        assertThatThrownBy(() -> index.maybeAppend(T0 + 1, BASE - 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGrowUpToTheMaximumAndThenBeFull() throws IOException {
        TimeIndex index = index(12 * 1000);
        index.maybeAppend(T0, BASE);
        assertThat(Files.size(file())).as("4 KiB rounded down to whole entries").isEqualTo(4092);

        fill(index, 999);
        assertThat(index.entries()).isEqualTo(1000);
        assertThat(Files.size(file())).isEqualTo(12_000);
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.maybeAppend(T0 + 10_000_000, BASE + 100_000))
                .isInstanceOf(IllegalStateException.class);
        index.maybeAppend(T0, BASE + 100_000); // not due: no error even when full
    }

    @Test
    void shouldTruncateByOffsetAndKeepEntriesAcrossTrimAndReopen() throws IOException {
        TimeIndex index = index();
        fill(index, 10);
        index.truncateTo(BASE + 75);
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(T0 + 7000, BASE + 70));
        index.truncateTo(BASE + 70);
        assertThat(index.entries()).isEqualTo(6);
        index.trimToValidSize();
        assertThat(Files.size(file())).isEqualTo(6 * 12);

        TimeIndex reopened = index();
        assertThat(reopened.entries()).isEqualTo(6);
        assertThat(reopened.lookup(T0 + 4500)).isEqualTo(new TimestampOffset(T0 + 4000, BASE + 40));
        reopened.sanityCheck();
    }

    @Test
    void shouldReopenAfterCloseAndAfterACrashWithAZeroTail() {
        TimeIndex index = index();
        fill(index, 4);
        index.truncateTo(BASE + 30);
        index.close();
        assertThat(index.lookup(T0 + 9999)).isEqualTo(new TimestampOffset(T0 + 2000, BASE + 20));

        TimeIndex afterCrash = index(); // the file is still preallocated: 4092 bytes
        assertThat(afterCrash.entries()).isEqualTo(2);
        afterCrash.sanityCheck();
    }

    @Test
    void shouldResetToEmpty() {
        TimeIndex index = index();
        fill(index, 4);
        index.reset();
        assertThat(index.entries()).isZero();
        assertThat(index.lastEntry()).isEqualTo(new TimestampOffset(-1, BASE));
    }

    @Test
    void shouldReportGarbageAndABadLengthAsCorrupt() throws IOException {
        writeEntries(48, T0, 0, T0 + 5, 3, T0 + 2, 4, 99, 99); // the third goes back in time
        TimeIndex garbage = index();
        assertThat(garbage.entries()).isEqualTo(2);
        assertThatThrownBy(garbage::sanityCheck).isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining(file().toString());
        garbage.deleteIfExists();

        writeEntries(30, T0, 0, T0 + 5, 3);
        TimeIndex badLength = index();
        assertThatThrownBy(badLength::sanityCheck).isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("30 bytes");
    }
}
