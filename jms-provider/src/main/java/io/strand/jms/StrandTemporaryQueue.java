package io.strand.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.TemporaryQueue;

/** A temporary queue: see {@link StrandTemporaryDestination}. It lives in broker memory only. */
public final class StrandTemporaryQueue extends StrandTemporaryDestination implements TemporaryQueue {
    private static final long serialVersionUID = 1L;

    /**
     * @param name the name the broker gave this temporary queue
     * @throws InvalidDestinationException if the name breaks the rules of {@link StrandDestination}
     */
    public StrandTemporaryQueue(String name) throws InvalidDestinationException {
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
    protected String scheme() {
        return "temp-queue";
    }
}
