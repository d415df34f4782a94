package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.strand.jms.StrandQueue;
import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Headers read in place give every selector value, delivery rule and error that the header views give, so
 * the broker's scan decides exactly as before.
 */
class RecordHeadersTest {
    private static final List<String> IDENTIFIERS = List.of("JMSDeliveryMode", "JMSPriority", "JMSTimestamp",
            "JMSMessageID", "JMSCorrelationID", "JMSType", "JMSDestination", "JMSExpiration", "JMSXGroupID",
            "JMSXDeliveryCount", "color", "weight", "ratio", "urgent", "nothing", "absent", "größe", "tiny", "wide",
            "notes", "not an identifier", "colo", "colour");

    private final MessageCodec codec = new MessageCodec();

    @Test
    void givesTheSameValuesAsTheHeaderViews() throws JMSException {
        List<EncodedMessage> messages = new ArrayList<>();
        messages.add(codec.encode(new StrandMessage()));
        StrandTextMessage full = new StrandTextMessage("body");
        full.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        full.setJMSPriority(7);
        full.setJMSTimestamp(123L);
        full.setJMSMessageID("ID:9");
        full.setJMSCorrelationIDAsBytes(new byte[] {'c', 'b'});
        full.setJMSType("car");
        full.setJMSDestination(new StrandQueue("q"));
        full.setJMSExpiration(5L);
        full.setJMSDeliveryTime(7L);
        full.setStringProperty("color", "red");
        full.setIntProperty("weight", 2500);
        full.setDoubleProperty("ratio", 0.5);
        full.setBooleanProperty("urgent", true);
        full.setStringProperty("nothing", null);
        full.setIntProperty("größe", 3);
        full.setByteProperty("tiny", (byte) -2);
        full.setLongProperty("wide", Long.MIN_VALUE);
        full.setStringProperty("notes", "crème brûlée");
        full.setStringProperty("JMSXGroupID", "g");
        messages.add(codec.encode(full));

        for (Record record : stored(messages)) {
            List<HeaderView> views = HeaderView.of(record.headers());
            ByteBuffer key = record.hasKey() ? record.key() : null;
            RecordHeaders inPlace = new RecordHeaders().reset(record);
            for (String identifier : IDENTIFIERS) {
                Object expected = EncodedHeaderLookup.selectorValue(key, views, identifier);
                assertThat(EncodedHeaderLookup.selectorValue(key, inPlace, identifier)).as(identifier)
                        .isEqualTo(expected);
                assertThat(EncodedHeaderLookup.identifier(identifier).valueIn(key, inPlace)).as(identifier)
                        .isEqualTo(expected);
            }
            assertThat(EncodedHeaderLookup.deliveryRules(inPlace)).isEqualTo(EncodedHeaderLookup.deliveryRules(views));
        }
    }

    @Test
    void reportsMalformedHeadersAsTheHeaderViewsDo() throws JMSException {
        List<Map.Entry<String, byte[]>> headers = List.of(Map.entry("#t", new byte[] {2, 0}),
                Map.entry("#pri", new byte[] {9, 'x'}), Map.entry("#exp", new byte[] {6, 1}),
                Map.entry("color", new byte[] {4, 0, 'c'}), Map.entry("flag", new byte[] {1, 2}),
                Map.entry("count", new byte[] {5, 0, 0}), Map.entry("name", new byte[] {9, (byte) 0xC3}),
                new AbstractMap.SimpleEntry<>("weight", null), Map.entry("empty", new byte[0]));
        EncodedMessage malformed = new EncodedMessage(null, ByteBuffer.allocate(0), headers);

        Record record = stored(List.of(malformed)).get(0);
        List<HeaderView> views = HeaderView.of(record.headers());
        RecordHeaders inPlace = new RecordHeaders().reset(record);
        for (String identifier : List.of("JMSPriority", "color", "flag", "count", "name", "weight", "empty")) {
            Throwable expected = catchThrowable(() -> EncodedHeaderLookup.selectorValue(null, views, identifier));
            Throwable actual = catchThrowable(() -> EncodedHeaderLookup.selectorValue(null, inPlace, identifier));
            assertThat(expected).as(identifier).isInstanceOf(MessageFormatException.class);
            assertThat(actual).as(identifier).isInstanceOf(MessageFormatException.class)
                    .hasMessage(expected.getMessage());
            assertThat(catchThrowable(() -> EncodedHeaderLookup.identifier(identifier).valueIn(null, inPlace)))
                    .as(identifier).isInstanceOf(MessageFormatException.class).hasMessage(expected.getMessage());
        }
        Throwable expected = catchThrowable(() -> EncodedHeaderLookup.deliveryRules(views));
        assertThat(catchThrowable(() -> EncodedHeaderLookup.deliveryRules(inPlace)))
                .isInstanceOf(MessageFormatException.class).hasMessage(expected.getMessage());
    }

