package io.strand.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/**
 * A temporary queue: a log owned by one connection and removed when that connection closes
 * (DESIGN.md §3). It lives in broker memory only.
 *
 * <p>{@link #delete()} goes through the {@link StrandDestination.Deleter} that the creating connection
 * sets; a temporary queue that arrived in a message header (a {@code JMSReplyTo}) has none, because only
 * the owning connection may delete it. Thread-safe: the deleter is published through a volatile field.
 */
public final class StrandTemporaryQueue extends StrandDestination implements TemporaryQueue {
    private static final long serialVersionUID = 1L;

    /** Set once by the owning connection; never serialized, so a deserialized copy cannot delete. */
    private transient volatile Deleter deleter;

    /**
     * @param name the name the broker gave this temporary queue
     * @throws InvalidDestinationException if the name breaks the rules of {@link StrandDestination}
     */
    public StrandTemporaryQueue(String name) throws InvalidDestinationException {
        super(name);
    }

    /**
     * Lets the owning connection route {@link #delete()} to itself.
     *
     * @param deleter the connection's deleter, not null
     */
    public void setDeleter(Deleter deleter) {
        if (deleter == null) {
            throw new NullPointerException("deleter");
        }
        this.deleter = deleter;
    }

    @Override
    public String getQueueName() {
        return name();
    }

    @Override
    public void delete() throws JMSException {
        final Deleter current = deleter;
        if (current == null) {
            throw new IllegalStateException("temporary queue " + name()
                    + " cannot be deleted here: it is not owned by a connection of this client");
        }
        current.delete(this);
    }

    @Override
    public boolean isQueue() {
        return true;
    }

    @Override
    public boolean isTemporary() {
        return true;
    }

    @Override
    protected String scheme() {
        return "temp-queue";
    }
}
