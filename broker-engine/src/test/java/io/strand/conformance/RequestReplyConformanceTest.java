package io.strand.conformance;

import static io.strand.conformance.ConformanceBroker.WAIT_MS;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Request/reply as Jakarta Messaging 3.1 §2.16 describes it: the request names where the reply goes in
 * JMSReplyTo (§3.4.6), and the reply names its request in JMSCorrelationID (§3.4.5), usually by the
 * request's JMSMessageID. The reply destinations here are ordinary queues and topics; temporary
 * destinations (§6.2.2) are not available in Strand yet (see docs/conformance.md).
 */
class RequestReplyConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("requestreply");

    /**
     * Starts a responder on its own connection: for each request on {@code service} it sends "re: " plus
     * the request text to the request's JMSReplyTo, correlated with the request's id, the way §3.4.5
     * suggests. The caller closes the returned connection.
     */
    private static Connection startResponder(Transport transport, String service) throws JMSException {
        Connection connection = BROKER.factory(transport).createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer replies = session.createProducer(null);
        session.createConsumer(session.createQueue(service)).setMessageListener(request -> {
            try {
                TextMessage reply = session.createTextMessage("re: " + ((TextMessage) request).getText());
                reply.setJMSCorrelationID(request.getJMSMessageID());
                replies.send(request.getJMSReplyTo(), reply);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        connection.start();
        return connection;
    }

    /** Several requests answered on one reply queue, each reply matched to its request by correlation id. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void repliesGoToJMSReplyToAndNameTheirRequest(Transport transport) throws Exception {
        String service = BROKER.unique("service");
        try (Connection responder = startResponder(transport, service);
             Connection requester = BROKER.factory(transport).createConnection()) {
            Session session = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue replyQueue = session.createQueue(BROKER.unique("replies"));
            MessageConsumer replies = session.createConsumer(replyQueue);
            requester.start();
            MessageProducer requests = session.createProducer(session.createQueue(service));
            Map<String, String> textById = new HashMap<>();
            for (int i = 0; i < 5; i++) {
                TextMessage request = session.createTextMessage("question " + i);
                request.setJMSReplyTo(replyQueue);
                requests.send(request);
                textById.put(request.getJMSMessageID(), "question " + i);
            }

            for (int i = 0; i < 5; i++) {
                TextMessage reply = (TextMessage) replies.receive(WAIT_MS);
                assertThat(reply).as("reply " + i).isNotNull();
                assertThat(textById).containsKey(reply.getJMSCorrelationID());
                assertThat(reply.getText()).isEqualTo("re: " + textById.remove(reply.getJMSCorrelationID()));
            }
            assertThat(textById).isEmpty();
        }
    }

    /** JMSReplyTo may name a topic: every subscriber of the reply topic sees the reply. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aReplyMayGoToATopic(Transport transport) throws Exception {
        String service = BROKER.unique("service");
        try (Connection responder = startResponder(transport, service);
             Connection requester = BROKER.factory(transport).createConnection()) {
            Session session = requester.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic replyTopic = session.createTopic(BROKER.unique("replies"));
            MessageConsumer first = session.createConsumer(replyTopic);
            MessageConsumer second = session.createConsumer(replyTopic);
            requester.start();
            TextMessage request = session.createTextMessage("broadcast");
            request.setJMSReplyTo(replyTopic);
            session.createProducer(session.createQueue(service)).send(request);

            for (MessageConsumer subscriber : new MessageConsumer[] {first, second}) {
                Message reply = subscriber.receive(WAIT_MS);
                assertThat(((TextMessage) reply).getText()).isEqualTo("re: broadcast");
                assertThat(reply.getJMSCorrelationID()).isEqualTo(request.getJMSMessageID());
                assertThat(reply.getJMSDestination()).isEqualTo(replyTopic);
            }
        }
    }

    /**
     * The same exchange with the simplified API: JMSProducer sets JMSReplyTo and JMSCorrelationID, and an
     * application-chosen correlation id (which must not start with "ID:") is echoed back.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestReplyWithTheSimplifiedApi(Transport transport) {
        String service = BROKER.unique("service");
        try (JMSContext responder = BROKER.factory(transport).createContext();
             JMSContext requester = BROKER.factory(transport).createContext()) {
            responder.createConsumer(responder.createQueue(service)).setMessageListener(request -> {
                try {
                    Destination replyTo = request.getJMSReplyTo();
                    responder.createProducer().setJMSCorrelationID(request.getJMSCorrelationID())
                            .send(replyTo, "re: " + request.getBody(String.class));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Queue replyQueue = requester.createQueue(BROKER.unique("replies"));
            JMSConsumer replies = requester.createConsumer(replyQueue);
            requester.createProducer().setJMSReplyTo(replyQueue).setJMSCorrelationID("order-42")
                    .send(requester.createQueue(service), "status?");

            Message reply = replies.receive(WAIT_MS);
            assertThat(reply).isNotNull();
            assertThat(reply.getBody(String.class)).isEqualTo("re: status?");
            assertThat(reply.getJMSCorrelationID()).isEqualTo("order-42");
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }
}
