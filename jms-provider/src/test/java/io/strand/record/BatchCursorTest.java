package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchCursorTest {
    private static final int MAX = 1 << 20;

    /** Three batches back to back (none, lz4, none) at offsets 0, 2 and 5. */
    private static ByteBuffer threeBatches() {
        List<ByteBuffer> parts = List.of(Batches.ofValues(CompressionType.NONE, 0L, "a", "b"),
                Batches.ofValues(CompressionType.LZ4, 2L, "c", "d", "e"),
                Batches.ofValues(CompressionType.NONE, 5L, "f"));
        ByteBuffer all = ByteBuffer.allocate(parts.stream().mapToInt(ByteBuffer::remaining).sum());
        parts.forEach(p -> all.put(p.duplicate()));
        return all.flip();
    }

    @Test
    void shouldWalkConsecutiveBatchesWithOneFlyweight() {
        ByteBuffer all = threeBatches();
        BatchCursor cursor = new BatchCursor(MAX).reset(all);
        List<Long> baseOffsets = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        RecordBatch first = null;
        while (cursor.hasNext()) {
            positions.add(cursor.position());
            RecordBatch batch = cursor.next();
            first = first == null ? batch : first;
            assertThat(batch).isSameAs(first);
            baseOffsets.add(batch.baseOffset());
        }
        assertThat(baseOffsets).containsExactly(0L, 2L, 5L);
        assertThat(positions.get(0)).isZero();
        assertThat(cursor.position()).isEqualTo(all.limit());
        assertThat(all.position()).as("the cursor moves nothing").isZero();
        assertThat(BatchCursor.validateAll(all, MAX)).isEqualTo(3);
    }

    @Test
    void shouldReadRecordsOfEveryBatchItReturns() {
        BatchCursor cursor = new BatchCursor(MAX).reset(threeBatches());
        RecordIterator records = new RecordIterator();
        List<Long> offsets = new ArrayList<>();
        while (cursor.hasNext()) {
            records.reset(cursor.next());
            while (records.hasNext()) {
                offsets.add(records.next().offset());
            }
        }
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldStopAtACorruptBatchNamingItsPosition() {
        ByteBuffer all = threeBatches();
        BatchCursor cursor = new BatchCursor(MAX).reset(all);
        cursor.next();
        int second = cursor.position();
        all.put(second + RecordBatch.HEADER_SIZE + 1, (byte) 0x55);
        assertThatThrownBy(cursor::next).isInstanceOf(CorruptRecordException.class)
                .hasMessageStartingWith("batch at position " + second + " (base offset 2) fails its CRC");
        assertThat(cursor.position()).as("the cursor stays at the bad batch").isEqualTo(second);
    }

    @Test
    void shouldReportAPartialBatchAtTheEndAsCorrupt() {
        ByteBuffer all = threeBatches();
        all.limit(all.limit() - 3);
        BatchCursor cursor = new BatchCursor(MAX).reset(all);
        cursor.next();
        cursor.next();
        int last = cursor.position();
        assertThat(cursor.hasNext()).isTrue();
        assertThatThrownBy(cursor::next).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("batch at position " + last + " has size");
        assertThatThrownBy(() -> BatchCursor.validateAll(all, MAX)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void shouldRejectABatchOverTheMaximumSize() {
        ByteBuffer all = threeBatches();
        assertThatThrownBy(() -> new BatchCursor(70).reset(all).next()).isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("over the maximum batch size 70");
    }

    @Test
    void shouldWalkFromTheBuffersPositionToItsLimit() {
        ByteBuffer all = threeBatches();
        BatchCursor first = new BatchCursor(MAX).reset(all);
        first.next();
        all.position(first.position());
        assertThat(BatchCursor.validateAll(all, MAX)).isEqualTo(2);
        assertThat(new BatchCursor(MAX).reset(all).next().baseOffset()).isEqualTo(2L);
    }

    @Test
    void shouldHaveNothingToWalkInAnEmptyBuffer() {
        BatchCursor cursor = new BatchCursor(MAX);
        assertThat(cursor.hasNext()).as("before reset").isFalse();
        cursor.reset(ByteBuffer.allocate(0));
        assertThat(cursor.hasNext()).isFalse();
        assertThatThrownBy(cursor::next).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> new BatchCursor(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
