package io.strand.jms.message;

import jakarta.jms.JMSException;

/**
 * Where {@link StrandMessage#acknowledge()} goes: the session that delivered the message sets one on each
 * message it hands to the application. It lives in this package so that messages do not depend on the
 * session classes.
 *
 * <p>The session decides what acknowledging means for its mode: in {@code CLIENT_ACKNOWLEDGE} it
 * acknowledges every message the session has consumed so far; in transacted and auto modes it does
 * nothing, as the specification asks; on a closed session it throws
 * {@link jakarta.jms.IllegalStateException}.
 */
@FunctionalInterface
public interface MessageAcknowledger {
    /**
     * Acknowledges on behalf of a consumed message.
     *
     * @param message the message whose {@code acknowledge()} the application called
     * @throws JMSException if the session is closed or the acknowledgement fails
     */
    void acknowledge(StrandMessage message) throws JMSException;
}
