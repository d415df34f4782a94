package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.broker.BrokerConfig;
import io.strand.broker.StrandBroker;
import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code receive} does once the connection to its broker is lost: while the client fails over it waits its
 * timeout and returns null, as ever; once the connection failed for good it throws a JMSException naming the lost
 * connection, a receive blocked at that moment included, instead of returning null at once again and again (a
 * {@code receive(200)} loop then spun at a full core and never learnt that the connection was gone).
 */
class ReceiveAfterLostConnectionTest {
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path dir;

    private StrandBroker startBroker() {
        final Properties properties = new Properties();
        properties.setProperty(BrokerConfig.PORT, "0");
        properties.setProperty(BrokerConfig.DATA_DIR, dir.toString());
        return StrandBroker.start(BrokerConfig.from(properties), null);
    }

    @Test
    void aReceiveLoopWaitsOutAFailoverAndThenLearnsThatTheConnectionIsGone() throws Exception {
        final StrandBroker broker = startBroker();
        final String url = "strand://127.0.0.1:" + broker.address().getPort()
                + "?failoverTimeoutMs=2000&reconnectBackoffMs=20&reconnectBackoffMaxMs=100";
        try (Connection connection = new StrandConnectionFactory(url).createConnection()) {
            final Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            final MessageConsumer consumer = session.createConsumer(session.createQueue("lost.loop"));
            connection.start();
            final CompletableFuture<JMSException> heard = new CompletableFuture<>();
            connection.setExceptionListener(heard::complete);
            broker.close();

            // Failing over: each receive(200) waits its 200 ms and returns null; none spins.
            final long startNs = System.nanoTime();
            int nulls = 0;
            JMSException thrown = null;
            while (thrown == null && System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(WAIT_MS)) {
                try {
                    assertThat(consumer.receive(200)).isNull();
                    nulls++;
                } catch (JMSException e) {
                    thrown = e;
                }
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertThat(thrown).as("the receive loop learns of the loss").isNotNull();
            assertThat(thrown.getMessage()).contains("cannot receive from queue://lost.loop").contains("is lost")
                    .contains("2000 ms");
            assertThat(thrown.getErrorCode()).isEqualTo("CONNECTION_LOST");
            assertThat(elapsedMs).as("until the failover deadline").isGreaterThanOrEqualTo(1500);
            assertThat(nulls).as("receives that timed out in " + elapsedMs + " ms").isLessThanOrEqualTo(
                    (int) (elapsedMs / 200) + 1);
            assertThat(heard.get(WAIT_MS, TimeUnit.MILLISECONDS)).as("the ExceptionListener is told too").isNotNull();

            // Every later receive throws at once, whatever its timeout.
            assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(JMSException.class).hasMessageContaining("is lost");
            assertThatThrownBy(() -> consumer.receive(WAIT_MS)).isInstanceOf(JMSException.class);
            assertThatThrownBy(consumer::receive).isInstanceOf(JMSException.class);
        }
    }

    @Test
    void aBlockedReceiveIsWokenAndThrowsWhenAConnectionWithoutFailoverIsLost() throws Exception {
        final StrandBroker broker = startBroker();
        final String url = "strand://127.0.0.1:" + broker.address().getPort() + "?failoverTimeoutMs=0";
        try (JMSContext context = new StrandConnectionFactory(url).createContext()) {
            final JMSConsumer consumer = context.createConsumer(context.createQueue("lost.blocked"));
            final CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return consumer.receive();
                } catch (JMSRuntimeException e) {
                    return e;
                }
            });
            Thread.sleep(200);
            assertThat(blocked).isNotDone();
            broker.close();

            final Object outcome = blocked.get(WAIT_MS, TimeUnit.MILLISECONDS);
            assertThat(outcome).isInstanceOf(JMSRuntimeException.class);
            assertThat(((JMSRuntimeException) outcome).getMessage()).contains("cannot receive from queue://lost.blocked")
                    .contains("is lost");
            assertThatThrownBy(() -> consumer.receiveBody(String.class, 200)).isInstanceOf(JMSRuntimeException.class);
        }
    }
}