    @Test
    void oneInstanceFollowsRecordAfterRecord() throws JMSException {
        List<EncodedMessage> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StrandMessage message = new StrandMessage();
            message.setStringProperty("color", i % 10 == 0 ? "red" : "blue");
            message.setIntProperty("seq", i);
            for (int extra = 0; extra < i % 25; extra++) {
                message.setIntProperty("p" + extra, extra); // more headers than the arrays first hold
            }
            messages.add(codec.encode(message));
        }
        RecordHeaders reused = new RecordHeaders();
        int i = 0;
        for (Record record : stored(messages)) {
            reused.reset(record);
            assertThat(EncodedHeaderLookup.selectorValue(null, reused, "seq")).isEqualTo(i);
            assertThat(EncodedHeaderLookup.selectorValue(null, reused, "color")).isEqualTo(i % 10 == 0 ? "red" : "blue");
            assertThat(reused.size()).isEqualTo(record.headerCount());
            i++;
        }
    }

    @Test
    void viewsGiveTheCodecTheSameHeadersAsTheRecordDoesEvenWhenKeysChangePlace() throws JMSException {
        List<EncodedMessage> messages = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            StrandTextMessage message = new StrandTextMessage("text " + i);
            message.setJMSType(i % 3 == 0 ? null : "t" + i); // shifts the keys that follow
            message.setStringProperty(i % 2 == 0 ? "colour" : "größe", "v" + i);
            message.setIntProperty("n", i);
            messages.add(codec.encode(message));
        }
        RecordHeaders reused = new RecordHeaders();
        for (Record record : stored(messages)) {
            List<HeaderView> expected = HeaderView.of(record.headers());
            List<HeaderView> views = reused.reset(record).views();
            assertThat(views).hasSameSizeAs(expected);
            for (int h = 0; h < expected.size(); h++) {
                assertThat(views.get(h).key()).isEqualTo(expected.get(h).key());
                assertThat(views.get(h).value()).isEqualTo(expected.get(h).value());
            }
            ByteBuffer value = record.value();
            StrandMessage fromViews = codec.decode(null, value, views);
            StrandMessage fromRecord = codec.decode(null, value, expected);
            assertThat(((StrandTextMessage) fromViews).getText()).isEqualTo(((StrandTextMessage) fromRecord).getText());
            assertThat(fromViews.getJMSType()).isEqualTo(fromRecord.getJMSType());
            assertThat(java.util.Collections.list(fromViews.getPropertyNames()))
                    .containsExactlyInAnyOrderElementsOf(java.util.Collections.list(fromRecord.getPropertyNames()));
            assertThat(fromViews.getIntProperty("n")).isEqualTo(fromRecord.getIntProperty("n"));
        }
    }

    /** The messages as records of one LZ4 batch, each read by a fresh iterator so the flyweights stay valid. */
    private static List<Record> stored(List<EncodedMessage> messages) {
        RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.LZ4, 0);
        for (EncodedMessage m : messages) {
            Header[] headers = m.headers().stream().map(h -> Header.of(h.getKey(), h.getValue())).toArray(Header[]::new);
            builder.append(1_000, m.keyBuffer(), m.value(), headers);
        }
        ByteBuffer batch = builder.build();
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch).flip();
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            RecordIterator iterator = new RecordIterator().reset(new RecordBatch().wrap(copy, 0));
            for (int skip = 0; skip < i; skip++) {
                iterator.next();
            }
            records.add(iterator.next());
        }
        return records;
    }
}
