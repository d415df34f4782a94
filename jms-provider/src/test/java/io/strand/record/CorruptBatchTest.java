package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.record.Batches.RawRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * Bad bytes in every field a reader trusts: each must end in a {@link CorruptRecordException} that says what and
 * where, never an index, buffer or memory error. Batches are forged with a valid CRC around the bad part, so the
 * check under test is the one that fires.
 */
class CorruptBatchTest {
    private static final byte[] TEN = "0123456789".getBytes(StandardCharsets.US_ASCII);

    /** Validates the header and CRC, then reads every record and header. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertCorrupt(ByteBuffer batch) {
        return assertCorrupt(batch, RecordIterator.DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertCorrupt(ByteBuffer batch, int maxDecompressed) {
        return assertThatThrownBy(() -> {
            new RecordBatch().wrap(batch, 0).ensureValid(batch.limit(), Integer.MAX_VALUE);
            Batches.iterateAll(batch, maxDecompressed);
        }).isInstanceOf(CorruptRecordException.class);
    }

    private static ByteBuffer oneRecord(RawRecords body) {
        return Batches.forge(CompressionType.NONE, 1, 0, new RawRecords().record(body).toArray());
    }

    /** A record body up to the key length; the caller writes the rest. */
    private static RawRecords bodyStart(int offsetDelta) {
        return new RawRecords().bytes(0).varlong(0).varint(offsetDelta);
    }

    // ---- batch header ----------------------------------------------------------------------------------------

    @Test
    void shouldRejectAWrongMagic() {
        ByteBuffer batch = Batches.ofValues(CompressionType.NONE, 0L, "x");
        batch.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertCorrupt(batch).hasMessage("batch at position 0 has magic 1, expected 2");
    }

    @Test
    void shouldRejectABatchLengthOfIntegerMaxValue() {
        ByteBuffer batch = Batches.ofValues(CompressionType.NONE, 0L, "x");
        batch.putInt(RecordBatch.LENGTH_OFFSET, Integer.MAX_VALUE);
        assertCorrupt(batch).hasMessageContaining("batch at position 0 has size 2147483659");
        assertThatThrownBy(() -> new RecordBatch().wrap(batch, 0).ensureValid(batch.limit(), 1 << 20))
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("over the maximum batch size 1048576");
        assertThatThrownBy(() -> new RecordBatch().wrap(batch, 0).records())
                .isInstanceOf(CorruptRecordException.class).hasMessageContaining("has size 2147483659");
    }

    @Test
    void shouldRejectANegativeBatchLength() {
        ByteBuffer batch = Batches.ofValues(CompressionType.NONE, 0L, "x");
        batch.putInt(RecordBatch.LENGTH_OFFSET, -20);
        assertCorrupt(batch).hasMessageContaining("has batchLength -20, smaller than the header");
    }

    @Test
    void shouldRejectABufferThatEndsInsideTheBatch() {
        ByteBuffer batch = Batches.ofValues(CompressionType.NONE, 0L, "hello");
        batch.limit(batch.limit() - 1);
        assertCorrupt(batch).hasMessageContaining("but only 72 bytes remain");
        batch.limit(30);
        assertCorrupt(batch).hasMessageContaining("is truncated: 30 bytes left, a batch header needs 61");
    }

    @Test
    void shouldRejectANegativeRecordCount() {
        assertCorrupt(Batches.forge(CompressionType.NONE, -1, 0, new byte[0]))
                .hasMessage("batch at position 0 has negative record count -1");
    }

    @Test
    void shouldRejectALastOffsetDeltaBelowTheRecordCount() {
        assertCorrupt(Batches.forge(CompressionType.NONE, 3, 1, RawRecords.body(0, TEN).toArray()))
                .hasMessageContaining("lastOffsetDelta 1 inconsistent with record count 3");
    }

    @Test
    void shouldRejectUnknownAndUnsupportedCodecs() {
        ByteBuffer unknown = Batches.ofValues(CompressionType.NONE, 0L, "x");
        unknown.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 5);
        new RecordBatch().wrap(unknown, 0).updateChecksum();
        assertCorrupt(unknown).hasMessage("batch at position 0: unknown compression codec id 5");

