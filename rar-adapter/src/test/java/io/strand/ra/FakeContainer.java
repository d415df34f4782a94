package io.strand.ra;

import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.resource.ResourceException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Timer;
import java.util.function.Consumer;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The least of a container an inbound test needs: a work manager that runs each work item on a thread of its
 * own, timers, and endpoint factories whose endpoints hand each message to a callback, without a transaction or
 * in a one-branch XA transaction of their own.
 */
final class FakeContainer implements BootstrapContext, WorkManager {

    @Override
    public WorkManager getWorkManager() {
        return this;
    }

    @Override
    public XATerminator getXATerminator() {
        throw new UnsupportedOperationException("the fake container has no XATerminator");
    }

    @Override
    public Timer createTimer() {
        return new Timer("fake-container-timer", true);
    }

    @Override
    public boolean isContextSupported(Class<? extends WorkContext> workContextClass) {
        return false;
    }

    @Override
    public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
        return null;
    }

    @Override
    public void scheduleWork(Work work) {
        final Thread thread = new Thread(work, "fake-container-work");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void scheduleWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduleWork(work);
    }

    @Override
    public void doWork(Work work) {
        work.run();
    }

    @Override
    public void doWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        work.run();
    }

    @Override
    public long startWork(Work work) {
        scheduleWork(work);
        return 0;
    }

    @Override
    public long startWork(Work work, long startTimeout, ExecutionContext context, WorkListener listener) {
        scheduleWork(work);
        return 0;
    }

    /** An endpoint factory for a bean whose onMessage is the callback; endpoints are not transacted. */
    static MessageEndpointFactory endpoints(String name, Consumer<Message> onMessage) {
        return new MessageEndpointFactory() {
            @Override
            public MessageEndpoint createEndpoint(XAResource xaResource) throws UnavailableException {
                return new CallbackEndpoint(onMessage);
            }

            @Override
            public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) throws UnavailableException {
                return createEndpoint(xaResource);
            }

            @Override
            public boolean isDeliveryTransacted(Method method) {
                return false;
            }

            @Override
            public String getActivationName() {
                return name;
            }

            @Override
            public Class<?> getEndpointClass() {
                return CallbackEndpoint.class;
            }
        };
    }

    /**
     * An endpoint factory for a bean with container-managed transactions: each delivery is a transaction branch of
     * the given XA resource, committed in one phase, or rolled back when onMessage threw.
     */
    static MessageEndpointFactory transactedEndpoints(String name, Consumer<Message> onMessage) {
        return new MessageEndpointFactory() {
            @Override
            public MessageEndpoint createEndpoint(XAResource xaResource) {
                return new TransactedEndpoint(xaResource, onMessage);
            }

            @Override
            public MessageEndpoint createEndpoint(XAResource xaResource, long timeout) {
                return createEndpoint(xaResource);
            }

            @Override
            public boolean isDeliveryTransacted(Method method) {
                return true;
            }

            @Override
            public String getActivationName() {
                return name;
            }

            @Override
            public Class<?> getEndpointClass() {
                return TransactedEndpoint.class;
            }
        };
    }

    private static final class TransactedEndpoint implements MessageEndpoint, MessageListener {
        private static final AtomicInteger LAST_ID = new AtomicInteger();
        private final XAResource resource;
        private final Consumer<Message> onMessage;
        private Xid xid;
        private boolean rollbackOnly;

        TransactedEndpoint(XAResource resource, Consumer<Message> onMessage) {
            this.resource = resource;
            this.onMessage = onMessage;
        }

        @Override
        public void beforeDelivery(Method method) throws ResourceException {
            xid = new TestXid(LAST_ID.incrementAndGet());
            rollbackOnly = false;
            try {
                resource.start(xid, XAResource.TMNOFLAGS);
            } catch (XAException e) {
                throw new ResourceException(e);
            }
        }

        @Override
        public void onMessage(Message message) {
            try {
                onMessage.accept(message);
            } catch (RuntimeException e) {
                rollbackOnly = true;
                throw e;
            }
        }

        @Override
        public void afterDelivery() throws ResourceException {
            try {
                resource.end(xid, rollbackOnly ? XAResource.TMFAIL : XAResource.TMSUCCESS);
                if (rollbackOnly) {
                    resource.rollback(xid);
                } else {
                    resource.commit(xid, true);
                }
            } catch (XAException e) {
                throw new ResourceException(e);
            }
        }

        @Override
        public void release() {
        }
    }

    private record TestXid(int id) implements Xid {
        @Override public int getFormatId() { return 0x5354; }
        @Override public byte[] getGlobalTransactionId() { return ("fake-" + id).getBytes(StandardCharsets.UTF_8); }
        @Override public byte[] getBranchQualifier() { return new byte[] {1}; }
    }

    private record CallbackEndpoint(Consumer<Message> onMessage) implements MessageEndpoint, MessageListener {
        @Override
        public void onMessage(Message message) {
            onMessage.accept(message);
        }

        @Override
        public void beforeDelivery(Method method) {
        }

        @Override
        public void afterDelivery() {
        }

        @Override
        public void release() {
        }
    }
}
