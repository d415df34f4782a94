package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.protocol.ApiKey;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Topic;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** vm:// URLs find an embedded broker through ServiceLoader (a test factory here) and speak the same wire. */
class VmUrlTest {
    @Test
    void shouldConnectToEmbeddedBrokerFoundByServiceLoader() throws Exception {
        final java.util.concurrent.atomic.AtomicInteger released =
                TestEmbeddedBrokerFactory.RELEASED.computeIfAbsent("unit", n -> new java.util.concurrent.atomic.AtomicInteger());
        final StrandConnectionFactory factory = new StrandConnectionFactory("vm://unit?dataDir=/tmp/x&prefetch=7");
        try (Connection c = factory.createConnection()) {
            c.setClientID("vm-client");
            assertThat(TestEmbeddedBrokerFactory.OPTIONS.get("unit")).isEqualTo(Map.of("dataDir", "/tmp/x"));
            assertThat(TestEmbeddedBrokerFactory.BROKERS.get("unit").requests(ApiKey.HANDSHAKE)).hasSize(2);
        }
        final long deadline = System.currentTimeMillis() + 5000;
        while (released.get() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(released.get()).isEqualTo(1); // the connection's close gave the broker back
    }

    @Test
    void shouldRoundTripThroughContextOnVm() {
        try (JMSContext context = new StrandConnectionFactory("vm://ctx").createContext()) {
            final Topic topic = context.createTopic("vm-topic");
            final var consumer = context.createConsumer(topic);
            context.createProducer().send(topic, "over vm");
            assertThat(consumer.receiveBody(String.class, 5000)).isEqualTo("over vm");
        }
    }

    @Test
    void shouldReportBrokerOptionErrors() {
        assertThatThrownBy(() -> new StrandConnectionFactory("vm://bad?bogus=1").createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("unknown broker setting 'bogus'");
        assertThatThrownBy(() -> new StrandConnectionFactory("vm://bad?bogus=1").createContext())
                .isInstanceOf(JMSRuntimeException.class);
    }
}
