package io.strand.ra;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;
import jakarta.jms.TransactionInProgressException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The session an application holds: a handle onto one of its managed connection's physical sessions, chosen
 * when it was created (the transacted one inside a container transaction). Closing it closes the producers,
 * consumers and browsers it made but leaves the physical session open for the next use of the pooled connection.
 *
 * <p>JMS 3.1 §12: inside a container transaction {@code commit}, {@code rollback} and {@code recover} are
 * refused (the container ends the transaction); message listeners and {@code run} are refused always.
 * Destinations the container handed out are translated to the provider's ({@link StrandDestinations}).
 *
 * <p>Threading: one thread at a time, as any session; {@link #close()} from any thread.
 */
final class SessionHandle implements Session, QueueSession, TopicSession {
    private final ConnectionHandle connection;
    private final Session physical;
    private final boolean inTransaction;
    private final List<AutoCloseable> children = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    SessionHandle(ConnectionHandle connection, Session physical, boolean inTransaction) {
        this.connection = connection;
        this.physical = physical;
        this.inTransaction = inTransaction;
    }

    private Session physical() throws JMSException {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        connection.checkOpen();
        return physical;
    }

    boolean isClosed() {
        return closed;
    }

    private <T extends AutoCloseable> T track(T child) {
        children.add(child);
        return child;
    }

    void forget(AutoCloseable child) {
        children.remove(child);
    }

    // ---- messages ----------------------------------------------------------------------------

    @Override public BytesMessage createBytesMessage() throws JMSException { return physical().createBytesMessage(); }
    @Override public MapMessage createMapMessage() throws JMSException { return physical().createMapMessage(); }
    @Override public Message createMessage() throws JMSException { return physical().createMessage(); }
    @Override public ObjectMessage createObjectMessage() throws JMSException { return physical().createObjectMessage(); }
    @Override public ObjectMessage createObjectMessage(Serializable object) throws JMSException { return physical().createObjectMessage(object); }
    @Override public StreamMessage createStreamMessage() throws JMSException { return physical().createStreamMessage(); }
    @Override public TextMessage createTextMessage() throws JMSException { return physical().createTextMessage(); }
    @Override public TextMessage createTextMessage(String text) throws JMSException { return physical().createTextMessage(text); }

    // ---- transactions ------------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        physical();
        return inTransaction;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        physical();
        return inTransaction ? SESSION_TRANSACTED : AUTO_ACKNOWLEDGE;
    }

    @Override
    public void commit() throws JMSException {
        physical();
        throw outsideApplicationControl("commit");
    }

    @Override
    public void rollback() throws JMSException {
        physical();
        throw outsideApplicationControl("rollback");
    }

    private JMSException outsideApplicationControl(String what) {
        return inTransaction
                ? new TransactionInProgressException(what + " is refused inside a container transaction: the"
                        + " container commits or rolls back (Jakarta Messaging 3.1 section 12.3)")
                : new IllegalStateException(what + " is refused: the session is not transacted, and a Jakarta EE"
                        + " container permits no local transactions (Jakarta Messaging 3.1 section 12.3)");
    }

    @Override
    public void recover() throws JMSException {
        final Session s = physical();
        if (inTransaction) {
            throw new IllegalStateException("recover is refused inside a container transaction");
        }
        s.recover();
    }

    // ---- refused in a container --------------------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        physical();
        throw new IllegalStateException("Session.getMessageListener may not be called in a Jakarta EE web or EJB"
                + " container (Jakarta Messaging 3.1 section 12.2)");
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        physical();
        throw new IllegalStateException("Session.setMessageListener may not be called in a Jakarta EE web or EJB"
                + " container (Jakarta Messaging 3.1 section 12.2); use a message-driven bean");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("Session.run may not be called in a Jakarta EE web or EJB container"
                + " (Jakarta Messaging 3.1 section 12.2)");
    }

    // ---- producers, consumers, browsers ------------------------------------------------------

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        return track(new ProducerHandle(this, physical().createProducer(StrandDestinations.toStrand(destination))));
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    private ConsumerHandle consumer(MessageConsumer consumer) {
        return track(new ConsumerHandle(this, consumer));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return consumer(physical().createConsumer(StrandDestinations.toStrand(destination)));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector) throws JMSException {
        return consumer(physical().createConsumer(StrandDestinations.toStrand(destination), selector));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String selector, boolean noLocal) throws JMSException {
        return consumer(physical().createConsumer(StrandDestinations.toStrand(destination), selector, noLocal));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name) throws JMSException {
        return consumer(physical().createSharedConsumer(StrandDestinations.toStrand(topic), name));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name, String selector) throws JMSException {
        return consumer(physical().createSharedConsumer(StrandDestinations.toStrand(topic), name, selector));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return consumer(physical().createDurableSubscriber(StrandDestinations.toStrand(topic), name));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        return consumer(physical().createDurableSubscriber(StrandDestinations.toStrand(topic), name, selector, noLocal));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return consumer(physical().createDurableConsumer(StrandDestinations.toStrand(topic), name));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        return consumer(physical().createDurableConsumer(StrandDestinations.toStrand(topic), name, selector, noLocal));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return consumer(physical().createSharedDurableConsumer(StrandDestinations.toStrand(topic), name));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String selector) throws JMSException {
        return consumer(physical().createSharedDurableConsumer(StrandDestinations.toStrand(topic), name, selector));
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String selector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, selector);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String selector, boolean noLocal) throws JMSException {
        return (TopicSubscriber) createConsumer(topic, selector, noLocal);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return track(physical().createBrowser(StrandDestinations.toStrand(queue)));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) throws JMSException {
        return track(physical().createBrowser(StrandDestinations.toStrand(queue), selector));
    }

    // ---- destinations ------------------------------------------------------------------------

    @Override public Queue createQueue(String name) throws JMSException { return physical().createQueue(name); }
    @Override public Topic createTopic(String name) throws JMSException { return physical().createTopic(name); }
    @Override public TemporaryQueue createTemporaryQueue() throws JMSException { return physical().createTemporaryQueue(); }
    @Override public TemporaryTopic createTemporaryTopic() throws JMSException { return physical().createTemporaryTopic(); }
    @Override public void unsubscribe(String name) throws JMSException { physical().unsubscribe(name); }

    // ---- close -------------------------------------------------------------------------------

    /** Closes what this handle made; the physical session stays open for the pooled connection. */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        JMSException first = null;
        for (AutoCloseable child : children) {
            try {
                child.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                first = first == null ? new JMSException(e.toString()) : first;
            }
        }
        children.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "SessionHandle[" + (inTransaction ? "in container transaction" : "auto-acknowledge")
                + (closed ? ", closed" : "") + "]";
    }
}
