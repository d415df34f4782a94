package io.strand.jms;

import io.strand.jms.client.BrowseStream;
import io.strand.jms.message.StrandMessage;
import io.strand.protocol.Consumers;
import io.strand.protocol.DestinationType;
import io.strand.protocol.SubscriptionKind;
import io.strand.selector.MessageSelector;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * A queue browser (JMS 3.1 §4.9): each {@link #getEnumeration()} is a fresh look at the queue — the
 * messages it holds at that moment that match the selector, in queue order, taking none of them. The
 * enumeration fetches from the broker as it is read ({@link BrowseStream}); closing the browser ends
 * every enumeration it gave out.
 *
 * <p>Threading: like its session, used by one thread at a time; close may come from any thread.
 */
final class StrandQueueBrowser implements QueueBrowser {
    private final StrandSession session;
    private final StrandDestination queue;
    private final String selector;
    private final List<BrowseStream> streams = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    StrandQueueBrowser(StrandSession session, StrandDestination queue, String selector) {
        this.session = session;
        this.queue = queue;
        this.selector = selector;
    }

    /** Checks the selector and that the queue exists (creating it if allowed), as creating a receiver would. */
    void open() throws JMSException {
        if (selector != null) {
            MessageSelector.parse(selector);
        }
        final StrandConnection connection = session.connection();
        JmsExceptions.await(connection.metadata().partitions(DestinationType.QUEUE, queue.name()),
                connection.options().callTimeoutMs(), "browsing " + queue);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return (Queue) queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen();
        final StrandConnection connection = session.connection();
        final BrowseStream stream = new BrowseStream(JmsExceptions.await(connection.cluster().usableWire(),
                connection.options().callTimeoutMs(), "browsing " + queue), connection.format(), connection.codec(),
                connection.nextConsumerId(), queue, connection.options().prefetch());
        final Consumers.OpenRequest request = new Consumers.OpenRequest(0, DestinationType.QUEUE, queue.name(),
                SubscriptionKind.BROWSER, null, selector, false, 0, session.number());
        JmsExceptions.await(stream.open(request), connection.options().requestTimeoutMs(), "browsing " + queue);
        streams.add(stream);
        return new Enumeration<Message>() {
            private StrandMessage next;
            private boolean over;

            @Override
            public boolean hasMoreElements() {
                if (next == null && !over && !closed) {
                    try {
                        next = stream.next(connection.options().requestTimeoutMs());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new JMSRuntimeException("interrupted while browsing " + queue);
                    } catch (TimeoutException e) {
                        throw new JMSRuntimeException(e.getMessage());
                    }
                    if (next == null) {
                        over = true;
                        streams.remove(stream);
                        stream.close();
                    }
                }
                return next != null && !closed;
            }

            @Override
            public Message nextElement() {
                if (!hasMoreElements()) {
                    throw new NoSuchElementException("the browse of " + queue + " has no more messages");
                }
                final Message message = next;
                next = null;
                return message;
            }
        };
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("queue browser is closed");
        }
        session.checkOpen();
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        for (BrowseStream stream : streams) {
            stream.close();
        }
        streams.clear();
        session.removeBrowser(this);
    }
}
