package io.strand.jms;

import io.strand.jms.client.Acknowledgements;
import io.strand.jms.client.ConnectionLostException;
import io.strand.jms.client.ConsumerCore;
import io.strand.jms.client.Delivery;
import io.strand.jms.message.StrandBytesMessage;
import io.strand.jms.message.StrandMapMessage;
import io.strand.jms.message.StrandMessage;
import io.strand.jms.message.StrandObjectMessage;
import io.strand.jms.message.StrandStreamMessage;
import io.strand.jms.message.StrandTextMessage;
import io.strand.protocol.ApiKey;
import io.strand.protocol.Consumers;
import io.strand.protocol.SubscriptionKind;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
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
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session (JMS 3.1 §6.2): a factory of messages, producers and consumers, and the unit of
 * acknowledgement, of local transactions and of serial delivery. AUTO, CLIENT and DUPS_OK acknowledgement
 * and transacted sessions ({@link SessionTransaction}) are supported. Topics, queue receivers, queue
 * browsers and temporary destinations are supported; shared subscriptions answer "not supported yet".
 * Sessions made by {@code createQueueSession} and {@code createTopicSession} are limited to their domain
 * ({@link StrandQueueSession}, {@link StrandTopicSession}).
 *
 * <p>Threading: as the specification says, a session is used by one thread at a time, except
 * {@link #close()}, which any thread may call. Message listeners run on the session's own
 * {@link SessionDispatcher} thread; completion listeners on the connection's callback thread.
 */
public class StrandSession implements TopicSession, QueueSession {
    private final StrandConnection connection;
    /** This session's number on its connection, sent with each consumer it opens. */
    private final int number;
    private final int acknowledgeMode;
    private final SessionAcknowledgement acknowledgement;
    private final SessionDispatcher dispatcher;
    /** The open local transaction of a transacted session; null when the session is not transacted. */
    private final SessionTransaction transaction;
    private final List<StrandMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<StrandMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final List<StrandQueueBrowser> browsers = new CopyOnWriteArrayList<>();
    private final AsyncSends asyncSends = new AsyncSends();
    /** Queue receivers closed while this CLIENT session may still acknowledge what they delivered. */
    private final HeldConsumers heldConsumers;
    /** Set when close begins: consumers closed by it need not stay held for a later acknowledge. */
    private volatile boolean closing;
    private volatile boolean closed;

    StrandSession(StrandConnection connection, int acknowledgeMode) {
        this.connection = connection;
        this.number = connection.nextSessionNumber();
        this.acknowledgeMode = acknowledgeMode;
        // DUPS_OK may lose the duplicate-free guarantee in exchange for fewer requests: send lazily.
        final long ackDelayMs = acknowledgeMode == DUPS_OK_ACKNOWLEDGE ? 100 : 0;
        this.acknowledgement = new SessionAcknowledgement(this::acknowledgeModeUnchecked,
                new Acknowledgements(connection.cluster()::execute, connection.cluster()::schedule, ackDelayMs),
                connection.options().requestTimeoutMs());
        this.dispatcher = new SessionDispatcher("strand-session-" + System.identityHashCode(this), this::listenerConsumers);
        this.transaction = acknowledgeMode == SESSION_TRANSACTED
                ? new SessionTransaction(connection, acknowledgement.acknowledgements()) : null;
        this.heldConsumers = new HeldConsumers(acknowledgement.acknowledgements(), connection.options().requestTimeoutMs());
    }

    // ---- state --------------------------------------------------------------------------------

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        connection.checkOpen();
    }

    StrandConnection connection() {
        return connection;
    }

    int number() {
        return number;
    }

    Acknowledgements acknowledgements() {
        return acknowledgement.acknowledgements();
    }

    SessionDispatcher dispatcher() {
        return dispatcher;
    }

    HeldConsumers heldConsumers() {
        return heldConsumers;
    }

    /** @return whether close has begun (or ended) */
    boolean isClosing() {
        return closing || closed;
    }

    /** @return where sends go now: the open transaction, or null when sends go straight to the broker */
    StagingTransaction stagingTransaction() {
        return transaction;
    }

    /**
     * A consumer is being closed: if messages it delivered belong to an open transaction, it stays open on the
     * broker, detached from the application, until that transaction ends, so that its commit can still
     * acknowledge them.
     *
     * @return whether the consumer was kept for the transaction (then the caller must not close it)
     */
    boolean keepOpenForTransaction(ConsumerCore core) {
        if (transaction != null && transaction.holdsDeliveriesOf(core.consumerId())) {
            transaction.closeAtEnd(core);
            return true;
        }
        return false;
    }

    AsyncSends asyncSends() {
        return asyncSends;
    }

    boolean isListenerThread() {
        return dispatcher.isDispatcherThread();
    }

    private List<StrandMessageConsumer> listenerConsumers() {
        final List<StrandMessageConsumer> withListener = new ArrayList<>();
        for (StrandMessageConsumer c : consumers) {
            if (c.hasListener()) {
                withListener.add(c);
            }
        }
        return withListener;
    }

    void start() {
        for (StrandMessageConsumer c : consumers) {
            c.core().start();
        }
        dispatcher.wake();
    }

    /** Stops delivery, waits for the listener in progress, and makes sure AUTO acknowledgements reached the broker. */
    void stop() throws JMSException {
        pauseDelivery();
        acknowledgement.flush();
    }

    /** The connection failed for good (no broker before the failover deadline). */
    void connectionLost(ConnectionLostException cause) {
        for (StrandMessageConsumer c : consumers) {
            c.core().connectionLost(cause); // receives throw, blocked ones at once, rather than wait forever
        }
    }

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return transaction != null;
    }

    /** The acknowledge mode the session's deliveries follow now. */
    int acknowledgeModeUnchecked() {
        return acknowledgeMode;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return acknowledgeMode;
    }

    // ---- messages -----------------------------------------------------------------------------

    @Override public Message createMessage() throws JMSException { checkOpen(); return new StrandMessage(); }
    @Override public BytesMessage createBytesMessage() throws JMSException { checkOpen(); return new StrandBytesMessage(); }
    @Override public MapMessage createMapMessage() throws JMSException { checkOpen(); return new StrandMapMessage(); }
    @Override public StreamMessage createStreamMessage() throws JMSException { checkOpen(); return new StrandStreamMessage(); }
    @Override public TextMessage createTextMessage() throws JMSException { checkOpen(); return new StrandTextMessage(); }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen();
        return new StrandTextMessage(text);
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new StrandObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen();
        final StrandObjectMessage m = new StrandObjectMessage();
        m.setObject(object);
        return m;
    }

    // ---- destinations -------------------------------------------------------------------------

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        return new StrandQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        return new StrandTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        return (TemporaryQueue) connection.createTemporary(true);
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        return (TemporaryTopic) connection.createTemporary(false);
    }

    /** Whether a consumer of this session reads {@code destination}. */
    boolean hasConsumerOn(StrandDestination destination) {
        for (StrandMessageConsumer c : consumers) {
            if (c.destination().equals(destination)) {
                return true;
            }
        }
        return false;
    }

    /** @return the destination as a Strand destination, or an InvalidDestinationException */
    static StrandDestination strand(Destination destination, boolean nullAllowed) throws InvalidDestinationException {
        if (destination == null) {
            if (nullAllowed) {
                return null;
            }
            throw new InvalidDestinationException("destination must not be null");
        }
        if (!(destination instanceof StrandDestination d)) {
            throw new InvalidDestinationException("destination " + destination + " is a "
                    + destination.getClass().getName() + ", not a Strand destination; create it with createTopic/createQueue");
        }
        return d;
    }

    // ---- producers ----------------------------------------------------------------------------

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        final StrandMessageProducer producer = new StrandMessageProducer(this, strand(destination, true));
        producers.add(producer);
        return producer;
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    void removeProducer(StrandMessageProducer producer) {
        producers.remove(producer);
    }

    // ---- consumers ----------------------------------------------------------------------------

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        final StrandDestination d = strand(destination, false);
        if (d.isQueue()) {
            // noLocal is for topics only (JMS 3.1 §8.3.1): a queue receiver gets what anyone sent.
            return openConsumer(d, SubscriptionKind.QUEUE, null, messageSelector, false);
        }
        return openConsumer(d, SubscriptionKind.NON_DURABLE, null, messageSelector, noLocal);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return createSubscriber(topic, null, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal) throws JMSException {
        return (TopicSubscriber) createConsumer(topic, messageSelector, noLocal);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        final StrandDestination d = strand(topic, false);
        if (d.isQueue()) {
            throw new InvalidDestinationException("a durable subscription needs a topic, not " + d);
        }
        if (name == null || name.isEmpty()) {
            throw new JMSException("durable subscription name must not be null or empty");
        }
        if (connection.getClientID() == null) {
            throw new IllegalStateException("a durable subscription needs a client id: set one on the connection"
                    + " (setClientID or the clientId URL option) before creating '" + name + "'");
        }
        for (StrandMessageConsumer c : consumers) {
            if (name.equals(c.subscriptionName())) {
                throw new JMSException("durable subscription '" + name + "' already has an active consumer in this session");
            }
        }
        return (TopicSubscriber) openConsumer(d, SubscriptionKind.DURABLE, name, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return createDurableSubscriber(topic, name, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        return openShared(topic, sharedSubscriptionName, messageSelector, SubscriptionKind.SHARED);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        return openShared(topic, name, messageSelector, SubscriptionKind.SHARED_DURABLE);
    }

    /**
     * A consumer of a shared subscription (JMS 3.1 §8.3.2, §8.3.4): the broker hands each message of the
     * subscription to one of its consumers, on any connection, and the client acknowledges message by
     * message as on a queue. The name is scoped by the client id when one is set, else global.
     */
    private MessageConsumer openShared(Topic topic, String name, String messageSelector, SubscriptionKind kind)
            throws JMSException {
        checkOpen();
        final StrandDestination d = strand(topic, false);
        if (d.isQueue()) {
            throw new InvalidDestinationException("a shared subscription needs a topic, not " + d);
        }
        if (name == null || name.isEmpty()) {
            throw new JMSException("shared subscription name must not be null or empty");
        }
        return openConsumer(d, kind, name, messageSelector, false);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, messageSelector);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkOpen();
        final StrandDestination d = strand(queue, false);
        final StrandQueueBrowser browser = new StrandQueueBrowser(this, d,
                messageSelector == null || messageSelector.isBlank() ? null : messageSelector);
        browser.open();
        browsers.add(browser);
        return browser;
    }

    void removeBrowser(StrandQueueBrowser browser) {
        browsers.remove(browser);
    }

    private StrandMessageConsumer openConsumer(StrandDestination d, SubscriptionKind kind, String subscription,
                                               String selector, boolean noLocal) throws JMSException {
        final String sel = selector == null || selector.isBlank() ? null : selector;
        final StrandMessageConsumer consumer = kind == SubscriptionKind.QUEUE
                ? new StrandQueueReceiver(this, d, sel)
                : new StrandTopicSubscriber(this, d, kind, subscription, sel, noLocal);
        consumer.open(); // throws InvalidSelectorException, InvalidDestinationException... from the broker
        consumers.add(consumer);
        if (connection.isStarted()) { // else start() starts it; starting twice (a race with start()) is harmless
            consumer.core().start();
        }
        return consumer;
    }

    void removeConsumer(StrandMessageConsumer consumer) {
        consumers.remove(consumer);
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        for (StrandMessageConsumer c : consumers) {
            if (name != null && name.equals(c.subscriptionName())) {
                throw new IllegalStateException("durable subscription '" + name + "' has an open consumer; close it first");
            }
        }
        final Consumers.UnsubscribeRequest request = new Consumers.UnsubscribeRequest(name);
        JmsExceptions.await(connection.cluster().sendForStatus(ApiKey.UNSUBSCRIBE, request::writeTo),
                connection.options().callTimeoutMs(), "unsubscribing durable subscription '" + name + "'");
    }

    // ---- acknowledgement ----------------------------------------------------------------------

    void beforeDelivery(Delivery delivery) {
        acknowledgement.beforeDelivery(delivery, this);
    }

    void afterDelivery(Delivery delivery) {
        acknowledgement.afterDelivery(delivery);
    }

    boolean takeRecoveredDuringDelivery() {
        return acknowledgement.takeRecoveredDuringDelivery();
    }

    /** Acknowledges every message this session has delivered so far (CLIENT mode; JMSContext.acknowledge). */
    void acknowledgeAll() throws JMSException {
        checkOpen();
        acknowledgement.acknowledgeAll();
        heldConsumers.closeAll(); // what they held is acknowledged now
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (acknowledgeModeUnchecked() == SESSION_TRANSACTED) {
            throw new IllegalStateException("recover() is not for transacted sessions; rollback() redelivers what the"
                    + " transaction received");
        }
        withDeliveryPaused(onListenerThread -> acknowledgement.recover(this::consumerById, onListenerThread));
        heldConsumers.closeAll(); // a closed consumer's messages go back to the queue, for any consumer
    }

    /** Something that redelivers messages, told whether it runs inside onMessage. */
    @FunctionalInterface
    private interface RedeliveryStep {
        void run(boolean onListenerThread) throws JMSException;
    }

    /** Runs a redelivery with delivery paused; inside onMessage the dispatcher delivers nothing else meanwhile anyway. */
    private void withDeliveryPaused(RedeliveryStep step) throws JMSException {
        final boolean onListenerThread = dispatcher.isDispatcherThread();
        if (!onListenerThread) {
            pauseDelivery();
        }
        step.run(onListenerThread);
        if (!onListenerThread && connection.isStarted()) {
            start();
        }
    }

    /** Redelivers messages a transaction received: after a rollback, or a commit the broker refused. */
    void redeliver(List<Delivery> deliveries) throws JMSException {
        withDeliveryPaused(onListenerThread -> acknowledgement.redeliver(deliveries, this::consumerById,
                onListenerThread));
    }

    private void pauseDelivery() {
        for (StrandMessageConsumer c : consumers) {
            c.core().buffer().setStarted(false);
        }
        dispatcher.awaitIdle();
    }

    private StrandMessageConsumer consumerById(int id) {
        for (StrandMessageConsumer c : consumers) {
            if (c.core().consumerId() == id) {
                return c;
            }
        }
        return null;
    }

    @Override
    public void commit() throws JMSException {
        checkTransacted("commit");
        transaction.commit(this::redeliver);
    }

    @Override
    public void rollback() throws JMSException {
        checkTransacted("rollback");
        transaction.rollback(this::redeliver);
    }

    /** Checks that commit or rollback may run now, and waits until every asynchronous send has completed. */
    private void checkTransacted(String what) throws JMSException {
        checkOpen();
        if (transaction == null) {
            throw new IllegalStateException(what + "() is only for transacted sessions; this one is not transacted");
        }
        if (connection.callbacks().isCurrentThread()) {
            throw new IllegalStateException("a CompletionListener may not call " + what + "() on its own session");
        }
        // JMS 3.1: commit and rollback wait until incomplete sends have completed and their listeners returned.
        asyncSends.awaitAll(connection.options().callTimeoutMs());
    }

    // ---- close --------------------------------------------------------------------------------

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (dispatcher.isDispatcherThread()) {
            throw new IllegalStateException("a MessageListener may not close its own session");
        }
        if (connection.callbacks().isCurrentThread()) {
            throw new IllegalStateException("a CompletionListener may not close its own session");
        }
        closing = true;
        pauseDelivery();
        endTransactionOnClose();
        JMSException first = null;
        for (StrandMessageProducer p : producers) {
            try {
                p.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        for (StrandMessageConsumer c : consumers) {
            try {
                c.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            }
        }
        for (StrandQueueBrowser b : browsers) {
            b.close();
        }
        try {
            heldConsumers.closeAll();
        } catch (JMSException e) {
            first = first == null ? e : first;
        }
        closed = true;
        dispatcher.close();
        connection.removeSession(this);
        if (first != null && !connection.cluster().isFailed()) {
            throw first;
        }
    }

    /** As the session closes: closing a transacted session rolls its transaction back (JMS 3.1 §6.2.7). */
    void endTransactionOnClose() {
        if (transaction != null) {
            transaction.abandon();
        }
    }

    boolean isClosed() {
        return closed;
    }

    // ---- application server facilities --------------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw JmsExceptions.notYetSupported("session message listeners (application server facility)");
    }

    @Override
    public void run() {
        // Only meaningful with a session message listener, which is not supported.
    }
}
