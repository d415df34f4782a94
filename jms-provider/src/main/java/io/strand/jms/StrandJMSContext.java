package io.strand.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;

/**
 * The simplified API (JMS 3.1 §6.1.6): a connection and one session in one object. The session is
 * created on first use, so that {@link #setClientID} still works right after the context is created;
 * consumers start the connection when auto-start is on (the default). Contexts made with
 * {@link #createContext(int)} share this context's connection, which closes with the last of them.
 *
 * <p>Threading: like a session, used by one thread at a time, except {@link #close()}.
 */
public class StrandJMSContext implements JMSContext {
    private final SharedConnection shared;
    private final int sessionMode;
    private StrandSession session;
    private StrandMessageProducer producer;
    private volatile boolean autoStart = true;
    private volatile boolean closed;

    StrandJMSContext(SharedConnection shared, int sessionMode) {
        if (sessionMode != SESSION_TRANSACTED && sessionMode != AUTO_ACKNOWLEDGE && sessionMode != CLIENT_ACKNOWLEDGE && sessionMode != DUPS_OK_ACKNOWLEDGE) {
            throw new jakarta.jms.JMSRuntimeException("session mode " + sessionMode + " is not AUTO_ACKNOWLEDGE (1),"
                    + " CLIENT_ACKNOWLEDGE (2), DUPS_OK_ACKNOWLEDGE (3) or SESSION_TRANSACTED (0)");
        }
        this.shared = shared;
        this.sessionMode = sessionMode;
    }

    @FunctionalInterface
    interface Call<T> {
        T call() throws JMSException;
    }

