package io.strand.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound delivery against an embedded broker, with a fake container running the adapter's work. */
class InboundDeliveryTest {
    @TempDir
    Path dir;

    private StrandResourceAdapter adapter;
    private JMSContext producer;

    @BeforeEach
    void start() throws Exception {
        final String url = "vm://ra-inbound?dataDir=" + dir.resolve("broker");
        producer = new StrandConnectionFactory(url).createContext();
        adapter = new StrandResourceAdapter();
        adapter.setBrokerUrl(url);
        adapter.setClientIdPrefix("test-");
        adapter.start(new FakeContainer());
    }

    @AfterEach
    void stop() {
        adapter.stop();
        producer.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(dir.resolve("broker").resolve(".clean-shutdown")).exists());
    }

    private static StrandActivationSpec queue(String name) {
        final StrandActivationSpec spec = new StrandActivationSpec();
        spec.setDestination(name);
        spec.setMaxSession(2);
        spec.setReceiveTimeoutMs(100L);
        return spec;
    }

    private static String text(Message message) {
        try {
            return ((TextMessage) message).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private String receiveLeftOver(String queue) {
        return producer.createConsumer(producer.createQueue(queue)).receiveBody(String.class, 500);
    }

    @Test
    void everyMessageOfAQueueIsDeliveredOnceAndAcknowledged() throws Exception {
        final List<String> received = new CopyOnWriteArrayList<>();
        final MessageEndpointFactory endpoints = FakeContainer.endpoints("orders-bean", m -> received.add(text(m)));
        final StrandActivationSpec spec = queue("orders");
        adapter.endpointActivation(endpoints, spec);

        for (int i = 0; i < 20; i++) {
            producer.createProducer().send(producer.createQueue("orders"), "order-" + i);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).hasSize(20));
        adapter.endpointDeactivation(endpoints, spec);
        assertThat(received).doesNotHaveDuplicates();
        assertThat(receiveLeftOver("orders")).isNull();
    }

    @Test
    void aMessageWhoseEndpointThrowsIsDeliveredAgainWithAHigherCount() throws Exception {
        final List<Integer> counts = new CopyOnWriteArrayList<>();
        final MessageEndpointFactory endpoints = FakeContainer.endpoints("failing-bean", m -> {
            try {
                counts.add(m.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
            if (counts.size() < 3) {
                throw new IllegalStateException("refused on purpose");
            }
        });
        final StrandActivationSpec spec = queue("retried");
        adapter.endpointActivation(endpoints, spec);

        producer.createProducer().send(producer.createQueue("retried"), "flaky");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(counts).containsExactly(1, 2, 3));
        adapter.endpointDeactivation(endpoints, spec);
        assertThat(receiveLeftOver("retried")).isNull();
    }

    @Test
    void aDurableSubscriptionKeepsWhatIsPublishedWhileItsBeanIsInactive() throws Exception {
        final List<String> received = new CopyOnWriteArrayList<>();
        final MessageEndpointFactory endpoints = FakeContainer.endpoints("news-bean", m -> received.add(text(m)));
        final StrandActivationSpec spec = new StrandActivationSpec();
        spec.setDestination("news");
        spec.setDestinationType("jakarta.jms.Topic");
        spec.setSubscriptionDurability("Durable");
        spec.setSubscriptionName("audit");
        spec.setReceiveTimeoutMs(100L);

        // The activation connects in the background: the subscription exists before anything is published.
        try (JMSContext subscriber = new StrandConnectionFactory(adapter.getBrokerUrl()).createContext()) {
            subscriber.setClientID("test-audit");
            subscriber.createDurableConsumer(subscriber.createTopic("news"), "audit").close();
        }
        adapter.endpointActivation(endpoints, spec);
        producer.createProducer().send(producer.createTopic("news"), "first");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).containsExactly("first"));
        adapter.endpointDeactivation(endpoints, spec);

        producer.createProducer().send(producer.createTopic("news"), "while inactive");
        adapter.endpointActivation(endpoints, spec);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(received).containsExactly("first", "while inactive"));
        adapter.endpointDeactivation(endpoints, spec);
    }

    @Test
    void deactivationReturnsOnlyWhenNoDeliveryRuns() throws Exception {
        final List<String> received = new CopyOnWriteArrayList<>();
        final MessageEndpointFactory endpoints = FakeContainer.endpoints("slow-bean", m -> {
            sleep(300);
            received.add(text(m));
        });
        final StrandActivationSpec spec = queue("slow");
        adapter.endpointActivation(endpoints, spec);
        producer.createProducer().send(producer.createQueue("slow"), "one");
        producer.createProducer().send(producer.createQueue("slow"), "two");
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());

        adapter.endpointDeactivation(endpoints, spec);
        final int afterDeactivation = received.size();
        sleep(600);

        assertThat(received).hasSize(afterDeactivation);
    }

    @Test
    void anInvalidActivationIsRefusedBeforeAnythingConnects() {
        final StrandActivationSpec spec = queue("orders");
        spec.setDestinationType("jakarta.jms.Topic");
        spec.setSubscriptionDurability("Durable");

        assertThatThrownBy(() -> adapter.endpointActivation(FakeContainer.endpoints("bad", m -> { }), spec))
                .isInstanceOf(InvalidPropertyException.class).hasMessageContaining("needs a subscriptionName");
    }

    @Test
    void aDurableSubscriptionWithoutClientIdGetsThePrefixedName() {
        final StrandActivationSpec spec = new StrandActivationSpec();
        spec.setDestination("news");
        spec.setDestinationType("jakarta.jms.Topic");
        spec.setSubscriptionDurability("Durable");
        spec.setSubscriptionName("audit");

        assertThat(new EndpointActivation(adapter, FakeContainer.endpoints("b", m -> { }), spec).clientId())
                .isEqualTo("test-audit");
        spec.setClientId("mine");
        assertThat(new EndpointActivation(adapter, FakeContainer.endpoints("b", m -> { }), spec).clientId())
                .isEqualTo("mine");
    }

    @Test
    void recoveryGetsOneXaResourcePerBrokerAndUser() throws Exception {
        final XAResource[] resources = adapter.getXAResources(
                new jakarta.resource.spi.ActivationSpec[] {queue("orders"), queue("other")});

        assertThat(resources).hasSize(1);
        assertThat(resources[0].recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)).isEmpty();
    }

    @Test
    void transactedDeliveriesCommitWithTheContainersTransactionAndComeBackAfterItsRollback() throws Exception {
        final List<String> received = new CopyOnWriteArrayList<>();
        final MessageEndpointFactory endpoints = FakeContainer.transactedEndpoints("xa-bean", m -> {
            received.add(text(m));
            if (received.size() == 1) {
                throw new IllegalStateException("first delivery refused on purpose");
            }
        });
        final StrandActivationSpec spec = queue("xa-orders");
        adapter.endpointActivation(endpoints, spec);

        producer.createProducer().send(producer.createQueue("xa-orders"), "xa-1");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).containsExactly("xa-1", "xa-1"));
        adapter.endpointDeactivation(endpoints, spec);
        assertThat(receiveLeftOver("xa-orders")).isNull();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
