package io.strand.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTopic;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageNotWriteableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Headers, read-only rules of received messages, provider stamps and acknowledgement. */
class MessageStateTest {

    @Test
    void shouldStartWithTheSpecifiedHeaderDefaults() {
        final StrandMessage message = new StrandMessage();

        assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(message.getJMSPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
        assertThat(message.getJMSMessageID()).isNull();
        assertThat(message.getJMSCorrelationID()).isNull();
        assertThat(message.getJMSCorrelationIDAsBytes()).isNull();
        assertThat(message.getJMSTimestamp()).isZero();
        assertThat(message.getJMSExpiration()).isZero();
        assertThat(message.getJMSDeliveryTime()).isZero();
        assertThat(message.getJMSRedelivered()).isFalse();
        assertThat(message.kind()).isEqualTo(MessageKind.MESSAGE);
    }

    @Test
    void shouldKeepEveryHeaderAsSet() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setJMSMessageID("ID:1");
        message.setJMSTimestamp(10L);
        message.setJMSCorrelationID("corr");
        message.setJMSReplyTo(new StrandQueue("replies"));
        message.setJMSDestination(new StrandTopic("news"));
        message.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        message.setJMSRedelivered(true);
        message.setJMSType("car");
        message.setJMSExpiration(20L);
        message.setJMSDeliveryTime(30L);
        message.setJMSPriority(9);

        assertThat(message.getJMSMessageID()).isEqualTo("ID:1");
        assertThat(message.getJMSTimestamp()).isEqualTo(10L);
        assertThat(message.getJMSCorrelationID()).isEqualTo("corr");
        assertThat(message.getJMSReplyTo()).isEqualTo(new StrandQueue("replies"));
        assertThat(message.getJMSDestination()).isEqualTo(new StrandTopic("news"));
        assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(message.getJMSRedelivered()).isTrue();
        assertThat(message.getJMSType()).isEqualTo("car");
        assertThat(message.getJMSExpiration()).isEqualTo(20L);
        assertThat(message.getJMSDeliveryTime()).isEqualTo(30L);
        assertThat(message.getJMSPriority()).isEqualTo(9);
    }

    @Test
    void shouldKeepTheCorrelationIdInWhicheverFormWasSetLast() throws JMSException {
        final StrandMessage message = new StrandMessage();
        final byte[] raw = "abc".getBytes(StandardCharsets.UTF_8);
        message.setJMSCorrelationIDAsBytes(raw);
        raw[0] = 'z';

        assertThat(message.getJMSCorrelationIDAsBytes()).containsExactly('a', 'b', 'c');
        assertThat(message.getJMSCorrelationID()).isEqualTo("abc");
        message.getJMSCorrelationIDAsBytes()[0] = 'q';
        assertThat(message.getJMSCorrelationIDAsBytes()).containsExactly('a', 'b', 'c');
        message.setJMSCorrelationID("xyz");
        assertThat(message.getJMSCorrelationIDAsBytes()).containsExactly('x', 'y', 'z');
        assertThat(message.correlationIdAsSet()).isEqualTo("xyz");
    }

    @Test
    void shouldMakePropertiesReadOnlyOnReceiptUntilClearProperties() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.setIntProperty("a", 1);
        message.makeReadOnly();

        assertThatThrownBy(() -> message.setIntProperty("b", 2)).isInstanceOf(MessageNotWriteableException.class)
                .hasMessageContaining("clearProperties");
        assertThatThrownBy(() -> message.setObjectProperty("a", 3)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(message.getIntProperty("a")).isEqualTo(1);
        message.clearProperties();
        message.setIntProperty("b", 2);
        assertThat(message.propertyExists("a")).isFalse();
        assertThat(message.getIntProperty("b")).isEqualTo(2);
    }

    @Test
    void shouldLeaveHeadersWritableOnAReceivedMessage() throws JMSException {
        final StrandTextMessage message = new StrandTextMessage("t");
        message.makeReadOnly();
        message.setJMSType("changed");
        message.setJMSPriority(1);

        assertThat(message.getJMSType()).isEqualTo("changed");
        assertThat(message.getJMSPriority()).isEqualTo(1);
    }

