package io.strand.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TemporaryQueue;

/**
 * A session made by {@code TopicConnection.createTopicSession}: limited to the publish/subscribe domain. The
 * TopicSession javadoc (JMS 3.1 §9.2) asks the Session methods of the point-to-point domain to throw
 * {@link IllegalStateException} here: queues, temporary queues and browsers.
 */
final class StrandTopicSession extends StrandSession {
    StrandTopicSession(StrandConnection connection, int acknowledgeMode) {
        super(connection, acknowledgeMode);
    }

    private IllegalStateException queueMethod(String method) throws IllegalStateException {
        checkOpen();
        return new IllegalStateException(method + " belongs to the point-to-point domain and may not be used"
                + " on a TopicSession; use a Session from createSession for both domains");
    }

    @Override
    public Queue createQueue(String queueName) throws IllegalStateException {
        throw queueMethod("createQueue");
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws IllegalStateException {
        throw queueMethod("createTemporaryQueue");
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws IllegalStateException {
        throw queueMethod("createBrowser");
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws IllegalStateException {
        throw queueMethod("createBrowser");
    }
}
