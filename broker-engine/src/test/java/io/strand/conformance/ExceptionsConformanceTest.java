package io.strand.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Jakarta Messaging 3.1 §10.3, standard exceptions: for each case where the specification says an
 * exception "must be" thrown, a misuse that triggers it, through the classic API (checked exceptions) and
 * the simplified API (their unchecked twins).
 */
class ExceptionsConformanceTest {
    @RegisterExtension
    static final ConformanceBroker BROKER = new ConformanceBroker("exceptions");

    /** A queue implemented elsewhere: a destination Strand does not understand. */
    private static final Queue FOREIGN_QUEUE = () -> "their.queue";

    /**
     * InvalidDestinationException must be thrown when a destination is not understood by the provider or
     * no longer valid: null, another provider's destination, a name Strand cannot use, an unknown
     * durable subscription.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void invalidDestinations(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport, "clientId=" + BROKER.unique("idclient"))
                .createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer unidentified = session.createProducer(null);
            Message message = session.createMessage();

            assertThatThrownBy(() -> session.createConsumer(null)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> session.createConsumer(FOREIGN_QUEUE)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> session.createProducer(FOREIGN_QUEUE)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> session.createDurableConsumer(null, "sub"))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> unidentified.send(null, message)).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> unidentified.send(FOREIGN_QUEUE, message))
                    .isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> session.createQueue("no spaces or slashes/")).isInstanceOf(InvalidDestinationException.class);
            assertThatThrownBy(() -> session.createTopic("")).isInstanceOf(InvalidDestinationException.class);
            // Session.unsubscribe: an invalid subscription name.
            assertThatThrownBy(() -> session.unsubscribe("never-subscribed")).isInstanceOf(InvalidDestinationException.class);
        }
    }

    /** The simplified API throws InvalidDestinationRuntimeException for the same cases. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void invalidDestinationsInTheSimplifiedApi(Transport transport) {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            JMSProducer producer = context.createProducer();

            assertThatThrownBy(() -> context.createConsumer(null)).isInstanceOf(InvalidDestinationRuntimeException.class);
            assertThatThrownBy(() -> context.createConsumer(FOREIGN_QUEUE))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
            assertThatThrownBy(() -> producer.send(null, "body")).isInstanceOf(InvalidDestinationRuntimeException.class);
            assertThatThrownBy(() -> context.createQueue("no spaces or slashes/"))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
        }
    }

    /**
     * MessageFormatException must be thrown for an unsupported data type or a read as the wrong type
     * (StreamMessage.writeObject with an unsupported class, readShort of a boolean, the example §10.3
     * gives), for equivalent property errors, and for a message a provider cannot accept; a string that
     * does not parse as a number throws NumberFormatException instead.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void messageFormatErrors(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            StreamMessage stream = session.createStreamMessage();
            assertThatThrownBy(() -> stream.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
            stream.writeBoolean(true);
            stream.writeString("x1");
            stream.reset();
            assertThatThrownBy(stream::readShort).isInstanceOf(MessageFormatException.class);
            stream.readBoolean();
            assertThatThrownBy(stream::readShort).isInstanceOf(NumberFormatException.class);

            Message message = session.createMessage();
            assertThatThrownBy(() -> message.setObjectProperty("p", new StringBuilder())).isInstanceOf(MessageFormatException.class);
            message.setBooleanProperty("flag", true);
            assertThatThrownBy(() -> message.getIntProperty("flag")).isInstanceOf(MessageFormatException.class);

            MessageProducer producer = session.createProducer(session.createQueue(BROKER.unique("format")));
            assertThatThrownBy(() -> producer.send(null)).isInstanceOf(MessageFormatException.class);
        }
    }

    /** The simplified API throws MessageFormatRuntimeException for the same kinds of error. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void messageFormatErrorsInTheSimplifiedApi(Transport transport) {
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            JMSProducer producer = context.createProducer();
            Queue queue = context.createQueue(BROKER.unique("format"));

            assertThatThrownBy(() -> producer.setProperty("p", new Object())).isInstanceOf(MessageFormatRuntimeException.class);
            producer.setProperty("flag", true);
            assertThatThrownBy(() -> producer.getIntProperty("flag")).isInstanceOf(MessageFormatRuntimeException.class);
            assertThatThrownBy(() -> producer.send(queue, (Message) null)).isInstanceOf(MessageFormatRuntimeException.class);
        }
    }

    /**
     * MessageNotReadableException, MessageNotWriteableException and MessageEOFException must be thrown on
     * reading a write-only body, writing a read-only body or properties, and reading past the end.
     */
    @Test
    void bodyAndPropertyStateErrors() throws Exception {
        TextMessage received = (TextMessage) BROKER.roundTrip(Transport.VM, s -> s.createTextMessage("read-only"));
        assertThatThrownBy(() -> received.setText("x")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setIntProperty("p", 1)).isInstanceOf(MessageNotWriteableException.class);

        try (Connection connection = BROKER.factory(Transport.VM).createConnection()) {
            BytesMessage bytes = connection.createSession().createBytesMessage();
            bytes.writeByte((byte) 1);
            assertThatThrownBy(bytes::readByte).isInstanceOf(MessageNotReadableException.class);
            bytes.reset();
            assertThatThrownBy(() -> bytes.writeByte((byte) 2)).isInstanceOf(MessageNotWriteableException.class);
            bytes.readByte();
            assertThatThrownBy(bytes::readByte).isInstanceOf(MessageEOFException.class);

            StreamMessage stream = connection.createSession().createStreamMessage();
            assertThatThrownBy(stream::readInt).isInstanceOf(MessageNotReadableException.class);
            stream.reset();
            assertThatThrownBy(stream::readInt).isInstanceOf(MessageEOFException.class);
        }
    }