    @Test
    void shouldMakeTheTextBodyReadOnlyOnReceiptUntilClearBody() throws JMSException {
        final StrandTextMessage message = new StrandTextMessage("hello");
        message.makeReadOnly();

        assertThatThrownBy(() -> message.setText("x")).isInstanceOf(MessageNotWriteableException.class);
        assertThat(message.getText()).isEqualTo("hello");
        message.clearBody();
        assertThat(message.getText()).isNull();
        message.setText("again");
        assertThat(message.getText()).isEqualTo("again");
    }

    @Test
    void shouldNotClearPropertiesWithTheBodyNorTheBodyWithProperties() throws JMSException {
        final StrandTextMessage message = new StrandTextMessage("body");
        message.setStringProperty("p", "v");
        message.clearBody();
        assertThat(message.getStringProperty("p")).isEqualTo("v");
        message.setText("body");
        message.clearProperties();
        assertThat(message.getText()).isEqualTo("body");
    }

    @Test
    void shouldLetTheProviderStampTheDeliveryCountOnAReadOnlyMessage() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.makeReadOnly();
        message.setDeliveryCount(1);
        assertThat(message.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(message.getJMSRedelivered()).isFalse();
        message.setDeliveryCount(3);
        assertThat(message.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        assertThat(message.getJMSRedelivered()).isTrue();
        assertThatThrownBy(() -> message.setDeliveryCount(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAcknowledgeThroughTheAcknowledgerAndDoNothingWithoutOne() throws JMSException {
        final StrandMessage message = new StrandMessage();
        message.acknowledge(); // no session yet: a no-op

        final List<StrandMessage> acknowledged = new ArrayList<>();
        message.setAcknowledger(acknowledged::add);
        message.acknowledge();
        assertThat(acknowledged).containsExactly(message);

        message.setAcknowledger(m -> {
            throw new jakarta.jms.IllegalStateException("session closed");
        });
        assertThatThrownBy(message::acknowledge).isInstanceOf(jakarta.jms.IllegalStateException.class);
    }

    @Test
    void shouldCreateEachKindFromItsCode() {
        for (MessageKind kind : MessageKind.values()) {
            assertThat(MessageKind.ofCode(kind.code())).isEqualTo(kind);
            assertThat(kind.newMessage().kind()).isEqualTo(kind);
        }
        assertThat(MessageKind.ofCode((byte) 6)).isNull();
        assertThat(MessageKind.ofCode((byte) -1)).isNull();
    }

    @Test
    void theCopyKeptForRedeliveryKeepsThePropertiesAsReceivedWhateverEitherSideChanges() throws JMSException {
        final StrandMessage received = new StrandMessage();
        received.setStringProperty("color", "red");
        received.setIntProperty("seq", 7);
        received.makeReadOnly();
        received.keepAsReceived();

        received.clearProperties();
        received.setStringProperty("color", "blue");
        final StrandMessage redelivered = received.forRedelivery();
        redelivered.setDeliveryCount(2);

        assertThat(redelivered.getStringProperty("color")).isEqualTo("red");
        assertThat(redelivered.getIntProperty("seq")).isEqualTo(7);
        assertThat(redelivered.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(received.getStringProperty("color")).isEqualTo("blue");
        assertThat(received.propertyExists("seq")).isFalse();
        assertThat(received.propertyExists("JMSXDeliveryCount")).isFalse();
    }

    @Test
    void aProviderStampOnTheReceivedMessageDoesNotReachTheCopyKeptForRedelivery() throws JMSException {
        final StrandMessage received = new StrandMessage();
        received.setStringProperty("color", "red");
        received.makeReadOnly();
        received.keepAsReceived();

        received.setDeliveryCount(3);

        assertThat(received.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        assertThat(received.forRedelivery().propertyExists("JMSXDeliveryCount")).isFalse();
        assertThat(received.forRedelivery().getStringProperty("color")).isEqualTo("red");
    }
}
