package io.strand.ra;

import static io.strand.ra.RuntimeExceptions.unchecked;
import static io.strand.ra.RuntimeExceptions.uncheckedRun;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;

/**
 * The JMSContext an application holds: a {@link ConnectionHandle} and its one {@link SessionHandle}, created on
 * first use so that it joins the container transaction in force then. The JMS 3.1 §12.2 rules are those of the
 * handles, as unchecked exceptions; {@code createContext} is refused too, since it would open a second session on
 * the connection.
 *
 * <p>Threading: one thread at a time, as any JMSContext; {@link #close()} from any thread.
 */
final class ContextHandle implements JMSContext {
    private final ConnectionHandle connection;
    private SessionHandle session;
    private MessageProducer producer;
    private boolean autoStart = true;

    ContextHandle(ConnectionHandle connection) {
        this.connection = connection;
    }

    /** The modes a JMSContext accepts; a container ignores which one (JMS 3.1 §12.3) but not a bad value. */
    static void checkSessionMode(int sessionMode) {
        switch (sessionMode) {
            case SESSION_TRANSACTED, AUTO_ACKNOWLEDGE, CLIENT_ACKNOWLEDGE, DUPS_OK_ACKNOWLEDGE -> { }
            default -> throw new JMSRuntimeException("session mode " + sessionMode + " is not AUTO_ACKNOWLEDGE (1),"
                    + " CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3) or SESSION_TRANSACTED (0)");
        }
    }

    synchronized SessionHandle session() {
        if (session == null) {
            session = unchecked(connection::openSession);
        }
        return session;
    }

    /** The context's one anonymous producer, shared by every JMSProducer it makes. */
    synchronized MessageProducer producer() {
        if (producer == null) {
            producer = unchecked(() -> session().createProducer(null));
        }
        return producer;
    }

    private static IllegalStateRuntimeException refused(String method) {
        return new IllegalStateRuntimeException(method + " may not be called in a Jakarta EE web or EJB container"
                + " (Jakarta Messaging 3.1 section 12.2)");
    }

    // ---- connection --------------------------------------------------------------------------

    @Override
    public JMSContext createContext(int sessionMode) {
        uncheckedRun(connection::checkOpen);
        throw refused("JMSContext.createContext");
    }

    @Override public String getClientID() { return unchecked(connection::getClientID); }
    @Override public ConnectionMetaData getMetaData() { return unchecked(connection::getMetaData); }
    @Override public ExceptionListener getExceptionListener() { return unchecked(connection::getExceptionListener); }

    @Override
    public void setClientID(String clientID) {
        uncheckedRun(connection::checkOpen);
        throw refused("JMSContext.setClientID");
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        uncheckedRun(connection::checkOpen);
        throw refused("JMSContext.setExceptionListener");
    }

    @Override
    public void stop() {
        uncheckedRun(connection::checkOpen);
        throw refused("JMSContext.stop");
    }

    @Override
    public void start() {
        uncheckedRun(connection::start);
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        uncheckedRun(connection::checkOpen);
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        uncheckedRun(connection::checkOpen);
        return autoStart;
    }

    @Override
    public void close() {
        uncheckedRun(connection::close);
    }

    // ---- session -----------------------------------------------------------------------------

    @Override public boolean getTransacted() { return unchecked(session()::getTransacted); }
    @Override public int getSessionMode() { return unchecked(session()::getAcknowledgeMode); }
    @Override public void commit() { uncheckedRun(session()::commit); }
    @Override public void rollback() { uncheckedRun(session()::rollback); }
    @Override public void recover() { uncheckedRun(session()::recover); }

    /** Only CLIENT_ACKNOWLEDGE needs this, and a container gives AUTO_ACKNOWLEDGE or a transaction. */
    @Override
    public void acknowledge() {
        uncheckedRun(connection::checkOpen);
    }

    @Override public BytesMessage createBytesMessage() { return unchecked(session()::createBytesMessage); }
    @Override public MapMessage createMapMessage() { return unchecked(session()::createMapMessage); }
    @Override public Message createMessage() { return unchecked(session()::createMessage); }
    @Override public ObjectMessage createObjectMessage() { return unchecked(session()::createObjectMessage); }
    @Override public ObjectMessage createObjectMessage(Serializable object) { return unchecked(() -> session().createObjectMessage(object)); }
    @Override public StreamMessage createStreamMessage() { return unchecked(session()::createStreamMessage); }
    @Override public TextMessage createTextMessage() { return unchecked(session()::createTextMessage); }
    @Override public TextMessage createTextMessage(String text) { return unchecked(() -> session().createTextMessage(text)); }

    @Override public Queue createQueue(String name) { return unchecked(() -> session().createQueue(name)); }
    @Override public Topic createTopic(String name) { return unchecked(() -> session().createTopic(name)); }
    @Override public TemporaryQueue createTemporaryQueue() { return unchecked(session()::createTemporaryQueue); }
    @Override public TemporaryTopic createTemporaryTopic() { return unchecked(session()::createTemporaryTopic); }
    @Override public void unsubscribe(String name) { uncheckedRun(() -> session().unsubscribe(name)); }

    // ---- producers and consumers -------------------------------------------------------------

    @Override
    public JMSProducer createProducer() {
        uncheckedRun(connection::checkOpen);
        return new ContextProducer(this);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return new ContextConsumer(unchecked(() -> session().createConsumer(destination)));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector) {
        return new ContextConsumer(unchecked(() -> session().createConsumer(destination, selector)));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector, boolean noLocal) {
        return new ContextConsumer(unchecked(() -> session().createConsumer(destination, selector, noLocal)));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name) {
        return new ContextConsumer(unchecked(() -> session().createSharedConsumer(topic, name)));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name, String selector) {
        return new ContextConsumer(unchecked(() -> session().createSharedConsumer(topic, name, selector)));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return new ContextConsumer(unchecked(() -> session().createDurableConsumer(topic, name)));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal) {
        return new ContextConsumer(unchecked(() -> session().createDurableConsumer(topic, name, selector, noLocal)));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return new ContextConsumer(unchecked(() -> session().createSharedDurableConsumer(topic, name)));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String selector) {
        return new ContextConsumer(unchecked(() -> session().createSharedDurableConsumer(topic, name, selector)));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return unchecked(() -> session().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) {
        return unchecked(() -> session().createBrowser(queue, selector));
    }
}
