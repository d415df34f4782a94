package io.strand.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helpers: build batches from plain records, read them back, and forge batches around raw record bytes. */
final class Batches {
    private Batches() {
    }

    /** A batch of {@code records} (offsets ignored), copied out of the builder so it survives the builder's reuse. */
    static ByteBuffer build(CompressionType compression, long baseOffset, List<TestRecord> records) {
        RecordBatchBuilder builder = new RecordBatchBuilder(RecordBatch.HEADER_SIZE).reset(compression, baseOffset);
        for (TestRecord r : records) {
            builder.append(r.timestamp, r.keyBuffer(), r.valueBuffer(), r.headerArray());
        }
        return copy(builder.build());
    }

    /** A batch of string values with timestamps 1000, 1001, ... */
    static ByteBuffer ofValues(CompressionType compression, long baseOffset, String... values) {
        List<TestRecord> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(TestRecord.of(1000 + i, null, values[i].getBytes(StandardCharsets.UTF_8)));
        }
        return build(compression, baseOffset, records);
    }

    /** Every record of the batch at the start of {@code batch}, after checking its CRC. */
    static List<TestRecord> readAll(ByteBuffer batch) {
        RecordBatch wrapped = new RecordBatch().wrap(batch, batch.position());
        wrapped.ensureValid(batch.limit(), Integer.MAX_VALUE);
        List<TestRecord> out = new ArrayList<>();
        RecordIterator records = wrapped.records();
        while (records.hasNext()) {
            out.add(TestRecord.copyOf(records.next()));
        }
        return out;
    }

    /** Reads every record, touching every field and header; used where only the exception matters. */
    static void iterateAll(ByteBuffer batch, int maxDecompressedBytes) {
        RecordIterator records = new RecordIterator(maxDecompressedBytes).reset(new RecordBatch().wrap(batch, 0));
        while (records.hasNext()) {
            Record r = records.next();
            r.headers();
            r.key();
            r.value();
        }
    }

    /** A heap copy of the buffer's remaining bytes, big-endian, positioned at 0. */
    static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }

    /**
     * A batch with a valid header and CRC around arbitrary record bytes: the forgery behind the corrupt-input
     * tests, so each test breaks exactly one thing and everything the checks look at before it is right.
     */
    static ByteBuffer forge(CompressionType compression, int recordCount, int lastOffsetDelta, byte[] payload) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + payload.length);
        batch.putLong(100L).putInt(batch.capacity() - RecordBatch.LOG_OVERHEAD).putInt(-1).put(RecordBatch.MAGIC)
                .putInt(0).putShort((short) compression.id).putInt(lastOffsetDelta).putLong(5000L).putLong(5000L)
                .putLong(-1L).putShort((short) -1).putInt(-1).putInt(recordCount).put(payload);
        batch.flip();
        new RecordBatch().wrap(batch, 0).updateChecksum();
        return batch;
    }

    /** Raw record bytes written field by field with varints, so tests can put any value in any field. */
    static final class RawRecords {
        private final ByteBuffer out = ByteBuffer.allocate(1 << 20);

        RawRecords varint(int value) {
            Varints.writeVarint(out, value);
            return this;
        }

        RawRecords varlong(long value) {
            Varints.writeVarlong(out, value);
            return this;
        }

        RawRecords bytes(int... values) {
            for (int v : values) {
                out.put((byte) v);
            }
            return this;
        }

        RawRecords bytes(byte[] values) {
            out.put(values);
            return this;
        }

        /**
         * A well-formed record; {@code body} gets the length prefix. The body is attributes, timestamp delta,
         * offset delta, key, value and headers as given.
         */
        RawRecords record(RawRecords body) {
            ByteBuffer b = body.toBuffer();
            varint(b.remaining());
            out.put(b);
            return this;
        }

        /** A simple record body: no key, the value, no headers. */
        static RawRecords body(int offsetDelta, byte[] value) {
            return new RawRecords().bytes(0).varlong(0).varint(offsetDelta).varint(-1).varint(value.length)
                    .bytes(value).varint(0);
        }

        ByteBuffer toBuffer() {
            return out.duplicate().flip();
        }

        byte[] toArray() {
            return TestRecord.bytes(toBuffer());
        }
    }

    /**
     * Text-like bytes that compress about as well as real JSON or XML payloads: words drawn from a small
     * vocabulary with random numbers and separators.
     */
    static byte[] textLike(Random random, int length) {
        String[] words = {"order", "customer", "id", "amount", "status", "shipped", "pending", "name", "street",
            "\"value\"", "true", "false", "null", "<item>", "</item>", "currency", "EUR", "timestamp"};
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]);
            text.append(random.nextInt(4) == 0 ? Integer.toString(random.nextInt(100000)) : "");
            text.append(random.nextBoolean() ? ' ' : random.nextBoolean() ? ':' : ',');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(bytes, length);
    }
}
