package io.strand.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.spi.InvalidPropertyException;
import org.junit.jupiter.api.Test;

class StrandActivationSpecTest {

    private static StrandActivationSpec queue(String name) {
        final StrandActivationSpec spec = new StrandActivationSpec();
        spec.setDestination(name);
        return spec;
    }

    private static StrandActivationSpec durableTopic(String name, String subscription) {
        final StrandActivationSpec spec = queue(name);
        spec.setDestinationType("jakarta.jms.Topic");
        spec.setSubscriptionDurability("Durable");
        spec.setSubscriptionName(subscription);
        return spec;
    }

    @Test
    void aQueueWithDefaultsIsValidAndDeliversThroughFiveSessions() {
        final StrandActivationSpec spec = queue("orders");

        assertThatCode(spec::validate).doesNotThrowAnyException();
        assertThat(spec.isTopic()).isFalse();
        assertThat(spec.sessionCount()).isEqualTo(5);
    }

    @Test
    void aDurableTopicSubscriptionIsValidAndDeliversThroughOneSession() {
        final StrandActivationSpec spec = durableTopic("prices", "audit");
        spec.setMaxSession(8);

        assertThatCode(spec::validate).doesNotThrowAnyException();
        assertThat(spec.isDurable()).isTrue();
        assertThat(spec.sessionCount()).isEqualTo(1);
    }

    @Test
    void legacyAndShortDestinationTypesAreAccepted() {
        for (String type : new String[] {"javax.jms.Topic", "Topic", " jakarta.jms.Topic "}) {
            final StrandActivationSpec spec = queue("prices");
            spec.setDestinationType(type);

            assertThatCode(spec::validate).doesNotThrowAnyException();
            assertThat(spec.isTopic()).as(type).isTrue();
        }
    }

    @Test
    void aMissingDestinationIsRejected() {
        assertThatThrownBy(queue(null)::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("destination must name the queue or topic");
        assertThatThrownBy(queue("  ")::validate).hasMessageContaining("destination must name");
    }

    @Test
    void aDestinationNameTheBrokerWouldRefuseIsRejected() {
        assertThatThrownBy(queue("orders/eu")::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("[A-Za-z0-9._-]");
    }

    @Test
    void aDurableSubscriptionWithoutAName() {
        assertThatThrownBy(durableTopic("prices", null)::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("subscriptionDurability=Durable needs a subscriptionName");
    }

    @Test
    void aDurableSubscriptionOnAQueueIsRejected() {
        final StrandActivationSpec spec = durableTopic("orders", "audit");
        spec.setDestinationType("jakarta.jms.Queue");

        assertThatThrownBy(spec::validate).hasMessageContaining("applies to topics only; destination orders is a queue");
    }

    @Test
    void anUnknownAcknowledgeModeIsRejected() {
        final StrandActivationSpec spec = queue("orders");
        spec.setAcknowledgeMode("Client-acknowledge");

        assertThatThrownBy(spec::validate)
                .hasMessageContaining("acknowledgeMode must be Auto-acknowledge or Dups-ok-acknowledge, not Client-acknowledge");
    }

    @Test
    void dupsOkIsAccepted() {
        final StrandActivationSpec spec = queue("orders");
        spec.setAcknowledgeMode("Dups-ok-acknowledge");

        assertThatCode(spec::validate).doesNotThrowAnyException();
    }

    @Test
    void fewerThanOneSessionIsRejected() {
        final StrandActivationSpec spec = queue("orders");
        spec.setMaxSession(0);

        assertThatThrownBy(spec::validate).hasMessageContaining("maxSession must be at least 1: maxSession=0");
    }

    @Test
    void unknownDestinationTypeAndDurabilityAreRejected() {
        final StrandActivationSpec spec = queue("orders");
        spec.setDestinationType("jakarta.jms.Stream");
        spec.setSubscriptionDurability("Forever");

        assertThatThrownBy(spec::validate)
                .hasMessageContaining("destinationType must be jakarta.jms.Queue or jakarta.jms.Topic, not jakarta.jms.Stream")
                .hasMessageContaining("subscriptionDurability must be Durable or NonDurable, not Forever");
    }

    @Test
    void aBadBrokerUrlIsRejected() {
        final StrandActivationSpec spec = queue("orders");
        spec.setBrokerUrl("http://example");

        assertThatThrownBy(spec::validate).hasMessageContaining("brokerUrl http://example");
    }

    @Test
    void everyProblemIsListedInOneMessage() {
        final StrandActivationSpec spec = durableTopic(null, null);
        spec.setMaxSession(-1);
        spec.setReceiveTimeoutMs(0L);

        assertThatThrownBy(spec::validate)
                .hasMessageContaining("destination must name")
                .hasMessageContaining("needs a subscriptionName")
                .hasMessageContaining("maxSession must be at least 1")
                .hasMessageContaining("receiveTimeoutMs must be at least 1");
    }
}