        for (int gzipSnappyZstd : new int[] {1, 2, 4}) {
            ByteBuffer unsupported = Batches.ofValues(CompressionType.NONE, 0L, "x");
            unsupported.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) gzipSnappyZstd);
            new RecordBatch().wrap(unsupported, 0).updateChecksum();
            assertCorrupt(unsupported).hasMessageContaining("unsupported compression codec id " + gzipSnappyZstd);
        }
    }

    @Test
    void shouldRejectARecordCountThatCannotFitTheRecordsArea() {
        ByteBuffer batch = Batches.forge(CompressionType.NONE, 1_000_000, 999_999,
                new RawRecords().record(RawRecords.body(0, TEN)).toArray());
        assertCorrupt(batch).hasMessage("batch at position 0 (base offset 100, none): record count 1000000 cannot fit "
                + "in 17 bytes of records (a record takes at least 7)");
    }

    // ---- records -----------------------------------------------------------------------------------------------

    @Test
    void shouldRejectAHugeRecordLength() {
        byte[] payload = new RawRecords().varint(Integer.MAX_VALUE).bytes(new byte[10]).toArray();
        assertCorrupt(Batches.forge(CompressionType.NONE, 1, 0, payload))
                .hasMessage("batch at position 0 (base offset 100, none): record 0 at records byte 0: "
                        + "record length 2147483647 is not within [6, 10], the bytes left in the batch");
    }

    @Test
    void shouldRejectANegativeRecordLength() {
        byte[] payload = new RawRecords().varint(-3).bytes(new byte[10]).toArray();
        assertCorrupt(Batches.forge(CompressionType.NONE, 1, 0, payload)).hasMessageContaining("record length -3");
    }

    @Test
    void shouldRejectAHugeKeyLength() {
        assertCorrupt(oneRecord(bodyStart(0).varint(Integer.MAX_VALUE).varint(-1).varint(0)))
                .hasMessageContaining("record 0 at records byte 0: key length 2147483647")
                .hasMessageContaining("is not within [-1, 2], the bytes left in the record");
    }

    @Test
    void shouldRejectANegativeKeyLengthOtherThanMinusOne() {
        assertCorrupt(oneRecord(bodyStart(0).varint(-2).varint(-1).varint(0)))
                .hasMessageContaining("key length -2");
    }

    @Test
    void shouldRejectAHugeValueLength() {
        assertCorrupt(oneRecord(bodyStart(0).varint(-1).varint(1 << 30).varint(0)))
                .hasMessageContaining("value length 1073741824");
    }

    @Test
    void shouldRejectAHugeHeaderCount() {
        assertCorrupt(oneRecord(bodyStart(0).varint(-1).varint(-1).varint(Integer.MAX_VALUE)))
                .hasMessageContaining("header count 2147483647 is impossible with 0 bytes left in the record");
    }

    @Test
    void shouldRejectAHeaderCountThatTheRemainingBytesCannotHold() {
        assertCorrupt(oneRecord(bodyStart(0).varint(-1).varint(-1).varint(3).varint(0).varint(-1).varint(0)
                .varint(-1))).hasMessageContaining("header count 3 is impossible with 4 bytes left");
    }

    @Test
    void shouldRejectANegativeHeaderCount() {
        assertCorrupt(oneRecord(bodyStart(0).varint(-1).varint(-1).varint(-1)))
                .hasMessageContaining("header count -1 is impossible");
    }

    @Test
    void shouldRejectAHeaderWithANullKey() {
        assertCorrupt(oneRecord(bodyStart(0).varint(-1).varint(-1).varint(1).varint(-1).varint(-1)))
                .hasMessageContaining("header 0 has a null key");
    }

    @Test
    void shouldRejectAHugeHeaderKeyOrValueLength() {
        assertCorrupt(oneRecord(bodyStart(0).varint(-1).varint(-1).varint(1).varint(1 << 20).varint(-1)))
                .hasMessageContaining("header 0 key length 1048576");
        assertCorrupt(oneRecord(bodyStart(0).varint(-1).varint(-1).varint(1).varint(0).varint(-7)))
                .hasMessageContaining("header 0 value length -7");
    }

    @Test
    void shouldRejectAnOffsetDeltaPastTheLastOffsetDelta() {
        assertCorrupt(oneRecord(bodyStart(5).varint(-1).varint(-1).varint(0)))
                .hasMessageContaining("offset delta 5 does not rise within (-1, 0]");
    }

    @Test
    void shouldRejectANegativeOffsetDelta() {
        assertCorrupt(oneRecord(bodyStart(-1).varint(-1).varint(-1).varint(0)))
                .hasMessageContaining("offset delta -1 does not rise");
    }

    @Test
    void shouldRejectOffsetDeltasThatDoNotRise() {
        byte[] payload = new RawRecords().record(RawRecords.body(0, TEN)).record(RawRecords.body(0, TEN)).toArray();
        assertCorrupt(Batches.forge(CompressionType.NONE, 2, 1, payload))
                .hasMessageContaining("record 1 at records byte 17: offset delta 0 does not rise within (0, 1]");
    }

    @Test
    void shouldRejectARecordCountAboveTheRecordsPresent() {
        byte[] payload = new RawRecords().record(RawRecords.body(0, TEN)).record(RawRecords.body(1, TEN)).toArray();
        assertCorrupt(Batches.forge(CompressionType.NONE, 3, 2, payload))
                .hasMessageContaining("record 2 at records byte 34: record count says 3 but the records end after 2");
    }

    @Test
    void shouldRejectBytesAfterTheLastCountedRecord() {
        byte[] payload = new RawRecords().record(RawRecords.body(0, TEN)).record(RawRecords.body(1, TEN)).toArray();
        assertCorrupt(Batches.forge(CompressionType.NONE, 1, 0, payload))
                .hasMessageContaining("17 bytes follow the last of 1 records");
        assertCorrupt(Batches.forge(CompressionType.NONE, 0, 0, payload))
                .hasMessageContaining("record count is 0 but 34 bytes of records follow the header");
    }

    @Test
    void shouldRejectARecordLengthLongerThanItsFields() {
        assertCorrupt(oneRecord(RawRecords.body(0, TEN).bytes(0)))
                .hasMessageContaining("record length says 17 bytes but its fields take 16");
    }

    @Test
    void shouldRejectARecordLengthShorterThanItsFields() {
        RawRecords body = RawRecords.body(0, TEN);
        byte[] payload = new RawRecords().varint(body.toBuffer().remaining() - 1).bytes(body.toArray()).toArray();
        assertCorrupt(Batches.forge(CompressionType.NONE, 1, 0, payload))
                .hasMessageContaining("record 0 at records byte 0: varint at position 77 runs past the limit 77");
    }

    @Test
    void shouldRejectAnOverlongVarintInsideARecord() {
        byte[] payload = new RawRecords().bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0x01).bytes(new byte[10]).toArray();
        assertCorrupt(Batches.forge(CompressionType.NONE, 1, 0, payload))
                .hasMessageContaining("varint at position 61 is longer than 5 bytes");
    }

    @Test
    void shouldNameThePositionOfABatchInsideALargerBuffer() {
        ByteBuffer bad = oneRecord(bodyStart(0).varint(-2).varint(-1).varint(0));
        ByteBuffer larger = ByteBuffer.allocate(bad.remaining() + 100);
        larger.position(100);
        larger.put(bad).flip();
        assertThatThrownBy(() -> new RecordBatch().wrap(larger, 100).records().next())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageStartingWith("batch at position 100 (base offset 100, none): record 0 at records byte 0:");
    }

    // ---- LZ4 -------------------------------------------------------------------------------------------------

    @Test
    void shouldRejectAnLz4PayloadThatIsNoFrame() {
        ByteBuffer batch = Batches.forge(CompressionType.LZ4, 1, 0, RawRecords.body(0, TEN).toArray());
        assertCorrupt(batch).hasMessageStartingWith("batch at position 0 (base offset 100, lz4): LZ4 frame byte 0: magic");
    }

    @Test
    void shouldRejectAnLz4BatchWhoseRecordsAreBad() {
        byte[] records = new RawRecords().record(bodyStart(0).varint(-2).varint(-1).varint(0)).toArray();
        assertCorrupt(Batches.forge(CompressionType.LZ4, 1, 0, Lz4Frames.frameOf(records)))
                .hasMessageContaining("batch at position 0 (base offset 100, lz4): record 0 at records byte 0: key length -2");
    }

    @Test
    void shouldStopADecompressionBombAtTheDefaultLimitWithoutRunningOutOfMemory() {
        int blocks = RecordIterator.DEFAULT_MAX_DECOMPRESSED_BYTES / Lz4Frame.BLOCK_SIZE + 50;
        byte[] bomb = Lz4Frames.zeroBlocks(blocks);
        assertThat(bomb.length).as("a small payload").isLessThan(blocks * 300);
        assertCorrupt(Batches.forge(CompressionType.LZ4, 1, 0, bomb))
                .hasMessageContaining("inflates past the limit of 67108864 decompressed bytes");
    }

    @Test
    void shouldStopADecompressionBombAtAConfiguredLimit() {
        assertCorrupt(Batches.forge(CompressionType.LZ4, 1, 0, Lz4Frames.zeroBlocks(40)), 1 << 20)
                .hasMessageContaining("limit of 1048576 decompressed bytes (1048576 already produced)");
    }

    @Test
    void shouldRejectAStoredBlockLargerThanTheLimit() {
        byte[] frame = Lz4Frames.frameOf(new byte[5000]);
        byte[] stored = Lz4Frames.storedFrame(new byte[5000]);
        assertThat(frame.length).isLessThan(stored.length);
        assertCorrupt(Batches.forge(CompressionType.LZ4, 1, 0, stored), 4096)
                .hasMessageContaining("frame inflates to at least 5000 bytes, over the limit of 4096");
    }

    @Test
    void shouldRejectAFrameThatAnnouncesAContentSizeOverTheLimitBeforeInflatingIt() {
        assertCorrupt(Batches.forge(CompressionType.LZ4, 1, 0, Lz4Frames.withContentSize(1L << 40)))
                .hasMessageContaining("LZ4 frame byte 6: content size 1099511627776 is over the limit");
    }

    @Test
    void shouldRejectATruncatedFrame() {
        byte[] records = new RawRecords().record(RawRecords.body(0, TEN)).toArray();
        byte[] frame = Lz4Frames.frameOf(records);
        for (int cut = 0; cut < frame.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(frame, cut);
            assertCorrupt(Batches.forge(CompressionType.LZ4, 1, 0, truncated)).hasMessageContaining("LZ4 frame byte");
        }
    }

    @Test
    void shouldRejectBytesAfterTheEndOfTheFrame() {
        byte[] frame = Lz4Frames.frameOf(new RawRecords().record(RawRecords.body(0, TEN)).toArray());
        byte[] padded = java.util.Arrays.copyOf(frame, frame.length + 3);
        assertCorrupt(Batches.forge(CompressionType.LZ4, 1, 0, padded))
                .hasMessageContaining("3 bytes follow the end of the frame");
    }

    @Test
    void shouldKeepEveryFailureACorruptRecordExceptionWhenAnyFrameByteIsWrong() {
        byte[] frame = Lz4Frames.frameOf(Batches.textLike(new java.util.Random(5), 1000));
        for (int i = 0; i < frame.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = frame.clone();
                flipped[i] ^= (byte) (1 << bit);
                ByteBuffer batch = Batches.forge(CompressionType.LZ4, 1, 0, flipped);
                try {
                    Batches.iterateAll(batch, 1 << 20);
                } catch (CorruptRecordException expected) {
                    // The structural checks caught it; anything else would escape and fail the test.
                }
            }
        }
    }

    @Test
    void shouldRejectARecordCountRaisedAfterBuildingInEitherCodec() {
        List<ByteBuffer> batches = List.of(Batches.ofValues(CompressionType.NONE, 0L, "a", "b"),
                Batches.ofValues(CompressionType.LZ4, 0L, "a", "b"));
        for (ByteBuffer good : batches) {
            ByteBuffer batch = Batches.copy(good);
            batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, 3);
            batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 2);
            new RecordBatch().wrap(batch, 0).updateChecksum();
            assertCorrupt(batch).hasMessageContaining("record count");
        }
    }
}
