package io.strand.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A session made by {@code QueueConnection.createQueueSession}: limited to the point-to-point domain. The
 * QueueSession javadoc (JMS 3.1 §9.2) asks the Session methods of the publish/subscribe domain to throw
 * {@link IllegalStateException} here: topics, temporary topics, durable and shared subscriptions, unsubscribe.
 */
final class StrandQueueSession extends StrandSession {
    StrandQueueSession(StrandConnection connection, int acknowledgeMode) {
        super(connection, acknowledgeMode);
    }

    private IllegalStateException topicMethod(String method) throws IllegalStateException {
        checkOpen();
        return new IllegalStateException(method + " belongs to the publish/subscribe domain and may not be used"
                + " on a QueueSession; use a Session from createSession for both domains");
    }

    @Override
    public Topic createTopic(String topicName) throws IllegalStateException {
        throw topicMethod("createTopic");
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws IllegalStateException {
        throw topicMethod("createTemporaryTopic");
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws IllegalStateException {
        throw topicMethod("createDurableSubscriber");
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws IllegalStateException {
        throw topicMethod("createDurableSubscriber");
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws IllegalStateException {
        throw topicMethod("createDurableConsumer");
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws IllegalStateException {
        throw topicMethod("createDurableConsumer");
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName)
            throws IllegalStateException {
        throw topicMethod("createSharedConsumer");
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws IllegalStateException {
        throw topicMethod("createSharedConsumer");
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws IllegalStateException {
        throw topicMethod("createSharedDurableConsumer");
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws IllegalStateException {
        throw topicMethod("createSharedDurableConsumer");
    }

    @Override
    public void unsubscribe(String name) throws IllegalStateException {
        throw topicMethod("unsubscribe");
    }
}
