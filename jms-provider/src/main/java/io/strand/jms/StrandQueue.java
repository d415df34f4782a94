package io.strand.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Queue;

/**
 * A queue: a log topic consumed through its own share group, so that competing consumers each get
 * different messages and acknowledge them one by one (DESIGN.md §3).
 *
 * <p>Immutable and thread-safe.
 */
public final class StrandQueue extends StrandDestination implements Queue {
    private static final long serialVersionUID = 1L;

    /**
     * @param name the queue name, 1 to {@value StrandDestination#MAX_NAME_LENGTH} characters of
     *             {@code [A-Za-z0-9._-]}
     * @throws InvalidDestinationException if the name breaks those rules
     */
    public StrandQueue(String name) throws InvalidDestinationException {
        super(name);
    }

    @Override
    public String getQueueName() {
        return name();
    }

    @Override
    public boolean isQueue() {
        return true;
    }

    @Override
    public boolean isTemporary() {
        return false;
    }

    @Override
    protected String scheme() {
        return "queue";
    }
}
