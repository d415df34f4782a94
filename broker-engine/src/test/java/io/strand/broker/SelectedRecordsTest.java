package io.strand.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.strand.record.BatchCursor;
import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch re-encoded from the records a scan selected is a valid batch holding exactly those records, unchanged. */
class SelectedRecordsTest {

    /** What a consumer sees of one record. */
    private record Seen(long offset, long timestamp, String key, String value, List<String> headers) {
        static Seen of(Record record) {
            List<String> headers = new ArrayList<>();
            for (Header header : record.headers()) {
                headers.add(header.key() + "=" + (header.value() == null ? "null" : text(header.value())));
            }
            return new Seen(record.offset(), record.timestamp(), record.hasKey() ? text(record.key()) : null,
                    record.hasValue() ? text(record.value()) : null, headers);
        }
    }

    @Test
    void aBatchOfEveryThirdRecordKeepsOffsetsTimestampsKeysValuesAndHeaders() {
        for (CompressionType compression : CompressionType.values()) {
            List<Seen> expected = new ArrayList<>();
            SelectedRecords selected = new SelectedRecords();
            List<Integer> copies = new ArrayList<>();
            RecordIterator iterator = new RecordIterator();
            for (ByteBuffer batch : List.of(batch(compression, 1_000, 0), batch(compression, 1_050, 50))) {
                iterator.reset(new RecordBatch().wrap(batch, 0));
                while (iterator.hasNext()) {
                    Record record = iterator.next();
                    if (record.offset() % 3 == 0) {
                        expected.add(Seen.of(record));
                        copies.add(selected.add(record));
                    }
                }
            }
            int[] order = copies.stream().mapToInt(Integer::intValue).toArray();

            List<Seen> whole = read(batch(selected, order, 0, order.length));
            List<Seen> firstHalf = read(batch(selected, order, 0, order.length / 2));
            List<Seen> secondHalf = read(batch(selected, order, order.length / 2, order.length));

            assertThat(whole).as(compression.configName).containsExactlyElementsOf(expected);
            List<Seen> halves = new ArrayList<>(firstHalf);
            halves.addAll(secondHalf);
            assertThat(halves).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aSingleRecordIsABatchOfItsOwn() {
        SelectedRecords selected = new SelectedRecords();
        RecordIterator iterator = new RecordIterator().reset(new RecordBatch().wrap(batch(CompressionType.NONE, 7, 0), 0));
        Record first = iterator.next();
        Seen expected = Seen.of(first);
        int copy = selected.add(first);

        assertThat(read(batch(selected, new int[] {copy}, 0, 1))).containsExactly(expected);
        assertThat(selected.maxEncodedSize(copy)).isGreaterThanOrEqualTo(first.sizeInBytes());
    }

    /** The batch as a heap buffer; the direct one it was built in is released. */
    private static ByteBuffer batch(SelectedRecords selected, int[] copies, int from, int to) {
        ByteBuf built = selected.batch(PooledByteBufAllocator.DEFAULT, copies, from, to);
        try {
            ByteBuffer copy = ByteBuffer.allocate(built.readableBytes());
            built.getBytes(built.readerIndex(), copy);
            return copy.flip();
        } finally {
            built.release();
        }
    }

    @Test
    void copiesAreForgottenOnClearAndTheStoreIsReused() {
        SelectedRecords selected = new SelectedRecords();
        RecordIterator iterator = new RecordIterator().reset(new RecordBatch().wrap(batch(CompressionType.LZ4, 7, 0), 0));
        for (int i = 0; i < 10; i++) {
            selected.add(iterator.next());
        }
        selected.clear();
        Record next = iterator.next();
        Seen expected = Seen.of(next);

        int copy = selected.add(next);

        assertThat(copy).isZero();
        assertThat(read(batch(selected, new int[] {copy}, 0, 1))).containsExactly(expected);
    }

    /** Reads batches the way the client does: header and CRC checked by the cursor, records by the iterator. */
    private static List<Seen> read(ByteBuffer batches) {
        List<Seen> seen = new ArrayList<>();
        BatchCursor cursor = new BatchCursor(Integer.MAX_VALUE).reset(batches);
        RecordIterator iterator = new RecordIterator();
        while (cursor.hasNext()) {
            RecordBatch batch = cursor.next();
            assertThat(batch.compressionType()).isEqualTo(CompressionType.NONE);
            iterator.reset(batch);
            while (iterator.hasNext()) {
                seen.add(Seen.of(iterator.next()));
            }
        }
        return seen;
    }

    /** 50 records from {@code baseOffset}, with keys on some, null values on some, and varied headers. */
    private static ByteBuffer batch(CompressionType compression, long baseTimestamp, long baseOffset) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(compression, baseOffset);
        for (int i = 0; i < 50; i++) {
            long n = baseOffset + i;
            ByteBuffer key = n % 4 == 0 ? utf8("group-" + n) : null;
            ByteBuffer value = n % 7 == 0 ? null : utf8("value " + n + " ".repeat((int) (n % 300)));
            Header[] headers = new Header[(int) (n % 5)];
            for (int h = 0; h < headers.length; h++) {
                headers[h] = Header.of("h" + h, h == 2 ? null : ("v" + n + "/" + h).getBytes(StandardCharsets.UTF_8));
            }
            // Timestamps go back and forth, so deltas in the new batch are negative too.
            builder.append(baseTimestamp + (n % 2 == 0 ? n * 1_000 : -n), key, value, headers);
        }
        ByteBuffer built = builder.build();
        return ByteBuffer.allocate(built.remaining()).put(built).flip();
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }
}
