package io.strand.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

/**
 * What temporary queues and topics share: a log owned by one connection and removed when that
 * connection closes (DESIGN.md §3), deleted only through the {@link StrandDestination.Deleter} that the
 * creating connection sets. A temporary destination that arrived in a message header (a
 * {@code JMSReplyTo}) has none, because only the owning connection may delete it. Thread-safe: the
 * deleter is published through a volatile field.
 */
public abstract class StrandTemporaryDestination extends StrandDestination {
    private static final long serialVersionUID = 1L;

    /** Set once by the owning connection; never serialized, so a deserialized copy cannot delete. */
    private transient volatile Deleter deleter;

    /**
     * @param name the name the broker gave this temporary destination
     * @throws InvalidDestinationException if the name breaks the rules of {@link StrandDestination}
     */
    protected StrandTemporaryDestination(String name) throws InvalidDestinationException {
        super(name);
    }

    /**
     * Lets the owning connection route {@code delete()} to itself.
     *
     * @param deleter the connection's deleter, not null
     */
    public void setDeleter(Deleter deleter) {
        if (deleter == null) {
            throw new NullPointerException("deleter");
        }
        this.deleter = deleter;
    }

    /** Deletes through the owning connection; {@code IllegalStateException} when this client does not own it. */
    public void delete() throws JMSException {
        final Deleter current = deleter;
        if (current == null) {
            throw new IllegalStateException((isQueue() ? "temporary queue " : "temporary topic ") + name()
                    + " cannot be deleted here: it is not owned by a connection of this client");
        }
        current.delete(this);
    }

    @Override
    public boolean isTemporary() {
        return true;
    }
}
