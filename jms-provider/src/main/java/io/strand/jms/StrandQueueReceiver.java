package io.strand.jms;

import io.strand.protocol.SubscriptionKind;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;

/**
 * A receiver on a queue, as the classic queue API names it: one of the queue's competing consumers,
 * which acquires records from the queue's share group and accepts or releases each one (DESIGN.md §3).
 * Threading as {@link StrandMessageConsumer}.
 */
public class StrandQueueReceiver extends StrandMessageConsumer implements QueueReceiver {
    StrandQueueReceiver(StrandSession session, StrandDestination queue, String selector) throws InvalidSelectorException {
        super(session, queue, SubscriptionKind.QUEUE, null, selector, false);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return (Queue) destination();
    }
}
