package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordIteratorTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<TestRecord> sample() {
        return List.of(
                TestRecord.of(1_000L, utf8("k1"), utf8("v1"), Header.of("a", utf8("x")), Header.of("b", null)),
                TestRecord.of(900L, null, utf8("v2")),
                TestRecord.of(1_200L, new byte[0], null),
                TestRecord.of(1_100L, utf8("k4"), new byte[0], Header.of("", new byte[0])));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldReadBackOffsetsTimestampsKeysValuesAndHeaders(CompressionType compression) {
        List<TestRecord> written = sample();
        List<TestRecord> read = Batches.readAll(Batches.build(compression, 500L, written));
        assertThat(read).containsExactly(written.get(0).withOffset(500L), written.get(1).withOffset(501L),
                written.get(2).withOffset(502L), written.get(3).withOffset(503L));
    }

    @Test
    void shouldTellANullKeyFromAnEmptyOne() {
        RecordIterator records = new RecordBatch().wrap(Batches.build(CompressionType.NONE, 0L, sample()), 0).records();
        Record first = records.next();
        assertThat(first.hasKey()).isTrue();
        assertThat(first.keySize()).isEqualTo(2);
        Record second = records.next();
        assertThat(second.hasKey()).isFalse();
        assertThat(second.keySize()).isEqualTo(-1);
        assertThat(second.key()).isNull();
        Record third = records.next();
        assertThat(third.hasKey()).isTrue();
        assertThat(third.key().remaining()).isZero();
        assertThat(third.hasValue()).isFalse();
        assertThat(third.valueSize()).isEqualTo(-1);
        assertThat(third.value()).isNull();
    }

    @Test
    void shouldHandOutReadOnlyViewsOfTheBatchNotCopies() {
        ByteBuffer batch = Batches.build(CompressionType.NONE, 0L, List.of(
                TestRecord.of(1L, utf8("key"), utf8("value"), Header.of("h", utf8("hv")))));
        Record record = new RecordBatch().wrap(batch, 0).records().next();
        ByteBuffer value = record.value();
        Header header = record.headers()[0];

        assertThat(value.isReadOnly()).isTrue();
        assertThatThrownBy(() -> value.put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(header.value().isReadOnly()).isTrue();

        batch.put(record.valuePosition(), (byte) 'V');
        assertThat(value.get(0)).as("the view shares the batch's bytes").isEqualTo((byte) 'V');
        assertThat(record.buffer().get(record.keyPosition())).isEqualTo((byte) 'k');
    }

    @Test
    void shouldReuseOneFlyweightForEveryRecord() {
        RecordIterator records = new RecordBatch().wrap(Batches.build(CompressionType.NONE, 0L, sample()), 0).records();
        Record first = records.next();
        assertThat(records.next()).isSameAs(first);
        assertThat(first.index()).isEqualTo(1);
        assertThat(records.remaining()).isEqualTo(2);
    }

    @Test
    void shouldSumRecordSizesToTheRecordsArea() {
        ByteBuffer batch = Batches.build(CompressionType.NONE, 0L, sample());
        RecordIterator records = new RecordBatch().wrap(batch, 0).records();
        int total = 0;
        int expectedPosition = RecordBatch.HEADER_SIZE;
        while (records.hasNext()) {
            Record record = records.next();
            assertThat(record.position()).isEqualTo(expectedPosition);
            expectedPosition += record.sizeInBytes();
            total += record.sizeInBytes();
        }
        assertThat(total).isEqualTo(batch.remaining() - RecordBatch.HEADER_SIZE);
    }

    @Test
    void shouldThrowNoSuchElementAfterTheLastRecord() {
        RecordIterator records = new RecordBatch().wrap(Batches.ofValues(CompressionType.NONE, 0L, "only"), 0).records();
        records.next();
        assertThat(records.hasNext()).isFalse();
        assertThatThrownBy(records::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void shouldGiveEveryRecordTheMaxTimestampUnderLogAppendTime() {
        ByteBuffer batch = Batches.build(CompressionType.NONE, 0L, sample());
        RecordBatch wrapped = new RecordBatch().wrap(batch, 0);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) RecordBatch.TIMESTAMP_TYPE_MASK);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, 77_777L);
        wrapped.updateChecksum();

        assertThat(wrapped.isLogAppendTime()).isTrue();
        assertThat(Batches.readAll(batch)).extracting(r -> r.timestamp).containsOnly(77_777L);
    }

    @Test
    void shouldMoveFromBatchToBatchWithOneIterator() {
        RecordIterator records = new RecordIterator();
        RecordBatch batch = new RecordBatch();
        for (CompressionType compression : List.of(CompressionType.NONE, CompressionType.LZ4, CompressionType.NONE,
                CompressionType.LZ4)) {
            records.reset(batch.wrap(Batches.ofValues(compression, 10L, "a", compression.configName), 0));
            assertThat(records.next().offset()).isEqualTo(10L);
            Record second = records.next();
            assertThat(StandardCharsets.UTF_8.decode(second.value()).toString()).isEqualTo(compression.configName);
            assertThat(records.hasNext()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldReadBatchesFromReadOnlyAndDirectBuffers(CompressionType compression) {
        List<TestRecord> written = sample();
        ByteBuffer heap = Batches.build(compression, 0L, written);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
        for (ByteBuffer source : List.of(heap.asReadOnlyBuffer(), direct)) {
            RecordIterator records = new RecordBatch().wrap(source, 0).records();
            for (int i = 0; i < written.size(); i++) {
                assertThat(TestRecord.copyOf(records.next())).isEqualTo(written.get(i).withOffset(i));
            }
        }
    }

    @Test
    void shouldReadAnEmptyBatchAsNoRecords() {
        ByteBuffer empty = Batches.forge(CompressionType.NONE, 0, 0, new byte[0]);
        assertThat(new RecordBatch().wrap(empty, 0).records().hasNext()).isFalse();
    }

    @Test
    void shouldRejectAnInvalidDecompressionLimit() {
        assertThatThrownBy(() -> new RecordIterator(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDecompressedBytes=0");
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldAllocateNothingWhileIteratingOnceWarm(CompressionType compression) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer batch = Batches.build(compression, 0L, sample());
        RecordBatch wrapped = new RecordBatch().wrap(batch, 0);
        RecordIterator records = new RecordIterator();
        long checksum = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                records.reset(wrapped);
                while (records.hasNext()) {
                    Record record = records.next();
                    checksum += record.offset() + record.valueSize() + record.buffer().get(record.valuePosition());
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).as("bytes allocated by 10,000 iterations, checksum %d", checksum)
                        .isLessThan(10_000);
            }
        }
    }
}
