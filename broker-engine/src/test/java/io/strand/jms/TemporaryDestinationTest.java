package io.strand.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Temporary queues and topics (JMS 3.1 §6.2.2) over TCP and {@code vm://}: owned by the connection that
 * created them, usable as {@code JMSReplyTo} by anyone, deleted with their connection.
 */
class TemporaryDestinationTest {
    private static final long WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    private static TwoTransports brokers;

    @BeforeAll
    static void startBrokers() {
        brokers = new TwoTransports(dir, "temporary", Map.of());
    }

    @AfterAll
    static void stopBrokers() {
        brokers.stop();
    }

    private static StrandConnectionFactory factory(String transport) {
        return brokers.factory(transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void requestReplyThroughATemporaryQueue(String transport) throws Exception {
        try (Connection requester = factory(transport).createConnection();
             Connection responder = factory(transport).createConnection()) {
            Session requests = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = requests.createTemporaryQueue();
            MessageConsumer replyConsumer = requests.createConsumer(replies);
            requester.start();
            TextMessage request = requests.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID("c-1");
            requests.createProducer(requests.createQueue("service")).send(request);

            Session serving = responder.createSession(false, Session.AUTO_ACKNOWLEDGE);
            responder.start();
            Message received = serving.createConsumer(serving.createQueue("service")).receive(WAIT_MS);
            assertThat(received.getJMSReplyTo()).isEqualTo(replies);
            TextMessage reply = serving.createTextMessage("pong");
            reply.setJMSCorrelationID(received.getJMSCorrelationID());
            serving.createProducer(received.getJMSReplyTo()).send(reply);

            TextMessage answer = (TextMessage) replyConsumer.receive(WAIT_MS);
            assertThat(answer.getText()).isEqualTo("pong");
            assertThat(answer.getJMSCorrelationID()).isEqualTo("c-1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void onlyTheCreatingConnectionConsumesAndDeletes(String transport) throws Exception {
        try (Connection owner = factory(transport).createConnection();
             Connection other = factory(transport).createConnection()) {
            Session session = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue queue = session.createTemporaryQueue();
            Session otherSession = other.createSession(false, Session.AUTO_ACKNOWLEDGE);

            assertThatThrownBy(() -> otherSession.createConsumer(queue)).isInstanceOf(InvalidDestinationException.class)
                    .hasMessageContaining("only the connection that created it");
            otherSession.createProducer(queue).send(otherSession.createTextMessage("from another connection"));

            MessageConsumer consumer = session.createConsumer(queue);
            owner.start();
            assertThat(((TextMessage) consumer.receive(WAIT_MS)).getText()).isEqualTo("from another connection");
            assertThatThrownBy(queue::delete).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("still has a consumer");
            consumer.close();
            queue.delete();
            assertThatThrownBy(() -> otherSession.createProducer(queue).send(otherSession.createTextMessage("late")))
                    .isInstanceOf(InvalidDestinationException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "vm"})
    void temporaryDestinationsEndWithTheirConnection(String transport) throws Exception {
        TemporaryQueue queue;
        TemporaryTopic topic;
        try (Connection owner = factory(transport).createConnection()) {
            Session session = owner.createSession(false, Session.AUTO_ACKNOWLEDGE);
            queue = session.createTemporaryQueue();
            topic = session.createTemporaryTopic();
            MessageConsumer subscriber = session.createConsumer(topic);
            owner.start();
            session.createProducer(topic).send(session.createTextMessage("news"));
            assertThat(((TextMessage) subscriber.receive(WAIT_MS)).getText()).isEqualTo("news");
        }
        try (Connection other = factory(transport).createConnection()) {
            Session session = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> session.createProducer(queue).send(session.createTextMessage("too late")))
                    .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("does not exist");
            assertThatThrownBy(() -> session.createProducer(topic).send(session.createTextMessage("too late")))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> session.createProducer(session.createQueue("_tmp.made-up"))
                    .send(session.createTextMessage("x"))).isInstanceOf(InvalidDestinationException.class);
        }
    }
}
