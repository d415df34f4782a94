package io.strand.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the batch format over random records: what is written is read back, and any damage to the bytes
 * is caught as a {@link CorruptRecordException} and nothing else.
 */
class RecordBatchPropertyTest {
    private static final int MAX_DECOMPRESSED = 8 << 20;

    // ---- generators ------------------------------------------------------------------------------------------

    /** Null, empty, small, or large (past an LZ4 block), random or text-like. */
    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 64);
        Arbitrary<Integer> large = Arbitraries.integers().between(1_000, 70_000);
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)), Tuple.of(6, small), Tuple.of(1, large));
        return Combinators.combine(length, Arbitraries.longs(), Arbitraries.of(true, false))
                .as((n, seed, text) -> {
                    Random random = new Random(seed);
                    if (text) {
                        return Batches.textLike(random, n);
                    }
                    byte[] bytes = new byte[n];
                    random.nextBytes(bytes);
                    return bytes;
                }).injectNull(0.2);
    }

    /** Keys in UTF-8 of one to four bytes per character, never an unpaired surrogate. */
    @Provide
    Arbitrary<String> headerKeys() {
        Arbitrary<String> bmp = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(12);
        return Combinators.combine(bmp, Arbitraries.of("", "\uD83D\uDE00", "\uD834\uDD1E")).as(String::concat);
    }

    @Provide
    Arbitrary<Header> headers() {
        return Combinators.combine(headerKeys(), payloads()).as(Header::of);
    }

    @Provide
    Arbitrary<Long> timestamps() {
        Arbitrary<Long> now = Arbitraries.longs().between(1_700_000_000_000L, 1_800_000_000_000L);
        return Arbitraries.frequencyOf(Tuple.of(4, now), Tuple.of(1, Arbitraries.longs()));
    }

    @Provide
    Arbitrary<TestRecord> records() {
        return Combinators.combine(timestamps(), payloads(), payloads(), headers().list().ofMaxSize(4))
                .as((ts, key, value, headers) -> TestRecord.of(ts, key, value, headers.toArray(new Header[0])));
    }

    @Provide
    Arbitrary<List<TestRecord>> batches() {
        return records().list().ofMinSize(1).ofMaxSize(30);
    }

    /** Smaller batches for the properties that damage every byte position. */
    @Provide
    Arbitrary<List<TestRecord>> smallBatches() {
        Arbitrary<byte[]> smallPayload = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.2);
        Arbitrary<Header> header = Combinators.combine(headerKeys(), smallPayload).as(Header::of);
        return Combinators.combine(timestamps(), smallPayload, smallPayload, header.list().ofMaxSize(3))
                .as((ts, key, value, headers) -> TestRecord.of(ts, key, value, headers.toArray(new Header[0])))
                .list().ofMinSize(1).ofMaxSize(8);
    }

    // ---- properties ------------------------------------------------------------------------------------------

    @Property(tries = 250)
    void shouldReadBackEveryRecordAsWritten(@ForAll CompressionType compression,
                                            @ForAll("batches") List<TestRecord> records,
                                            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long baseOffset) {
        ByteBuffer batch = Batches.build(compression, baseOffset, records);

        List<TestRecord> expected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            expected.add(records.get(i).withOffset(baseOffset + i));
        }
        assertThat(Batches.readAll(batch)).containsExactlyElementsOf(expected);
        RecordBatch header = new RecordBatch().wrap(batch, 0);
        assertThat(header.compressionType()).isEqualTo(compression);
        assertThat(header.recordCount()).isEqualTo(records.size());
        assertThat(header.lastOffset()).isEqualTo(baseOffset + records.size() - 1);
        assertThat(header.baseTimestamp()).isEqualTo(records.get(0).timestamp);
        assertThat(header.maxTimestamp()).isEqualTo(records.stream().mapToLong(r -> r.timestamp).max().orElseThrow());
    }

    @Property(tries = 500)
    void shouldDetectAnySingleBitFlipFromTheCrcFieldOn(@ForAll CompressionType compression,
                                                       @ForAll("smallBatches") List<TestRecord> records,
                                                       @ForAll @IntRange(min = 0) int where,
                                                       @ForAll @IntRange(min = 0, max = 7) int bit) {
        ByteBuffer batch = Batches.build(compression, 0L, records);
        int index = RecordBatch.CRC_OFFSET + where % (batch.limit() - RecordBatch.CRC_OFFSET);
        batch.put(index, (byte) (batch.get(index) ^ (1 << bit)));

        assertThatThrownBy(() -> {
            new RecordBatch().wrap(batch, 0).ensureValid(batch.limit(), Integer.MAX_VALUE);
            Batches.iterateAll(batch, MAX_DECOMPRESSED);
        }).as("bit %d of byte %d", bit, index).isInstanceOf(CorruptRecordException.class);
    }

    /**
     * The CRC hides damage from the structural checks, so this property repairs it: whatever a flipped bit does
     * to lengths, counts or the LZ4 frame, reading either succeeds or throws {@link CorruptRecordException}.
     */
    @Property(tries = 1000)
    void shouldFailOnlyWithCorruptRecordWhenDamageCarriesAValidCrc(@ForAll CompressionType compression,
                                                                 @ForAll("smallBatches") List<TestRecord> records,
                                                                 @ForAll @IntRange(min = 0) int where,
                                                                 @ForAll @IntRange(min = 0, max = 7) int bit) {
        ByteBuffer batch = Batches.build(compression, 0L, records);
        int index = RecordBatch.ATTRIBUTES_OFFSET + where % (batch.limit() - RecordBatch.ATTRIBUTES_OFFSET);
        batch.put(index, (byte) (batch.get(index) ^ (1 << bit)));
        new RecordBatch().wrap(batch, 0).updateChecksum();

        Throwable thrown = catchThrowable(() -> Batches.iterateAll(batch, MAX_DECOMPRESSED));
        if (thrown != null) {
            assertThat(thrown).as("bit %d of byte %d", bit, index).isInstanceOf(CorruptRecordException.class);
        }
    }

    @Property(tries = 500)
    void shouldRejectABatchTruncatedAtAnyLength(@ForAll CompressionType compression,
                                                @ForAll("smallBatches") List<TestRecord> records,
                                                @ForAll @IntRange(min = 0) int where) {
        ByteBuffer batch = Batches.build(compression, 0L, records);
        int cut = where % batch.limit();
        ByteBuffer truncated = batch.duplicate().limit(cut);

        assertThatThrownBy(() -> new RecordBatch().wrap(truncated, 0).ensureValid(cut, Integer.MAX_VALUE))
                .isInstanceOf(CorruptRecordException.class);
        if (cut > 0) { // no bytes at all are no batches, which is not corruption
            assertThatThrownBy(() -> BatchCursor.validateAll(truncated, Integer.MAX_VALUE))
                    .isInstanceOf(CorruptRecordException.class);
        } else {
            assertThat(BatchCursor.validateAll(truncated, Integer.MAX_VALUE)).isZero();
        }
        assertThatThrownBy(() -> new RecordBatch().wrap(truncated, 0).records())
                .isInstanceOf(CorruptRecordException.class);
    }

    /** A batch cut short whose length and CRC were rewritten to match: only the record checks can tell. */
    @Property(tries = 500)
    void shouldRejectRecordsCutShortUnderARewrittenLengthAndCrc(@ForAll CompressionType compression,
                                                                @ForAll("smallBatches") List<TestRecord> records,
                                                                @ForAll @IntRange(min = 0) int where) {
        ByteBuffer batch = Batches.build(compression, 0L, records);
        int cut = RecordBatch.HEADER_SIZE + where % (batch.limit() - RecordBatch.HEADER_SIZE);
        ByteBuffer truncated = Batches.copy(batch.duplicate().limit(cut));
        truncated.putInt(RecordBatch.LENGTH_OFFSET, cut - RecordBatch.LOG_OVERHEAD);
        RecordBatch wrapped = new RecordBatch().wrap(truncated, 0);
        wrapped.updateChecksum();

        wrapped.ensureValid(cut, Integer.MAX_VALUE);
        assertThatThrownBy(() -> Batches.iterateAll(truncated, MAX_DECOMPRESSED)).as("cut at %d", cut)
                .isInstanceOf(CorruptRecordException.class);
    }

    @Property(tries = 1000)
    void shouldFailOnlyWithCorruptRecordOnRandomRecordBytes(@ForAll CompressionType compression,
                                                          @ForAll @IntRange(min = 0, max = 40) int recordCount,
                                                          @ForAll @Size(max = 300) byte[] payload) {
        ByteBuffer batch = Batches.forge(compression, recordCount, Math.max(0, recordCount - 1), payload);
        Throwable thrown = catchThrowable(() -> Batches.iterateAll(batch, MAX_DECOMPRESSED));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(CorruptRecordException.class);
        }
    }

    @Property(tries = 100)
    void shouldWalkBackToBackBatchesAndTheirRecordsInOrder(@ForAll("smallBatches") List<TestRecord> first,
                                                           @ForAll("smallBatches") List<TestRecord> second,
                                                           @ForAll CompressionType firstCompression,
                                                           @ForAll CompressionType secondCompression) {
        ByteBuffer a = Batches.build(firstCompression, 0L, first);
        ByteBuffer b = Batches.build(secondCompression, first.size(), second);
        ByteBuffer both = ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();

        BatchCursor cursor = new BatchCursor(Integer.MAX_VALUE).reset(both);
        RecordIterator iterator = new RecordIterator();
        List<TestRecord> read = new ArrayList<>();
        while (cursor.hasNext()) {
            iterator.reset(cursor.next());
            while (iterator.hasNext()) {
                read.add(TestRecord.copyOf(iterator.next()));
            }
        }
        List<TestRecord> expected = new ArrayList<>(first);
        expected.addAll(second);
        for (int i = 0; i < expected.size(); i++) {
            expected.set(i, expected.get(i).withOffset(i));
        }
        assertThat(read).containsExactlyElementsOf(expected);
    }
}
