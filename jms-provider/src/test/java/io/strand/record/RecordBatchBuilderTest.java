package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordBatchBuilderTest {
    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAssignConsecutiveOffsetsFromTheBaseOffset() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 40L);
        assertThat(builder.append(1L, null, utf8("a"), null)).isEqualTo(40L);
        assertThat(builder.append(2L, null, utf8("b"), null)).isEqualTo(41L);
        assertThat(builder.append(3L, null, utf8("c"), null)).isEqualTo(42L);

        RecordBatch batch = new RecordBatch().wrap(builder.build(), 0);
        assertThat(batch.baseOffset()).isEqualTo(40L);
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.lastOffset()).isEqualTo(42L);
        assertThat(batch.nextOffset()).isEqualTo(43L);
        assertThat(batch.recordCount()).isEqualTo(3);
    }

    @Test
    void shouldTakeTheFirstTimestampAsBaseAndTheLargestAsMax() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        builder.append(5_000L, null, null, null);
        builder.append(9_000L, null, null, null);
        builder.append(1_000L, null, null, null);
        assertThat(builder.maxTimestamp()).isEqualTo(9_000L);

        ByteBuffer built = builder.build();
        RecordBatch batch = new RecordBatch().wrap(built, 0);
        assertThat(batch.baseTimestamp()).isEqualTo(5_000L);
        assertThat(batch.maxTimestamp()).isEqualTo(9_000L);
        assertThat(Batches.readAll(Batches.copy(built))).extracting(r -> r.timestamp)
                .containsExactly(5_000L, 9_000L, 1_000L);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldWriteProducerFieldsCodecAndTransactionalFlag(CompressionType compression) {
        RecordBatchBuilder builder = new RecordBatchBuilder()
                .reset(compression, 7L, 1234L, (short) 3, 99, true);
        builder.append(1L, utf8("k"), utf8("v"), null);
        RecordBatch batch = new RecordBatch().wrap(builder.build(), 0);

        assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC);
        assertThat(batch.compressionType()).isEqualTo(compression);
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControlBatch()).isFalse();
        assertThat(batch.isLogAppendTime()).isFalse();
        assertThat(batch.producerId()).isEqualTo(1234L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(99);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }

    @Test
    void shouldLeaveProducerFieldsEmptyForAPlainProducer() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        builder.append(1L, null, utf8("v"), null);
        RecordBatch batch = new RecordBatch().wrap(builder.build(), 0);
        assertThat(batch.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(batch.producerEpoch()).isEqualTo(RecordBatch.NO_PRODUCER_EPOCH);
        assertThat(batch.baseSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(batch.isTransactional()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldNotMoveTheCallersBuffers(CompressionType compression) {
        ByteBuffer key = utf8("__key__");
        key.position(2).limit(5);
        ByteBuffer value = utf8("..value..");
        value.position(2).limit(7);
        ByteBuffer headerValue = utf8("hv");
        Header header = new Header("h", headerValue);

        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, 0L);
        builder.append(1L, key, value, new Header[] {header});

        assertThat(key.position()).isEqualTo(2);
        assertThat(key.limit()).isEqualTo(5);
        assertThat(value.position()).isEqualTo(2);
        assertThat(value.limit()).isEqualTo(7);
        assertThat(headerValue.position()).isZero();
        TestRecord read = Batches.readAll(Batches.copy(builder.build())).get(0);
        assertThat(new String(read.key, StandardCharsets.UTF_8)).isEqualTo("key");
        assertThat(new String(read.value, StandardCharsets.UTF_8)).isEqualTo("value");
        assertThat(read.headers).containsExactly(Header.of("h", "hv".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldRefuseToBuildAnEmptyBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one record");
        assertThatThrownBy(new RecordBatchBuilder()::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reset()");
    }

    @Test
    void shouldRefuseToAppendBeforeResetAndAfterBuild() {
        RecordBatchBuilder builder = new RecordBatchBuilder();
        assertThatThrownBy(() -> builder.append(1L, null, null, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("UNSET");
        builder.reset(CompressionType.NONE, 0L).append(1L, null, null, null);
        builder.build();
        assertThatThrownBy(() -> builder.append(1L, null, null, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BUILT");
    }

    @Test
    void shouldReturnTheSameBatchWhenBuildIsCalledTwice() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.LZ4, 0L);
        builder.append(1L, null, utf8("v"), null);
        ByteBuffer first = Batches.copy(builder.build());
        assertThat(builder.build()).isEqualTo(first);
    }

    @Test
    void shouldReuseItsBufferFromBatchToBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder(1024);
        builder.reset(CompressionType.NONE, 0L).append(1L, null, utf8("first"), null);
        ByteBuffer first = builder.build();
        builder.reset(CompressionType.NONE, 10L).append(2L, null, utf8("second"), null);
        ByteBuffer second = builder.build();

        assertThat(second.array()).isSameAs(first.array());
        assertThat(Batches.readAll(Batches.copy(second))).extracting(r -> new String(r.value, StandardCharsets.UTF_8))
                .containsExactly("second");
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldGrowPastItsInitialCapacity(CompressionType compression) {
        byte[] big = Batches.textLike(new Random(1), 300_000);
        RecordBatchBuilder builder = new RecordBatchBuilder(RecordBatch.HEADER_SIZE).reset(compression, 0L);
        for (int i = 0; i < 5; i++) {
            builder.append(i, null, ByteBuffer.wrap(big), null);
        }
        List<TestRecord> read = Batches.readAll(Batches.copy(builder.build()));
        assertThat(read).hasSize(5).allSatisfy(r -> assertThat(r.value).isEqualTo(big));
    }

    @Test
    void shouldEstimateTheExactSizeWithoutCompression() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        assertThat(builder.estimatedSizeInBytes()).isEqualTo(RecordBatch.HEADER_SIZE);
        for (int i = 0; i < 10; i++) {
            builder.append(i, utf8("key" + i), utf8("value" + i), new Header[] {Header.of("h", new byte[i])});
            assertThat(builder.estimatedSizeInBytes())
                    .isEqualTo(RecordBatch.HEADER_SIZE + builder.uncompressedRecordsSize());
        }
        assertThat(builder.build().remaining()).isEqualTo(builder.estimatedSizeInBytes());
    }

    @Test
    void shouldNeverEstimateBelowTheCompressedSize() {
        Random random = new Random(7);
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.LZ4, 0L);
        for (int i = 0; i < 200; i++) {
            byte[] value = new byte[random.nextInt(2000)];
            random.nextBytes(value); // incompressible: the worst case for the estimate
            builder.append(i, null, ByteBuffer.wrap(value), null);
        }
        int estimate = builder.estimatedSizeInBytes();
        assertThat(builder.build().remaining()).isLessThanOrEqualTo(estimate);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void shouldStopAtTheSizeCapWhenTheCallerAsksForRoom(CompressionType compression) {
        int maxBatchSize = 16 * 1024;
        Random random = new Random(3);
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, 0L);
        int appended = 0;
        while (true) {
            ByteBuffer value = ByteBuffer.wrap(Batches.textLike(random, 1024));
            if (!builder.hasRoomFor(appended, null, value, null, maxBatchSize)) {
                break;
            }
            builder.append(appended++, null, value, null);
        }
        assertThat(appended).isBetween(14, 16);
        assertThat(builder.build().remaining()).isLessThanOrEqualTo(maxBatchSize);
    }

    @Test
    void shouldAlwaysHaveRoomForTheFirstRecordEvenIfItIsTooLarge() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        assertThat(builder.hasRoomFor(1L, null, ByteBuffer.allocate(10_000), null, 100)).isTrue();
        builder.append(1L, null, ByteBuffer.allocate(10), null);
        assertThat(builder.hasRoomFor(1L, null, ByteBuffer.allocate(10_000), null, 100)).isFalse();
    }

    @Test
    void shouldCompressTextLikeValuesWithLz4() {
        Random random = new Random(11);
        RecordBatchBuilder none = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        RecordBatchBuilder lz4 = new RecordBatchBuilder().reset(CompressionType.LZ4, 0L);
        for (int i = 0; i < 64; i++) {
            ByteBuffer value = ByteBuffer.wrap(Batches.textLike(random, 1024));
            none.append(i, null, value, null);
            lz4.append(i, null, value, null);
        }
        assertThat(lz4.build().remaining()).isLessThan(none.build().remaining() * 3 / 4);
    }

    @Test
    void shouldWriteHeaderKeysAsUtf8IncludingSupplementaryCharacters() {
        String key = "clé-日本-\uD83D\uDE00";
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        builder.append(1L, null, null, new Header[] {new Header(key, null)});
        ByteBuffer built = Batches.copy(builder.build());
        assertThat(Batches.readAll(built).get(0).headers).containsExactly(new Header(key, null));
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        assertThat(indexOf(built.array(), utf8)).as("the key bytes are the JDK's UTF-8").isPositive();
    }

    @Test
    void shouldRefuseAHeaderKeyThatHasNoUtf8Form() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0L);
        assertThatThrownBy(() -> builder.append(1L, null, null, new Header[] {new Header("a\uD800b", null)}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate at index 1");
        assertThatThrownBy(() -> builder.append(1L, null, null, new Header[] {null}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headers[0]");
        assertThat(builder.recordCount()).as("a refused record leaves no trace").isZero();
        assertThat(builder.uncompressedRecordsSize()).isZero();
    }

    @Test
    void shouldRejectBadConfiguration() {
        assertThatThrownBy(() -> new RecordBatchBuilder(10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialCapacity=10");
        assertThatThrownBy(() -> new RecordBatchBuilder().reset(null, 0L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStartOverOnResetAfterAPartialBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.LZ4, 0L);
        builder.append(1L, null, utf8("dropped"), null);
        builder.reset(CompressionType.NONE, 50L);
        assertThat(builder.isEmpty()).isTrue();
        assertThat(builder.compression()).isEqualTo(CompressionType.NONE);
        builder.append(2L, null, utf8("kept"), null);
        List<TestRecord> read = Batches.readAll(Batches.copy(builder.build()));
        assertThat(read).extracting(r -> r.offset).containsExactly(50L);
        assertThat(read).extracting(r -> new String(r.value, StandardCharsets.UTF_8)).containsExactly("kept");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aBatchThatCompressionWouldNotShrinkIsStoredUncompressedWhenAskedTo() {
        byte[] random = new byte[8 * 1024];
        new Random(7).nextBytes(random);
        RecordBatchBuilder builder = new RecordBatchBuilder().compressOnlyWhenWorthIt(true).reset(CompressionType.LZ4, 0L);
        builder.append(1L, null, ByteBuffer.wrap(random), null);
        ByteBuffer built = builder.build();

        assertThat(builder.compression()).isEqualTo(CompressionType.NONE);
        RecordBatch batch = new RecordBatch().wrap(built, 0);
        assertThat(batch.compressionType()).isEqualTo(CompressionType.NONE);
        batch.ensureValid(built.remaining(), Integer.MAX_VALUE);
        assertThat(Batches.readAll(Batches.copy(built)).get(0).value).isEqualTo(random);

        byte[] text = "the same words again and again ".repeat(300).getBytes(StandardCharsets.UTF_8);
        builder.reset(CompressionType.LZ4, 0L).append(1L, null, ByteBuffer.wrap(text), null);
        built = builder.build();
        assertThat(new RecordBatch().wrap(built, 0).compressionType()).isEqualTo(CompressionType.LZ4);
        assertThat(built.remaining()).isLessThan(text.length / 4);
        assertThat(Batches.readAll(Batches.copy(built)).get(0).value).isEqualTo(text);
    }

    @Test
    void withoutBeingAskedTheBuilderKeepsTheCodecEvenForBytesThatDoNotCompress() {
        byte[] random = new byte[8 * 1024];
        new Random(7).nextBytes(random);
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.LZ4, 0L);
        builder.append(1L, null, ByteBuffer.wrap(random), null);

        assertThat(new RecordBatch().wrap(builder.build(), 0).compressionType()).isEqualTo(CompressionType.LZ4);
    }
}
