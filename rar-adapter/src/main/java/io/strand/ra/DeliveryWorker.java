package io.strand.ra;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.work.Work;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;

/**
 * One delivery session of an {@link EndpointActivation}. When the bean's deliveries are transacted (a
 * container-managed transaction), each delivery runs in a container transaction that the session's XA resource joins
 * ({@link #deliverInTransaction()}). Otherwise it receives a message, hands it to a message endpoint, then
 * commits the session's local transaction, or rolls it back when the endpoint threw. A rollback makes the broker
 * deliver the message again with a higher delivery count, and after the broker's maximum it goes to the
 * dead-letter queue, so a message that always fails ends there instead of looping.
 *
 * <p>The session is transacted whatever the acknowledge mode: the acknowledgement of a message is then part of
 * the commit that follows its successful delivery, which both Auto-acknowledge and Dups-ok-acknowledge allow.
 *
 * <p>Runs on one container thread ({@link #run()}); {@link #release()} from any thread asks it to stop after the
 * delivery in progress.
 */
final class DeliveryWorker implements Work {
    private static final System.Logger LOG = System.getLogger(DeliveryWorker.class.getName());
    /** Wait after the container said the endpoint is unavailable (application still deploying). */
    private static final long UNAVAILABLE_RETRY_MS = 500;

    private final EndpointActivation activation;
    private final XAConnection connection;
    private final Session session;
    /** The XA resource of the session when deliveries run in the container's transactions, else null. */
    private final XAResource xaResource;
    private final MessageConsumer consumer;
    private final long receiveTimeoutMs;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean released;

    /** @param xa whether deliveries run in the container's XA transactions */
    DeliveryWorker(EndpointActivation activation, XAConnection connection, Destination destination, boolean xa)
            throws JMSException {
        this.activation = activation;
        this.connection = connection;
        this.receiveTimeoutMs = activation.spec().getReceiveTimeoutMs();
        if (xa) {
            final XASession xaSession = connection.createXASession();
            this.session = xaSession;
            this.xaResource = xaSession.getXAResource();
        } else {
            this.session = connection.createSession(Session.SESSION_TRANSACTED);
            this.xaResource = null;
        }
        this.consumer = createConsumer(activation.spec(), destination);
    }

    private MessageConsumer createConsumer(StrandActivationSpec spec, Destination destination) throws JMSException {
        final String selector = spec.getMessageSelector();
        if (spec.isDurable()) {
            return session.createDurableConsumer((Topic) destination, spec.getSubscriptionName().trim(), selector, false);
        }
        return session.createConsumer(destination, selector);
    }

    @Override
    public void run() {
        try {
            while (!released) {
                if (xaResource != null) {
                    deliverInTransaction();
                } else {
                    final Message message = consumer.receive(receiveTimeoutMs);
                    if (message != null && !released) {
                        deliver(message);
                    } else if (message != null) {
                        session.rollback();
                    }
                }
            }
        } catch (JMSException | ResourceException | NoSuchMethodException | RuntimeException e) {
            if (!released) {
                activation.connectionFailed(connection, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
    }

    /** Delivers one message in the session's transaction: committed when the endpoint returns, else rolled back. */
    private void deliver(Message message) throws JMSException, InterruptedException {
        final MessageEndpoint endpoint;
        try {
            endpoint = activation.endpointFactory().createEndpoint(null);
        } catch (UnavailableException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: endpoint unavailable, retrying: {1}", activation.name(), e.toString());
            session.rollback();
            Thread.sleep(UNAVAILABLE_RETRY_MS);
            return;
        }
        boolean delivered = false;
        try {
            ((MessageListener) endpoint).onMessage(message);
            delivered = true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: message {1} failed and will be delivered again (delivery {2}): {3}",
                    activation.name(), message.getJMSMessageID(), deliveryCount(message), e.toString());
        } finally {
            endpoint.release();
        }
        if (delivered) {
            session.commit();
        } else {
            session.rollback();
        }
    }

    /**
     * One XA delivery: the container starts a transaction and enlists the session's XA resource
     * ({@code beforeDelivery}), the message is received and handed to the endpoint inside it, and the container
     * commits or rolls back ({@code afterDelivery}); the receive, the endpoint's work and the acknowledgement commit
     * together. A wait that brings no message ends an empty transaction.
     */
    private void deliverInTransaction() throws JMSException, ResourceException, NoSuchMethodException,
            InterruptedException {
        final MessageEndpoint endpoint;
        try {
            endpoint = activation.endpointFactory().createEndpoint(xaResource);
        } catch (UnavailableException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: endpoint unavailable, retrying: {1}", activation.name(), e.toString());
            Thread.sleep(UNAVAILABLE_RETRY_MS);
            return;
        }
        try {
            endpoint.beforeDelivery(EndpointActivation.ON_MESSAGE);
            try {
                final Message message = consumer.receive(receiveTimeoutMs);
                if (message != null) {
                    try {
                        ((MessageListener) endpoint).onMessage(message);
                    } catch (RuntimeException e) {
                        // The container has marked the transaction for rollback; afterDelivery rolls it back.
                        LOG.log(System.Logger.Level.WARNING, "{0}: message {1} failed and will be delivered again"
                                + " (delivery {2}): {3}", activation.name(), message.getJMSMessageID(),
                                deliveryCount(message), e.toString());
                    }
                }
            } finally {
                completeDelivery(endpoint);
            }
        } finally {
            endpoint.release();
        }
    }

    /**
     * Lets the container end the delivery's transaction. A container reports a bean's failure from here too (as
     * an EJBException after its rollback), and a commit that failed leaves the message to come again: neither
     * means the connection is gone, which the next receive finds out if it is.
     */
    private void completeDelivery(MessageEndpoint endpoint) {
        try {
            endpoint.afterDelivery();
        } catch (ResourceException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: the delivery's transaction ended with: {1}", activation.name(),
                    e.toString());
        }
    }

    private static String deliveryCount(Message message) {
        try {
            return String.valueOf(message.getIntProperty("JMSXDeliveryCount"));
        } catch (JMSException | RuntimeException e) {
            return "?";
        }
    }

    /** Asks the worker to stop after the delivery in progress; the activation closes the session with the connection. */
    @Override
    public void release() {
        released = true;
    }

    /** @return whether the worker stopped within the time */
    boolean awaitFinished(long timeoutMs) {
        try {
            return finished.await(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
