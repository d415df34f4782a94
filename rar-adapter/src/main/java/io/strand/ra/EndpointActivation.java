package io.strand.ra;

import io.strand.jms.StrandQueue;
import io.strand.jms.StrandTopic;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.XAConnection;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.TimeUnit;

/**
 * One message-driven bean's consumption: a connection to the broker and {@code sessionCount} delivery sessions
 * ({@link DeliveryWorker}), each running as a container work item.
 *
 * <p>States: connecting (first attempt, or waiting out a backoff delay after a failure), delivering, stopped. When
 * the connection fails (the provider's exception listener, or a worker's receive or commit failing) the workers are
 * told to stop, the connection is closed and a new one is attempted after {@link ReconnectBackoff#delayMs}, longer
 * after each failed attempt. Nothing is acknowledged outside a commit, so a message whose commit did not reach the
 * broker is delivered again after the reconnect, and one whose commit did is never delivered again.
 *
 * <p>Thread-safety: state changes happen under this object's lock; the timer thread, worker threads and the
 * provider's callback thread all go through it. {@link #stop()} returns only when no worker delivers any more,
 * as deactivation requires.
 */
final class EndpointActivation {
    private static final System.Logger LOG = System.getLogger(EndpointActivation.class.getName());
    /** The method whose deliveries the container may want transacted. */
    static final Method ON_MESSAGE;

    static {
        try {
            ON_MESSAGE = MessageListener.class.getMethod("onMessage", Message.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StrandResourceAdapter adapter;
    private final MessageEndpointFactory endpointFactory;
    private final StrandActivationSpec spec;
    private final String url;
    private final Credentials credentials;
    private final ReconnectBackoff backoff;
    private final String name;

    private Timer timer;
    private XAConnection connection;
    private final List<DeliveryWorker> workers = new ArrayList<>();
    private int failedAttempts;
    private boolean stopped;

    EndpointActivation(StrandResourceAdapter adapter, MessageEndpointFactory endpointFactory, StrandActivationSpec spec) {
        this.adapter = adapter;
        this.endpointFactory = endpointFactory;
        this.spec = spec;
        this.url = adapter.brokerUrlOf(spec);
        this.credentials = adapter.credentialsOf(spec);
        this.backoff = adapter.backoff();
        this.name = endpointFactory.getActivationName() + " on " + spec;
    }

    /** Connects in the background: a broker that is down does not stop the application from deploying. */
    synchronized void start() throws ResourceException {
        timer = adapter.bootstrap().createTimer();
        schedule(0);
    }

    private void schedule(long delayMs) {
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
                connect();
            }
        }, delayMs);
    }

    private synchronized void connect() {
        if (stopped) {
            return;
        }
        try {
            connection = PhysicalConnections.open(url, credentials);
            final String clientId = clientId();
            if (clientId != null) {
                connection.setClientID(clientId);
            }
            final XAConnection current = connection;
            connection.setExceptionListener(e -> connectionFailed(current, e));
            final boolean xa = endpointFactory.isDeliveryTransacted(ON_MESSAGE);
            for (int i = 0; i < spec.sessionCount(); i++) {
                workers.add(new DeliveryWorker(this, current, destination(), xa));
            }
            connection.start();
            final WorkManager workManager = adapter.bootstrap().getWorkManager();
            for (DeliveryWorker worker : workers) {
                workManager.scheduleWork(worker);
            }
            if (failedAttempts > 0) {
                LOG.log(System.Logger.Level.INFO, "{0}: connected to {1} again after {2} failed attempts", name, url,
                        failedAttempts);
            } else {
                LOG.log(System.Logger.Level.INFO, "{0}: delivering from {1} with {2} session(s)", name, url,
                        workers.size());
            }
            failedAttempts = 0;
        } catch (JMSException | ResourceException | NoSuchMethodException | RuntimeException e) {
            failedAttempts++;
            final long delayMs = backoff.delayMs(failedAttempts);
            LOG.log(System.Logger.Level.WARNING, "{0}: cannot consume from {1} (attempt {2}), next attempt in {3} ms: {4}",
                    name, url, failedAttempts, delayMs, e.getMessage());
            tearDown(false);
            schedule(delayMs);
        }
    }

    /** The client id of the subscribing connection: given, or derived for a durable subscription. */
    String clientId() {
        if (spec.getClientId() != null && !spec.getClientId().isBlank()) {
            return spec.getClientId().trim();
        }
        if (spec.isDurable()) {
            final String prefix = adapter.getClientIdPrefix() == null ? "" : adapter.getClientIdPrefix();
            return prefix + spec.getSubscriptionName().trim();
        }
        return null;
    }

    private Destination destination() throws JMSException {
        final String destinationName = spec.getDestination().trim();
        return spec.isTopic() ? new StrandTopic(destinationName) : new StrandQueue(destinationName);
    }

    /**
     * From the provider's exception listener or a worker whose session failed. The connection is closed on the
     * timer thread: the provider refuses a close from its own exception listener.
     */
    void connectionFailed(XAConnection failed, Exception cause) {
        synchronized (this) {
            if (stopped || failed != connection) {
                return;
            }
            for (DeliveryWorker worker : workers) {
                worker.release();
            }
            LOG.log(System.Logger.Level.WARNING, "{0}: connection to {1} lost: {2}", name, url, cause.getMessage());
            timer.schedule(new TimerTask() {
                @Override
                public void run() {
                    reconnectAfter(failed);
                }
            }, 0);
        }
    }

    private synchronized void reconnectAfter(XAConnection failed) {
        if (stopped || failed != connection) {
            return;
        }
        tearDown(false);
        failedAttempts = 1;
        final long delayMs = backoff.delayMs(failedAttempts);
        LOG.log(System.Logger.Level.INFO, "{0}: reconnecting to {1} in {2} ms", name, url, delayMs);
        schedule(delayMs);
    }

    /** Stops delivering: returns once no worker delivers, so the container may remove the endpoint. */
    void stop() {
        final List<DeliveryWorker> running;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (timer != null) {
                timer.cancel();
            }
            running = new ArrayList<>(workers);
            for (DeliveryWorker worker : running) {
                worker.release();
            }
        }
        // Outside the lock: a worker finishing a delivery may report a failure, which takes the lock.
        final long waitMs = spec.getReceiveTimeoutMs() + TimeUnit.SECONDS.toMillis(30);
        for (DeliveryWorker worker : running) {
            if (!worker.awaitFinished(waitMs)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: a delivery still runs after {1} ms; closing its session",
                        name, waitMs);
            }
        }
        synchronized (this) {
            tearDown(true);
        }
        LOG.log(System.Logger.Level.INFO, "{0}: stopped", name);
    }

    /** Tells the workers to stop and closes the connection; with {@code orderly} the workers are already done. */
    private void tearDown(boolean orderly) {
        assert Thread.holdsLock(this);
        for (DeliveryWorker worker : workers) {
            worker.release();
        }
        workers.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException | RuntimeException e) {
                LOG.log(orderly ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                        "{0}: closing the connection: {1}", name, e.toString());
            }
            connection = null;
        }
    }

    // ---- for workers -------------------------------------------------------------------------

    MessageEndpointFactory endpointFactory() {
        return endpointFactory;
    }

    StrandActivationSpec spec() {
        return spec;
    }

    String name() {
        return name;
    }
}
