package io.strand.itests.app;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSConnectionFactoryDefinition;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.resource.AdministeredObjectDefinition;
import jakarta.resource.ConnectionFactoryDefinition;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends through the adapter's connection factory inside the container transaction of each call (REQUIRED by
 * default): what it sent is delivered when the call commits, and not at all when it rolls back.
 */
@ConnectionFactoryDefinition(name = "java:app/jms/strand", interfaceName = "jakarta.jms.ConnectionFactory",
        resourceAdapter = "strand-ra", transactionSupport = TransactionSupportLevel.XATransaction)
@ConnectionFactoryDefinition(name = "java:app/jms/strand-local", interfaceName = "jakarta.jms.ConnectionFactory",
        resourceAdapter = "strand-ra", transactionSupport = TransactionSupportLevel.LocalTransaction)
@JMSConnectionFactoryDefinition(name = "java:app/jms/strand-jms", interfaceName = "jakarta.jms.ConnectionFactory",
        resourceAdapter = "strand-ra")
@AdministeredObjectDefinition(name = "java:app/jms/inbox", resourceAdapter = "strand-ra",
        className = "io.strand.ra.QueueAdministeredObject", interfaceName = "jakarta.jms.Queue",
        properties = "name=inbox")
@Stateless
public class Sender {
    @Resource(lookup = "java:app/jms/strand")
    private ConnectionFactory factory;

    @Resource(lookup = "java:app/jms/strand-local")
    private ConnectionFactory localFactory;

    /** The container's own JMSContext (JMS 3.1 §12.4), made from a factory defined on the adapter. */
    @Inject
    @JMSConnectionFactory("java:app/jms/strand-jms")
    private JMSContext injected;

    @Resource(lookup = "java:app/jms/inbox")
    private Queue inbox;

    @Resource
    private SessionContext ejb;

    /**
     * Sends through the classic API; with {@code rollback} the transaction is marked for rollback afterwards. With
     * {@code local} the connection comes from the factory whose pool takes part through a local transaction
     * instead of XA.
     */
    public void send(String destination, boolean topic, String text, boolean rollback, boolean local)
            throws JMSException {
        try (Connection connection = (local ? localFactory : factory).createConnection()) {
            final Session session = connection.createSession();
            final Destination target = topic ? session.createTopic(destination) : session.createQueue(destination);
            session.createProducer(target).send(session.createTextMessage(text));
        }
        if (rollback) {
            ejb.setRollbackOnly();
        }
    }

    /** Sends through the simplified API. */
    public void sendWithContext(String queue, String text) {
        try (JMSContext context = factory.createContext()) {
            context.createProducer().setProperty("via", "context").send(context.createQueue(queue), text);
        }
    }

    /** Sends through the injected JMSContext, in this call's transaction. */
    public void sendWithInjectedContext(String queue, String text) {
        injected.createProducer().send(injected.createQueue(queue), text);
    }

    /** Sends to the queue defined as an administered object of the adapter. */
    public void sendToAdministeredQueue(String text) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            final Session session = connection.createSession();
            final MessageProducer producer = session.createProducer(inbox);
            producer.send(session.createTextMessage(text));
        }
    }

    /** Calls what JMS 3.1 §12.2 forbids in a container and lists the exception each one threw. */
    public List<String> forbiddenCalls() throws JMSException {
        final List<String> outcomes = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            outcomes.add(outcome("setClientID", () -> connection.setClientID("x")));
            outcomes.add(outcome("setExceptionListener", () -> connection.setExceptionListener(e -> { })));
            outcomes.add(outcome("stop", connection::stop));
            final Session session = connection.createSession();
            outcomes.add(outcome("secondSession", connection::createSession));
            outcomes.add(outcome("setMessageListener", () -> session.createConsumer(session.createQueue("rules"))
                    .setMessageListener(m -> { })));
            outcomes.add(outcome("commit", session::commit));
        }
        return outcomes;
    }

    private interface JmsCall {
        void call() throws JMSException;
    }

    private static String outcome(String name, JmsCall call) {
        try {
            call.call();
            return name + "=allowed";
        } catch (JMSException | RuntimeException e) {
            return name + "=" + e.getClass().getSimpleName();
        }
    }
}
