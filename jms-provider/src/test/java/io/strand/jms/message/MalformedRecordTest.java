package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a record can be malformed is reported as a MessageFormatException that names the header or
 * body part, never as a runtime exception from a buffer or a parser.
 */
class MalformedRecordTest {
    private static final byte[] TEXT = {TypedValues.BYTE, 1};
    private static final byte[] MAP = {TypedValues.BYTE, 3};
    private static final byte[] OBJECT = {TypedValues.BYTE, 4};
    private static final byte[] STREAM = {TypedValues.BYTE, 5};
    private static final byte[] PLAIN = {TypedValues.BYTE, 0};

    /** One malformed record: its parts and a fragment the error message must contain. */
    record Case(String name, byte[] key, byte[] value, List<HeaderView> headers, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String expected, byte[] value, Object... keyValuePairs) {
        return keyed(name, expected, null, value, keyValuePairs);
    }

    private static Case keyed(String name, String expected, byte[] key, byte[] value, Object... keyValuePairs) {
        final List<HeaderView> headers = new ArrayList<>();
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            headers.add(HeaderView.of((String) keyValuePairs[i], (byte[]) keyValuePairs[i + 1]));
        }
        return new Case(name, key, value, headers, expected);
    }

    private static byte[] b(int... values) {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("no headers at all", "#t", null),
                c("kind twice", "#t", null, "#t", TEXT, "#t", TEXT),
                c("unknown kind code", "#t", null, "#t", b(2, 9)),
                c("negative kind code", "#t", null, "#t", b(2, -1)),
                c("kind as an int", "#t", null, "#t", b(5, 0, 0, 0, 1)),
                c("kind with an empty value", "#t", null, "#t", new byte[0]),
                c("kind without a value", "#t", null, "#t", null),
                c("unknown reserved key", "#zz", null, "#t", PLAIN, "#zz", b(0)),
                c("header repeated", "#id", null, "#t", PLAIN, "#id", b(9, 'a'), "#id", b(9, 'b')),
                c("message id as an int", "#id", null, "#t", PLAIN, "#id", b(5, 0, 0, 0, 1)),
                c("timestamp cut short", "#ts", null, "#t", PLAIN, "#ts", b(6, 1, 2, 3)),
                c("priority with trailing bytes", "#pri", null, "#t", PLAIN, "#pri", b(5, 0, 0, 0, 9, 9)),
                c("priority as a null", "#pri", null, "#t", PLAIN, "#pri", b(0)),
                c("destination with a bad name", "#dst", null, "#t", PLAIN, "#dst", b(11, 'a', '/')),
                c("destination with an empty name", "#dst", null, "#t", PLAIN, "#dst", b(12)),
                c("destination as a string", "#dst", null, "#t", PLAIN, "#dst", b(9, 'q')),
                c("type with malformed UTF-8", "#typ", null, "#t", PLAIN, "#typ", b(9, 0xC3)),
                c("header without a value", "#exp", null, "#t", PLAIN, "#exp", null),
                c("header with a null key", "null key", null, "#t", PLAIN, null, b(0)),
                c("property key not an identifier", "bad name", null, "#t", PLAIN, "bad name", b(5, 0, 0, 0, 1)),
                c("property key a reserved word", "LIKE", null, "#t", PLAIN, "LIKE", b(0)),
                c("property key an unknown JMSX name", "JMSXBogus", null, "#t", PLAIN, "JMSXBogus", b(0)),
                c("property key a header name", "JMSType", null, "#t", PLAIN, "JMSType", b(9, 'x')),
                c("property holding a char", "color", null, "#t", PLAIN, "color", b(4, 0, 65)),
                c("property holding bytes", "color", null, "#t", PLAIN, "color", b(10, 1)),
                c("property holding a destination", "color", null, "#t", PLAIN, "color", b(11, 'q')),
                c("property with an unknown tag", "color", null, "#t", PLAIN, "color", b(99)),
                c("property with an empty value", "color", null, "#t", PLAIN, "color", new byte[0]),
                c("boolean byte neither 0 nor 1", "flag", null, "#t", PLAIN, "flag", b(1, 2)),
                c("double cut short", "d", null, "#t", PLAIN, "d", b(8, 0, 0)),
                c("property repeated", "color", null, "#t", PLAIN, "color", b(0), "color", b(0)),
                c("group id as an int", "JMSXGroupID", null, "#t", PLAIN, "JMSXGroupID", b(5, 0, 0, 0, 1)),
                c("group seq as a string", "JMSXGroupSeq", null, "#t", PLAIN, "JMSXGroupSeq", b(9, '1')),
                keyed("group id in key and header", "JMSXGroupID", b('g'), null, "#t", PLAIN, "JMSXGroupID", b(9, 'g')),
                keyed("key with malformed UTF-8", "record key", b(0xFF), null, "#t", PLAIN),
                c("plain message with a body", "plain Message", b(1), "#t", PLAIN),
                c("text with malformed UTF-8", "TextMessage body", b('a', 0xE2, 0x82), "#t", TEXT),
                c("text with an overlong encoding", "TextMessage body", b(0xC0, 0x80), "#t", TEXT),
                c("map name length past the end", "MapMessage body entry 0", b(5, 'a'), "#t", MAP),
                c("map name empty", "empty name", b(0, 0), "#t", MAP),
                c("map item missing", "MapMessage body item a", b(1, 'a'), "#t", MAP),
                c("map item cut short", "MapMessage body item a", b(1, 'a', 5, 0), "#t", MAP),
                c("map string overruns", "exceeds", b(1, 'a', 9, 10, 'x'), "#t", MAP),
                c("map length varint too long", "31 bits", b(0xFF, 0xFF, 0xFF, 0xFF, 0x7F), "#t", MAP),
                c("map length varint cut short", "cut short", b(0x80), "#t", MAP),
                c("map item a destination", "unknown type tag", b(1, 'a', 11), "#t", MAP),
                c("map names repeated", "duplicate item a", b(1, 'a', 0, 1, 'a', 0), "#t", MAP),
                c("map name with malformed UTF-8", "name", b(1, 0x80, 0), "#t", MAP),
                c("stream with an unknown tag", "StreamMessage body field 0", b(42), "#t", STREAM),
                c("stream boolean cut short", "StreamMessage body field 1", b(0, 1), "#t", STREAM),
                c("stream bytes overrun", "exceeds", b(10, 3, 1), "#t", STREAM),
                c("stream string with malformed UTF-8", "malformed UTF-8", b(9, 1, 0xFE), "#t", STREAM),
                c("object body not serialization", "not a Java serialization stream", b(1, 2, 3, 4, 5), "#t", OBJECT),
                c("object body empty", "not a Java serialization stream", new byte[0], "#t", OBJECT)
        ).map(Arguments::of);
    }

    static Stream<Arguments> storableCases() {
        return cases().filter(arguments -> ((Case) arguments.get()[0]).headers().stream().allMatch(h -> h.key() != null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRejectWithMessageFormatExceptionNamingTheProblem(Case malformed) {
        final ByteBuffer key = malformed.key() == null ? null : ByteBuffer.wrap(malformed.key());
        final ByteBuffer value = malformed.value() == null ? null : ByteBuffer.wrap(malformed.value());

        assertThatThrownBy(() -> new MessageCodec().decode(key, value, malformed.headers()))
                .isExactlyInstanceOf(MessageFormatException.class)
                .hasMessageContaining(malformed.expected());
    }

    /**
     * The same records stored in a batch and read through {@link RecordHeaders#views()}, which parse the common
     * values in place: the same error as the general decoder's. (A null header key cannot be stored.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("storableCases")
    void shouldRejectAStoredRecordWithTheSameMessage(Case malformed) throws Exception {
        final ByteBuffer key = malformed.key() == null ? null : ByteBuffer.wrap(malformed.key());
        final ByteBuffer value = malformed.value() == null ? null : ByteBuffer.wrap(malformed.value());
        final Header[] headers = malformed.headers().stream().map(h -> new Header(h.key(), h.value()))
                .toArray(Header[]::new);
        final RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0);
        builder.append(1L, key, value, headers);
        final ByteBuffer batch = builder.build();
        final RecordIterator records = new RecordIterator().reset(new RecordBatch().wrap(batch, batch.position()));
        final Record record = records.next();
        final Throwable general = catchThrowable(() -> new MessageCodec().decode(key, value, malformed.headers()));

        assertThatThrownBy(() -> new MessageCodec().decode(record.hasKey() ? record.key() : null,
                record.hasValue() ? record.value() : null, new RecordHeaders().reset(record).views()))
                .isExactlyInstanceOf(MessageFormatException.class)
                .hasMessage(general.getMessage());
    }
}
