package io.strand.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import io.strand.jms.StrandConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter when its broker stops and starts again on the same port and data. */
class AdapterBrokerRestartTest {
    @TempDir
    Path dir;

    private StrandBroker broker;
    private int port;
    private String url;

    @BeforeEach
    void startBroker() {
        broker = start(0);
        port = broker.address().getPort();
        url = "strand://127.0.0.1:" + port;
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    private StrandBroker start(int onPort) {
        final Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, Integer.toString(onPort));
        properties.setProperty(BrokerConfig.DATA_DIR, dir.resolve("data").toString());
        return StrandBroker.start(BrokerConfig.from(properties), null);
    }

    private void restart() {
        broker.close();
        broker = start(port);
    }

    private void send(String queue, String text) {
        try (JMSContext context = new StrandConnectionFactory(url).createContext()) {
            context.createProducer().send(context.createQueue(queue), text);
        }
    }

    @Test
    void aPooledConnectionWhoseBrokerWentAwayIsReportedAndNeverMatchedAgain() throws Exception {
        final StrandManagedConnectionFactory factory = new StrandManagedConnectionFactory();
        // A connection rides out a broker gone for less than its failover deadline; gone for longer, it is reported.
        factory.setBrokerUrl(url + "?failoverTimeoutMs=1000");
        final StrandManagedConnection connection = (StrandManagedConnection) factory.createManagedConnection(null, null);
        final List<ConnectionEvent> errors = new CopyOnWriteArrayList<>();
        connection.addConnectionEventListener(new ErrorListener(errors));

        broker.close();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(errors).singleElement()
                .satisfies(e -> assertThat(e.getId()).isEqualTo(ConnectionEvent.CONNECTION_ERROR_OCCURRED)));
        assertThat(errors.get(0).getException()).isNotNull();
        assertThat(factory.matchManagedConnections(Set.of(connection), null, null)).isNull();
        connection.destroy();
        broker = start(port);
    }

    @Test
    void aBeanGoesOnReceivingAfterItsBrokerRestarts() throws Exception {
        final StrandResourceAdapter adapter = new StrandResourceAdapter();
        adapter.setBrokerUrl(url);
        adapter.setReconnectInitialDelayMs(50L);
        adapter.setReconnectMaxDelayMs(500L);
        adapter.start(new FakeContainer());
        final List<String> received = new CopyOnWriteArrayList<>();
        final MessageEndpointFactory endpoints = FakeContainer.endpoints("restart-bean", m -> {
            try {
                received.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        final StrandActivationSpec spec = new StrandActivationSpec();
        spec.setDestination("work");
        spec.setReceiveTimeoutMs(100L);
        adapter.endpointActivation(endpoints, spec);
        try {
            send("work", "before");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(received).containsExactly("before"));

            restart();
            send("work", "after");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).contains("after"));
            assertThat(received).containsOnlyOnce("before");
        } finally {
            adapter.stop();
        }
    }

    private record ErrorListener(List<ConnectionEvent> errors) implements ConnectionEventListener {
        @Override public void connectionClosed(ConnectionEvent event) { }
        @Override public void localTransactionStarted(ConnectionEvent event) { }
        @Override public void localTransactionCommitted(ConnectionEvent event) { }
        @Override public void localTransactionRolledback(ConnectionEvent event) { }
        @Override public void connectionErrorOccurred(ConnectionEvent event) { errors.add(event); }
    }
}