    static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("JMSContext is closed");
        }
    }

    private StrandConnection connection() {
        checkOpen();
        return shared.connection();
    }

    /** The context's session, created on first use. */
    synchronized StrandSession session() {
        checkOpen();
        if (session == null) {
            session = unchecked(this::openSession);
        }
        return session;
    }

    /** Creates the context's session on first use. */
    StrandSession openSession() throws JMSException {
        return shared.connection().createStrandSession(sessionMode);
    }

    /** The connection this context shares, for subclasses. */
    SharedConnection sharedConnection() {
        return shared;
    }

    /** The unidentified producer that every JMSProducer of this context sends through. */
    synchronized StrandMessageProducer producer() {
        if (producer == null) {
            producer = (StrandMessageProducer) unchecked(() -> session().createProducer(null));
        }
        return producer;
    }

    @Override
    public JMSContext createContext(int mode) {
        checkOpen();
        return new StrandJMSContext(unchecked(shared::retain), mode);
    }

    @Override
    public JMSProducer createProducer() {
        checkOpen();
        return new StrandJMSProducer(this);
    }

    // ---- connection ---------------------------------------------------------------------------

    @Override public String getClientID() { return unchecked(connection()::getClientID); }
    @Override public ConnectionMetaData getMetaData() { return unchecked(connection()::getMetaData); }
    @Override public ExceptionListener getExceptionListener() { return unchecked(connection()::getExceptionListener); }
    @Override public void setAutoStart(boolean autoStart) { checkOpen(); this.autoStart = autoStart; }
    @Override public boolean getAutoStart() { checkOpen(); return autoStart; }

    @Override
    public void setClientID(String clientID) {
        unchecked(() -> {
            connection().setClientID(clientID);
            return null;
        });
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        unchecked(() -> {
            connection().setExceptionListener(listener);
            return null;
        });
    }

    @Override
    public void start() {
        unchecked(() -> {
            connection().start();
            return null;
        });
    }

    @Override
    public void stop() {
        unchecked(() -> {
            connection().stop();
            return null;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        unchecked(() -> {
            final StrandSession s;
            synchronized (this) {
                s = session;
            }
            if (s != null) {
                s.close(); // throws IllegalStateException from this context's own listeners
            } else {
                shared.connection().checkNotInCallback("close");
            }
            closed = true;
            shared.release();
            return null;
        });
    }

    // ---- messages -----------------------------------------------------------------------------

    @Override public Message createMessage() { return unchecked(session()::createMessage); }
    @Override public BytesMessage createBytesMessage() { return unchecked(session()::createBytesMessage); }
    @Override public MapMessage createMapMessage() { return unchecked(session()::createMapMessage); }
    @Override public ObjectMessage createObjectMessage() { return unchecked(session()::createObjectMessage); }
    @Override public ObjectMessage createObjectMessage(Serializable o) { return unchecked(() -> session().createObjectMessage(o)); }
    @Override public StreamMessage createStreamMessage() { return unchecked(session()::createStreamMessage); }
    @Override public TextMessage createTextMessage() { return unchecked(session()::createTextMessage); }
    @Override public TextMessage createTextMessage(String text) { return unchecked(() -> session().createTextMessage(text)); }

    // ---- session ------------------------------------------------------------------------------

    @Override public boolean getTransacted() { checkOpen(); return sessionMode == SESSION_TRANSACTED; }
    @Override public int getSessionMode() { checkOpen(); return sessionMode; }

    /** A context that is not transacted refuses with IllegalStateRuntimeException, as its session does. */
    @Override
    public void commit() {
        unchecked(() -> {
            session().commit();
            return null;
        });
    }

    @Override
    public void rollback() {
        unchecked(() -> {
            session().rollback();
            return null;
        });
    }

    @Override
    public void recover() {
        unchecked(() -> {
            session().recover();
            return null;
        });
    }

    @Override
    public void acknowledge() {
        unchecked(() -> {
            final StrandSession s = session();
            s.checkOpen();
            if (sessionMode == Session.CLIENT_ACKNOWLEDGE) {
                s.acknowledgeAll();
            }
            return null;
        });
    }

    @Override public Queue createQueue(String name) { return unchecked(() -> session().createQueue(name)); }
    @Override public Topic createTopic(String name) { return unchecked(() -> session().createTopic(name)); }
    @Override public TemporaryQueue createTemporaryQueue() { return unchecked(session()::createTemporaryQueue); }
    @Override public TemporaryTopic createTemporaryTopic() { return unchecked(session()::createTemporaryTopic); }
    @Override public QueueBrowser createBrowser(Queue queue) { return unchecked(() -> session().createBrowser(queue)); }
    @Override public QueueBrowser createBrowser(Queue queue, String selector) { return unchecked(() -> session().createBrowser(queue, selector)); }

    @Override
    public void unsubscribe(String name) {
        unchecked(() -> {
            session().unsubscribe(name);
            return null;
        });
    }

    // ---- consumers ----------------------------------------------------------------------------

    private JMSConsumer consumer(Call<jakarta.jms.MessageConsumer> create) {
        final StrandMessageConsumer consumer = (StrandMessageConsumer) unchecked(create);
        if (autoStart) {
            start();
        }
        return new StrandJMSConsumer(consumer);
    }

    @Override public JMSConsumer createConsumer(Destination d) { return consumer(() -> session().createConsumer(d)); }
    @Override public JMSConsumer createConsumer(Destination d, String sel) { return consumer(() -> session().createConsumer(d, sel)); }
    @Override public JMSConsumer createConsumer(Destination d, String sel, boolean noLocal) { return consumer(() -> session().createConsumer(d, sel, noLocal)); }
    @Override public JMSConsumer createDurableConsumer(Topic t, String name) { return consumer(() -> session().createDurableConsumer(t, name)); }
    @Override public JMSConsumer createDurableConsumer(Topic t, String name, String sel, boolean noLocal) { return consumer(() -> session().createDurableConsumer(t, name, sel, noLocal)); }
    @Override public JMSConsumer createSharedConsumer(Topic t, String name) { return consumer(() -> session().createSharedConsumer(t, name)); }
    @Override public JMSConsumer createSharedConsumer(Topic t, String name, String sel) { return consumer(() -> session().createSharedConsumer(t, name, sel)); }
    @Override public JMSConsumer createSharedDurableConsumer(Topic t, String name) { return consumer(() -> session().createSharedDurableConsumer(t, name)); }
    @Override public JMSConsumer createSharedDurableConsumer(Topic t, String name, String sel) { return consumer(() -> session().createSharedDurableConsumer(t, name, sel)); }
}
