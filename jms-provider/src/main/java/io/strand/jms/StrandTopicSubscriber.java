package io.strand.jms;

import io.strand.protocol.SubscriptionKind;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A consumer of a topic, durable or not, as the classic topic API names it; queues have
 * {@link StrandQueueReceiver}. Threading as {@link StrandMessageConsumer}.
 */
public class StrandTopicSubscriber extends StrandMessageConsumer implements TopicSubscriber {
    StrandTopicSubscriber(StrandSession session, StrandDestination destination, SubscriptionKind kind,
                          String subscriptionName, String selector, boolean noLocal) throws InvalidSelectorException {
        super(session, destination, kind, subscriptionName, selector, noLocal);
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return (Topic) destination();
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return isNoLocal();
    }
}
