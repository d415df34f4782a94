package io.strand.jms;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Topic;

/**
 * A topic: a log topic that each subscription reads with its own positions (DESIGN.md §3).
 *
 * <p>Immutable and thread-safe.
 */
public final class StrandTopic extends StrandDestination implements Topic {
    private static final long serialVersionUID = 1L;

    /**
     * @param name the topic name, 1 to {@value StrandDestination#MAX_NAME_LENGTH} characters of
     *             {@code [A-Za-z0-9._-]}
     * @throws InvalidDestinationException if the name breaks those rules
     */
    public StrandTopic(String name) throws InvalidDestinationException {
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
    public boolean isTemporary() {
        return false;
    }

    @Override
    protected String scheme() {
        return "topic";
    }
}
