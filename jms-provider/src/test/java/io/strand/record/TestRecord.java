package io.strand.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A record as plain values, copied out of a batch, so tests can compare what was written with what was read. */
final class TestRecord {
    final long offset;
    final long timestamp;
    final byte[] key;
    final byte[] value;
    final List<Header> headers;

    TestRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
        this.headers = List.copyOf(headers);
    }

    /** A record to append; the offset is filled in by {@link #withOffset}. */
    static TestRecord of(long timestamp, byte[] key, byte[] value, Header... headers) {
        return new TestRecord(-1, timestamp, key, value, Arrays.asList(headers));
    }

    TestRecord withOffset(long newOffset) {
        return new TestRecord(newOffset, timestamp, key, value, headers);
    }

    /** Copies the flyweight's current record. */
    static TestRecord copyOf(Record record) {
        List<Header> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(Header.of(header.key(), header.valueBytes()));
        }
        return new TestRecord(record.offset(), record.timestamp(), bytes(record.key()), bytes(record.value()), headers);
    }

    ByteBuffer keyBuffer() {
        return key == null ? null : ByteBuffer.wrap(key);
    }

    ByteBuffer valueBuffer() {
        return value == null ? null : ByteBuffer.wrap(value);
    }

    Header[] headerArray() {
        return headers.toArray(new Header[0]);
    }

    static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TestRecord)) {
            return false;
        }
        TestRecord that = (TestRecord) o;
        return offset == that.offset && timestamp == that.timestamp && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value) && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value), headers);
    }

    @Override
    public String toString() {
        return "TestRecord(offset=" + offset + ", ts=" + timestamp + ", key=" + describe(key) + ", value="
                + describe(value) + ", headers=" + headers + ")";
    }

    private static String describe(byte[] bytes) {
        return bytes == null ? "null" : bytes.length + "B";
    }
}
