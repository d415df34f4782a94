package io.strand.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.TemporaryTopic;

/** A temporary topic: see {@link StrandTemporaryDestination}. It lives in broker memory only. */
public final class StrandTemporaryTopic extends StrandTemporaryDestination implements TemporaryTopic {
    private static final long serialVersionUID = 1L;

    /**
     * @param name the name the broker gave this temporary topic
     * @throws InvalidDestinationException if the name breaks the rules of {@link StrandDestination}
     */
    public StrandTemporaryTopic(String name) throws InvalidDestinationException {
        super(name);
    }

    @Override
    public String getTopicName() {
        return name();
    }

    @Override
    public boolean isQueue() {
        return false;
    }

    @Override
    protected String scheme() {
        return "temp-topic";
    }
}
