package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.StrandQueue;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Selector values read straight from encoded headers, as the broker will read them. */
class EncodedHeaderLookupTest {
    private final MessageCodec codec = new MessageCodec();

    private Object lookup(StrandMessage message, String identifier) throws JMSException {
        final EncodedMessage encoded = codec.encode(message);
        return EncodedHeaderLookup.selectorValue(encoded.keyBuffer(), encoded.headerViews(), identifier);
    }

    @Test
    void shouldGiveNewMessageDefaultsForHeadersThatWereNotWritten() throws JMSException {
        final StrandMessage message = new StrandMessage();

        assertThat(lookup(message, "JMSDeliveryMode")).isEqualTo("PERSISTENT");
        assertThat(lookup(message, "JMSPriority")).isEqualTo(4);
        assertThat(lookup(message, "JMSTimestamp")).isEqualTo(0L);
        assertThat(lookup(message, "JMSMessageID")).isNull();
        assertThat(lookup(message, "JMSCorrelationID")).isNull();
        assertThat(lookup(message, "JMSType")).isNull();
    }

    @Test
    void shouldGiveTheSelectableHeadersAsTheSpecificationTypesThem() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        message.setJMSPriority(7);
        message.setJMSTimestamp(123L);
        message.setJMSMessageID("ID:9");
        message.setJMSCorrelationIDAsBytes(new byte[] {'c', 'b'});
        message.setJMSType("car");
        message.setJMSDestination(new StrandQueue("q"));
        message.setJMSExpiration(5L);

        assertThat(lookup(message, "JMSDeliveryMode")).isEqualTo("NON_PERSISTENT");
        assertThat(lookup(message, "JMSPriority")).isEqualTo(7);
        assertThat(lookup(message, "JMSTimestamp")).isEqualTo(123L);
        assertThat(lookup(message, "JMSMessageID")).isEqualTo("ID:9");
        assertThat(lookup(message, "JMSCorrelationID")).isEqualTo("cb");
        assertThat(lookup(message, "JMSType")).isEqualTo("car");
        // Selectors cannot name these headers, so they read as absent.
        assertThat(lookup(message, "JMSDestination")).isNull();
        assertThat(lookup(message, "JMSExpiration")).isNull();
    }

    @Test
    void shouldGivePropertiesInTheirStoredTypes() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setStringProperty("NumberOfOrders", "2");
        message.setIntProperty("weight", 2500);
        message.setDoubleProperty("ratio", 0.5);
        message.setBooleanProperty("urgent", true);
        message.setStringProperty("nothing", null);
        message.setStringProperty("JMSXGroupID", "g");

        assertThat(lookup(message, "NumberOfOrders")).isEqualTo("2");
        assertThat(lookup(message, "weight")).isEqualTo(2500);
        assertThat(lookup(message, "ratio")).isEqualTo(0.5);
        assertThat(lookup(message, "urgent")).isEqualTo(true);
        assertThat(lookup(message, "nothing")).isNull();
        assertThat(lookup(message, "absent")).isNull();
        assertThat(lookup(message, "JMSXGroupID")).isEqualTo("g");
        assertThat(lookup(message, "not an identifier")).isNull();
    }

    @Test
    void shouldNeverTouchTheBody() throws JMSException {
        final StrandTextMessage message = new StrandTextMessage("body");
        message.setIntProperty("n", 1);
        final EncodedMessage encoded = codec.encode(message);

        // No body is passed at all: the lookup has only key and headers.
        assertThat(EncodedHeaderLookup.selectorValue(null, encoded.headerViews(), "n")).isEqualTo(1);
    }

    @Test
    void shouldReportAMalformedHeaderItIsAskedFor() {
        final List<HeaderView> headers = List.of(HeaderView.of("#t", new byte[] {2, 0}),
                HeaderView.of("#pri", new byte[] {9, 'x'}), HeaderView.of("color", new byte[] {4, 0, 'c'}),
                HeaderView.of("weight", null));

        assertThatThrownBy(() -> EncodedHeaderLookup.selectorValue(null, headers, "JMSPriority"))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("#pri");
        assertThatThrownBy(() -> EncodedHeaderLookup.selectorValue(null, headers, "color"))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("color");
        assertThatThrownBy(() -> EncodedHeaderLookup.selectorValue(null, headers, "weight"))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("weight");
    }

    @Test
    void onlyADelayExpirationPriorityOrGroupMarksARecordForTheBroker() throws JMSException {
        StrandTextMessage plain = new StrandTextMessage("x");
        plain.setJMSTimestamp(0); // timestamps disabled: the delivery time is written, but delays nothing
        plain.setJMSDeliveryTime(1_000);
        EncodedMessage encoded = codec.encode(plain);
        assertThat(EncodedHeaderLookup.hasDeliveryRules(encoded.key(), encoded.headers(), 1_000)).isFalse();
        assertThat(EncodedHeaderLookup.hasDeliveryRules(encoded.key(), encoded.headers(), 999)).as("delayed").isTrue();

        StrandTextMessage expiring = new StrandTextMessage("x");
        expiring.setJMSExpiration(5_000);
        EncodedMessage withExpiry = codec.encode(expiring);
        assertThat(EncodedHeaderLookup.hasDeliveryRules(withExpiry.key(), withExpiry.headers(), 0)).isTrue();
        assertThat(EncodedHeaderLookup.deliveryRules(withExpiry.headerViews()).expiration()).isEqualTo(5_000);

        StrandTextMessage grouped = new StrandTextMessage("x");
        grouped.setStringProperty("JMSXGroupID", "g");
        EncodedMessage withGroup = codec.encode(grouped);
        assertThat(EncodedHeaderLookup.hasDeliveryRules(withGroup.key(), withGroup.headers(), 0)).isTrue();
    }
}
