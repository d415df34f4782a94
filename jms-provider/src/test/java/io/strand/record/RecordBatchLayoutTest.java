package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The exact bytes of a batch: header field offsets, the record encoding and the range the CRC covers. */
class RecordBatchLayoutTest {
    private static final HexFormat HEX = HexFormat.of();

    /** One record, key "k", value "v", header h=x, at offset 5 and time 1000, written by the builder. */
    private static ByteBuffer oneRecordBatch() {
        return Batches.build(CompressionType.NONE, 5L, List.of(TestRecord.of(1000L, bytes("k"), bytes("v"),
                Header.of("h", bytes("x")))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long crcOf(ByteBuffer batch, int from) {
        CRC32C crc = new CRC32C();
        crc.update(batch.array(), from, batch.limit() - from);
        return crc.getValue();
    }

    @Test
    void shouldWriteEveryHeaderFieldAtItsKafkaV2Offset() {
        ByteBuffer batch = oneRecordBatch();
        byte[] record = HEX.parseHex("18" + "00" + "00" + "00" + "02" + "6b" + "02" + "76" + "02" + "02" + "68" + "02" + "78");
        assertThat(batch.remaining()).isEqualTo(61 + record.length);

        String expectedHeader = "0000000000000005" // baseOffset
                + "0000003e"         // batchLength: 74 - 12
                + "ffffffff"         // partitionLeaderEpoch: none until the broker stamps it
                + "02"               // magic
                + String.format("%08x", crcOf(batch, 21))
                + "0000"             // attributes: no codec, create time, not transactional
                + "00000000"         // lastOffsetDelta
                + "00000000000003e8" // baseTimestamp
                + "00000000000003e8" // maxTimestamp
                + "ffffffffffffffff" // producerId
                + "ffff"             // producerEpoch
                + "ffffffff"         // baseSequence
                + "00000001";        // recordCount
        assertThat(HEX.formatHex(batch.array(), 0, 61)).isEqualTo(expectedHeader);
        assertThat(HEX.formatHex(batch.array(), 61, batch.limit())).isEqualTo(HEX.formatHex(record));
    }

    @Test
    void shouldMatchTheNamedOffsetConstants() {
        assertThat(List.of(RecordBatch.BASE_OFFSET_OFFSET, RecordBatch.LENGTH_OFFSET,
                RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, RecordBatch.MAGIC_OFFSET, RecordBatch.CRC_OFFSET,
                RecordBatch.ATTRIBUTES_OFFSET, RecordBatch.LAST_OFFSET_DELTA_OFFSET, RecordBatch.BASE_TIMESTAMP_OFFSET,
                RecordBatch.MAX_TIMESTAMP_OFFSET, RecordBatch.PRODUCER_ID_OFFSET, RecordBatch.PRODUCER_EPOCH_OFFSET,
                RecordBatch.BASE_SEQUENCE_OFFSET, RecordBatch.RECORD_COUNT_OFFSET, RecordBatch.RECORDS_OFFSET))
                .containsExactly(0, 8, 12, 16, 17, 21, 23, 27, 35, 43, 51, 53, 57, 61);
        assertThat(RecordBatch.LOG_OVERHEAD).isEqualTo(12);
        assertThat(RecordBatch.HEADER_SIZE).isEqualTo(61);
    }

    @Test
    void shouldComputeTheCrc32cFromAttributesToTheEndOfTheBatch() {
        ByteBuffer batch = oneRecordBatch();
        RecordBatch wrapped = new RecordBatch().wrap(batch, 0);
        assertThat(wrapped.checksum()).isEqualTo(crcOf(batch, 21)).isEqualTo(wrapped.computeChecksum());
    }

    @Test
    void shouldKeepTheCrcValidWhenTheBrokerStampsBaseOffsetAndLeaderEpoch() {
        ByteBuffer batch = oneRecordBatch();
        RecordBatch wrapped = new RecordBatch().wrap(batch, 0);
        long crc = wrapped.checksum();
        wrapped.setBaseOffset(123_456_789L);
        wrapped.setPartitionLeaderEpoch(42);

        wrapped.ensureValid(batch.limit(), Integer.MAX_VALUE);
        assertThat(wrapped.checksum()).isEqualTo(crc);
        assertThat(Batches.readAll(batch)).extracting(r -> r.offset).containsExactly(123_456_789L);
    }

    @Test
    void shouldBreakTheCrcWhenAnyByteFromTheAttributesOnChanges() {
        ByteBuffer pristine = oneRecordBatch();
        for (int i = RecordBatch.ATTRIBUTES_OFFSET; i < pristine.limit(); i++) {
            ByteBuffer batch = Batches.copy(pristine);
            batch.put(i, (byte) (batch.get(i) ^ 0x01));
            RecordBatch wrapped = new RecordBatch().wrap(batch, 0);
            assertThat(wrapped.computeChecksum()).as("byte %d", i).isNotEqualTo(wrapped.checksum());
            assertThatThrownBy(() -> wrapped.ensureValid(batch.limit(), Integer.MAX_VALUE))
                    .as("byte %d", i).isInstanceOf(CorruptRecordException.class);
        }
    }

    @Test
    void shouldReportAChangedCrcFieldAsACrcFailure() {
        for (int i = RecordBatch.CRC_OFFSET; i < RecordBatch.ATTRIBUTES_OFFSET; i++) {
            ByteBuffer batch = oneRecordBatch();
            batch.put(i, (byte) ~batch.get(i));
            assertThatThrownBy(() -> new RecordBatch().wrap(batch, 0).ensureValid(batch.limit(), Integer.MAX_VALUE))
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("batch at position 0 (base offset 5) fails its CRC");
        }
    }

    @Test
    void shouldComputeTheSameCrcOverHeapReadOnlyAndDirectBuffers() {
        ByteBuffer heap = oneRecordBatch();
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
        long expected = new RecordBatch().wrap(heap, 0).computeChecksum();
        assertThat(new RecordBatch().wrap(heap.asReadOnlyBuffer(), 0).computeChecksum()).isEqualTo(expected);
        assertThat(new RecordBatch().wrap(direct, 0).computeChecksum()).isEqualTo(expected);
    }

    @Test
    void shouldFindABatchThatStartsInsideALargerBuffer() {
        ByteBuffer batch = oneRecordBatch();
        ByteBuffer larger = ByteBuffer.allocate(batch.remaining() + 10);
        larger.position(7);
        larger.put(batch.duplicate());
        larger.flip();
        RecordBatch wrapped = new RecordBatch().wrap(larger, 7);
        wrapped.ensureValid(larger.limit(), Integer.MAX_VALUE);
        assertThat(wrapped.baseOffset()).isEqualTo(5L);
        assertThat(wrapped.records().next().value()).isEqualTo(ByteBuffer.wrap(bytes("v")));
    }
}
