package io.strand.jms;

import io.strand.protocol.SubscriptionKind;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A consumer of a topic, durable or not, as the classic topic API names it. Also a
 * {@link QueueReceiver} in type only, so that queue sessions can return it once queues are supported.
 * Threading as {@link StrandMessageConsumer}.
 */
public class StrandTopicSubscriber extends StrandMessageConsumer implements TopicSubscriber, QueueReceiver {
    StrandTopicSubscriber(StrandSession session, StrandDestination destination, SubscriptionKind kind,
                          String subscriptionName, String selector, boolean noLocal) {
        super(session, destination, kind, subscriptionName, selector, noLocal);
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return destination() instanceof Topic t ? t : null;
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return isNoLocal();
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return destination() instanceof Queue q ? q : null;
    }
}
