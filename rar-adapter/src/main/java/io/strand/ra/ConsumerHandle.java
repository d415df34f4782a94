package io.strand.ra;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A consumer of a {@link SessionHandle}: synchronous receives only, because a container forbids message
 * listeners outside message-driven beans (JMS 3.1 §12.2). Closing it forgets it in its session.
 */
final class ConsumerHandle implements MessageConsumer, QueueReceiver, TopicSubscriber {
    private final SessionHandle session;
    private final MessageConsumer physical;

    ConsumerHandle(SessionHandle session, MessageConsumer physical) {
        this.session = session;
        this.physical = physical;
    }

    static IllegalStateException listenerRefused(String method) {
        return new IllegalStateException(method + " may not be called in a Jakarta EE web or EJB container"
                + " (Jakarta Messaging 3.1 section 12.2); use a message-driven bean");
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        throw listenerRefused("MessageConsumer.getMessageListener");
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        throw listenerRefused("MessageConsumer.setMessageListener");
    }

    @Override public String getMessageSelector() throws JMSException { return physical.getMessageSelector(); }
    @Override public Message receive() throws JMSException { return physical.receive(); }
    @Override public Message receive(long timeoutMs) throws JMSException { return physical.receive(timeoutMs); }
    @Override public Message receiveNoWait() throws JMSException { return physical.receiveNoWait(); }
    @Override public Queue getQueue() throws JMSException { return ((QueueReceiver) physical).getQueue(); }
    @Override public Topic getTopic() throws JMSException { return ((TopicSubscriber) physical).getTopic(); }
    @Override public boolean getNoLocal() throws JMSException { return ((TopicSubscriber) physical).getNoLocal(); }

    @Override
    public void close() throws JMSException {
        session.forget(this);
        physical.close();
    }
}
