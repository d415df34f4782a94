package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.strand.protocol.ApiKey;
import io.strand.protocol.ErrorCode;
import io.strand.protocol.Handshake;
import io.strand.protocol.ResponseStatus;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection state rules and failures, against a {@link FakeBroker}. */
class ConnectionTest {
    private FakeBroker broker;
    private StrandConnection connection;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = broker.connect("");
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
    }

    @Test
    void shouldHandshakeWithoutClientIdOnConnect() {
        assertThat(broker.requests(ApiKey.HANDSHAKE)).hasSize(1);
        final Handshake.Request r = (Handshake.Request) broker.requests(ApiKey.HANDSHAKE).get(0).body();
        assertThat(r.clientId()).isNull();
        assertThat(r.minVersion()).isEqualTo(Handshake.MIN_VERSION);
        assertThat(r.maxVersion()).isEqualTo(Handshake.MAX_VERSION);
    }

    @Test
    void shouldSendSecondHandshakeCarryingClientIdOnSetClientId() throws Exception {
        connection.setClientID("app-1");
        assertThat(connection.getClientID()).isEqualTo("app-1");
        assertThat(broker.requests(ApiKey.HANDSHAKE)).hasSize(2);
        assertThat(((Handshake.Request) broker.requests(ApiKey.HANDSHAKE).get(1).body()).clientId()).isEqualTo("app-1");
    }

    @Test
    void shouldRefuseSecondSetClientId() throws Exception {
        connection.setClientID("app-1");
        assertThatThrownBy(() -> connection.setClientID("app-2")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already set");
    }

    @Test
    void shouldRefuseSetClientIdAfterAnotherAction() throws Exception {
        connection.createSession();
        assertThatThrownBy(() -> connection.setClientID("late")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before any other action");
    }

    @Test
    void shouldRefuseSetClientIdAfterStart() throws Exception {
        connection.start();
        assertThatThrownBy(() -> connection.setClientID("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldMapRejectedClientIdToInvalidClientIdException() {
        broker.clientIdsInUse.put("taken", true);
        assertThatThrownBy(() -> connection.setClientID("taken")).isInstanceOf(InvalidClientIDException.class)
                .hasMessageContaining("taken").hasMessageContaining("in use");
    }

    @Test
    void shouldSendAdministeredClientIdInFirstHandshakeAndRefuseSetClientId() throws Exception {
        try (Connection c = broker.connect("?clientId=admin-id")) {
            assertThat(c.getClientID()).isEqualTo("admin-id");
            final Handshake.Request last = (Handshake.Request) broker.requests(ApiKey.HANDSHAKE)
                    .get(broker.requests(ApiKey.HANDSHAKE).size() - 1).body();
            assertThat(last.clientId()).isEqualTo("admin-id");
            assertThatThrownBy(() -> c.setClientID("other")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("administratively");
        }
    }

    @Test
    void shouldThrowIllegalStateAfterClose() throws Exception {
        final Session session = connection.createSession();
        connection.close();
        connection.close(); // idempotent
        assertThatThrownBy(connection::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::createSession).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(connection::getClientID).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(session::createTextMessage).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldCreateTransactedSessionsAndRefuseUnknownModes() throws Exception {
        final Session transacted = connection.createSession(true, Session.AUTO_ACKNOWLEDGE);
        assertThat(transacted.getTransacted()).isTrue();
        assertThat(transacted.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
        assertThat(connection.createSession(Session.SESSION_TRANSACTED).getTransacted()).isTrue();
        assertThat(connection.createSession(false, Session.CLIENT_ACKNOWLEDGE).getTransacted()).isFalse();
        assertThatThrownBy(() -> connection.createSession(42)).hasMessageContaining("acknowledge mode 42");
    }

    @Test
    void shouldRequireClientIdForDurableSubscriber() throws Exception {
        final Session session = connection.createSession();
        assertThatThrownBy(() -> session.createDurableSubscriber(session.createTopic("t"), "sub"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client id");
    }

    @Test
    void shouldPassSelectorToBrokerAndMapInvalidSelector() throws Exception {
        final Session session = connection.createSession();
        assertThatThrownBy(() -> session.createConsumer(session.createTopic("t"), "x ="))
                .as("parsed by the client first").isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("position");
        assertThat(broker.requests(ApiKey.OPEN_CONSUMER)).isEmpty();

        broker.errors.put(ApiKey.OPEN_CONSUMER, ResponseStatus.of(ErrorCode.INVALID_SELECTOR, "refused 'x = 1'"));
        assertThatThrownBy(() -> session.createConsumer(session.createTopic("t"), "x = 1"))
                .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("refused");
        assertThat(((io.strand.protocol.Consumers.OpenRequest) broker.requests(ApiKey.OPEN_CONSUMER).get(0).body())
                .selector()).isEqualTo("x = 1");
    }

    @Test
    void shouldMapUnknownDestinationToInvalidDestination() throws Exception {
        broker.errors.put(ApiKey.METADATA, ResponseStatus.of(ErrorCode.UNKNOWN_DESTINATION, null));
        final Session session = connection.createSession();
        assertThatThrownBy(() -> session.createProducer(session.createTopic("nope")).send(session.createMessage()))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("topic://nope");
    }

    @Test
    void shouldCallExceptionListenerWhenConnectionIsLost() throws Exception {
        final CompletableFuture<JMSException> reported = new CompletableFuture<>();
        connection.setExceptionListener(reported::complete);
        broker.dropConnections();
        final JMSException e = reported.get(5, TimeUnit.SECONDS);
        assertThat(e.getMessage()).contains("connection to the broker lost").contains("closed");
    }

    @Test
    void shouldCallExceptionListenerWithClearMessageOnMalformedFrame() throws Exception {
        final CompletableFuture<String> thread = new CompletableFuture<>();
        final CompletableFuture<JMSException> reported = new CompletableFuture<>();
        connection.setExceptionListener(e -> {
            thread.complete(Thread.currentThread().getName());
            reported.complete(e);
        });
        broker.sendRaw(Unpooled.buffer().writeInt(3)); // a frame length shorter than any header
        final JMSException e = reported.get(5, TimeUnit.SECONDS);
        assertThat(e.getMessage()).contains("malformed frame").contains("frame length 3");
        assertThat(thread.get()).startsWith("strand-callbacks");
    }

    @Test
    void shouldThrowFromABlockedReceiveWhenTheConnectionIsLostForGood() throws Exception {
        final Session session = connection.createSession();
        final var consumer = session.createConsumer(session.createTopic("t"));
        connection.start();
        final CompletableFuture<Object> received = CompletableFuture.supplyAsync(() -> {
            try {
                return consumer.receive();
            } catch (JMSException e) {
                return e;
            }
        });
        Thread.sleep(50);
        broker.dropConnections(); // a connection over a fixed wire cannot fail over: lost for good at once
        final Object outcome = received.get(5, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(JMSException.class);
        assertThat((JMSException) outcome).hasMessageContaining("cannot receive from topic://t")
                .hasMessageContaining("is lost").hasMessageContaining("closed by the broker or the network");
        assertThat(((JMSException) outcome).getErrorCode()).isEqualTo("CONNECTION_LOST");
    }

    @Test
    void shouldThrowFromEveryReceiveAfterTheConnectionIsLostInsteadOfReturningNullAtOnce() throws Exception {
        final Session session = connection.createSession();
        final var consumer = session.createConsumer(session.createQueue("q"));
        final CompletableFuture<JMSException> reported = new CompletableFuture<>();
        connection.setExceptionListener(reported::complete);
        connection.start();
        broker.dropConnections();
        reported.get(5, TimeUnit.SECONDS);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> consumer.receive(200)).isInstanceOf(JMSException.class)
                    .hasMessageContaining("cannot receive from queue://q");
        }
        assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(JMSException.class).hasMessageContaining("is lost");
        assertThatThrownBy(consumer::receive).isInstanceOf(JMSException.class).hasMessageContaining("is lost");

        // JMS 3.1: only a consumer the application closed answers a receive in progress with null.
        consumer.close();
        assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shouldReturnNullFromABlockedReceiveWhenTheApplicationClosesTheConsumer() throws Exception {
        final Session session = connection.createSession();
        final var consumer = session.createConsumer(session.createQueue("q"));
        connection.start();
        final CompletableFuture<Object> received = CompletableFuture.supplyAsync(() -> {
            try {
                return consumer.receive();
            } catch (JMSException e) {
                return e;
            }
        });
        Thread.sleep(50);
        consumer.close();
        assertThat(received.get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void shouldThrowJmsRuntimeExceptionFromAJmsConsumerReceiveAfterTheConnectionIsLost() throws Exception {
        try (JMSContext context = new StrandJMSContext(new SharedConnection(broker.connect("")),
                JMSContext.AUTO_ACKNOWLEDGE)) {
            final JMSConsumer consumer = context.createConsumer(context.createQueue("q"));
            final CompletableFuture<Object> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return consumer.receive();
                } catch (JMSRuntimeException e) {
                    return e;
                }
            });
            Thread.sleep(50);
            broker.dropConnections();
            assertThat(received.get(5, TimeUnit.SECONDS)).isInstanceOf(JMSRuntimeException.class);
            assertThatThrownBy(() -> consumer.receive(200)).isInstanceOf(JMSRuntimeException.class)
                    .hasMessageContaining("is lost");
            assertThatThrownBy(() -> consumer.receiveBodyNoWait(String.class)).isInstanceOf(JMSRuntimeException.class)
                    .hasMessageContaining("is lost");
        }
    }
}
