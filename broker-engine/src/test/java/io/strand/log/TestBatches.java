package io.strand.log;

import io.strand.record.RecordBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Record batches of string values for log tests, and the values back out of read bytes. */
final class TestBatches {
    private TestBatches() {
    }

    /** One uncompressed batch holding {@code values}, all stamped with {@code timestamp}. */
    static ByteBuffer of(long timestamp, String... values) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int i = 0; i < values.length; i++) {
            byte[] value = values[i].getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream record = new ByteArrayOutputStream();
            record.write(0);
            writeVarint(record, 0);
            writeVarint(record, i);
            writeVarint(record, -1);
            writeVarint(record, value.length);
            record.writeBytes(value);
            writeVarint(record, 0);
            writeVarint(records, record.size());
            records.writeBytes(record.toByteArray());
        }
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + records.size());
        batch.putLong(0).putInt(batch.capacity() - RecordBatch.LOG_OVERHEAD).putInt(-1).put(RecordBatch.MAGIC)
                .putInt(0).putShort((short) 0).putInt(values.length - 1).putLong(timestamp).putLong(timestamp)
                .putLong(-1).putShort((short) -1).putInt(-1).putInt(values.length).put(records.toByteArray());
        batch.flip();
        new RecordBatch().wrap(batch, 0).updateChecksum();
        return batch;
    }

    /** The values of every record in the batches from position to limit, in order. */
    static List<String> values(ByteBuffer batches) {
        List<String> values = new ArrayList<>();
        RecordBatch batch = new RecordBatch();
        for (int pos = batches.position(); pos < batches.limit(); pos += batch.sizeInBytes()) {
            batch.wrap(batches, pos);
            batch.ensureValid(batches.limit(), Integer.MAX_VALUE);
            ByteBuffer in = batches.duplicate().position(pos + RecordBatch.HEADER_SIZE).limit(pos + batch.sizeInBytes());
            for (int r = 0; r < batch.recordCount(); r++) {
                readVarint(in);
                in.get();
                readVarint(in);
                readVarint(in);
                int keyLength = readVarint(in);
                in.position(in.position() + Math.max(0, keyLength));
                byte[] value = new byte[readVarint(in)];
                in.get(value);
                readVarint(in);
                values.add(new String(value, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(ByteBuffer in) {
        int raw = 0;
        int shift = 0;
        int b;
        do {
            b = in.get();
            raw |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