    /** IllegalStateException must be thrown by commit or rollback on a session that is not transacted. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void commitAndRollbackOfANonTransactedSession(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            assertThatThrownBy(session::commit).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(session::rollback).isInstanceOf(IllegalStateException.class);
        }
        try (JMSContext context = BROKER.factory(transport).createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            assertThatThrownBy(context::commit).isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(context::rollback).isInstanceOf(IllegalStateRuntimeException.class);
        }
    }

    /**
     * §6.1.2: a client id is set right after the connection is created and before anything else, and
     * never over one set administratively; otherwise IllegalStateException.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientIdSetAtTheWrongTime(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            connection.createSession().close();
            assertThatThrownBy(() -> connection.setClientID(BROKER.unique("late")))
                    .isInstanceOf(IllegalStateException.class);
        }
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            connection.setClientID(BROKER.unique("once"));
            assertThatThrownBy(() -> connection.setClientID(BROKER.unique("twice")))
                    .isInstanceOf(IllegalStateException.class);
        }
        String administered = BROKER.unique("administered");
        try (Connection connection = BROKER.factory(transport, "clientId=" + administered).createConnection()) {
            assertThat(connection.getClientID()).isEqualTo(administered);
            assertThatThrownBy(() -> connection.setClientID(BROKER.unique("override")))
                    .isInstanceOf(IllegalStateException.class);
        }
        try (JMSContext context = BROKER.factory(transport).createContext()) {
            context.createConsumer(context.createTopic(BROKER.unique("used")));
            assertThatThrownBy(() -> context.setClientID(BROKER.unique("late")))
                    .isInstanceOf(IllegalStateRuntimeException.class);
        }
    }

    /**
     * InvalidClientIDException must be thrown when the provider rejects a client id: here one already in
     * use by another connection (§6.1.2: a client id is in use by one client at a time), or an empty one.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientIdsInUseAreRejected(Transport transport) throws Exception {
        String clientId = BROKER.unique("taken");
        try (Connection first = BROKER.factory(transport).createConnection()) {
            first.setClientID(clientId);
            try (Connection second = BROKER.factory(transport).createConnection()) {
                assertThatThrownBy(() -> second.setClientID(clientId)).isInstanceOf(InvalidClientIDException.class);
                assertThatThrownBy(() -> second.setClientID("")).isInstanceOf(InvalidClientIDException.class);
            }
            try (JMSContext context = BROKER.factory(transport).createContext()) {
                assertThatThrownBy(() -> context.setClientID(clientId)).isInstanceOf(InvalidClientIDRuntimeException.class);
            }
            assertThatThrownBy(() -> BROKER.factory(transport, "clientId=" + clientId).createConnection())
                    .isInstanceOf(InvalidClientIDException.class);
        }
        try (Connection afterwards = BROKER.factory(transport).createConnection()) {
            afterwards.setClientID(clientId);
            assertThat(afterwards.getClientID()).as("free again once its connection closed").isEqualTo(clientId);
        }
    }

    /** §6.1.2 and §8.3.3: an unshared durable subscription needs a client id. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDurableSubscriptionWithoutAClientIdIsRefused(Transport transport) throws Exception {
        try (Connection connection = BROKER.factory(transport).createConnection()) {
            Session session = connection.createSession();
            Topic topic = session.createTopic(BROKER.unique("durable"));
            assertThatThrownBy(() -> session.createDurableConsumer(topic, "sub")).isInstanceOf(IllegalStateException.class);
        }
    }
}
