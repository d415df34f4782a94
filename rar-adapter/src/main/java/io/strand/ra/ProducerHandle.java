package io.strand.ra;

import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

/**
 * A producer of a {@link SessionHandle}: the physical producer, with the destinations the application passes
 * translated to the provider's. Closing it forgets it in its session.
 */
final class ProducerHandle implements MessageProducer, QueueSender, TopicPublisher {
    private final SessionHandle session;
    private final MessageProducer physical;

    ProducerHandle(SessionHandle session, MessageProducer physical) {
        this.session = session;
        this.physical = physical;
    }

    private static Destination strand(Destination destination) throws JMSException {
        return StrandDestinations.toStrand(destination);
    }

    @Override public void setDisableMessageID(boolean value) throws JMSException { physical.setDisableMessageID(value); }
    @Override public boolean getDisableMessageID() throws JMSException { return physical.getDisableMessageID(); }
    @Override public void setDisableMessageTimestamp(boolean value) throws JMSException { physical.setDisableMessageTimestamp(value); }
    @Override public boolean getDisableMessageTimestamp() throws JMSException { return physical.getDisableMessageTimestamp(); }
    @Override public void setDeliveryMode(int deliveryMode) throws JMSException { physical.setDeliveryMode(deliveryMode); }
    @Override public int getDeliveryMode() throws JMSException { return physical.getDeliveryMode(); }
    @Override public void setPriority(int priority) throws JMSException { physical.setPriority(priority); }
    @Override public int getPriority() throws JMSException { return physical.getPriority(); }
    @Override public void setTimeToLive(long timeToLive) throws JMSException { physical.setTimeToLive(timeToLive); }
    @Override public long getTimeToLive() throws JMSException { return physical.getTimeToLive(); }
    @Override public void setDeliveryDelay(long deliveryDelay) throws JMSException { physical.setDeliveryDelay(deliveryDelay); }
    @Override public long getDeliveryDelay() throws JMSException { return physical.getDeliveryDelay(); }
    @Override public Destination getDestination() throws JMSException { return physical.getDestination(); }
    @Override public Queue getQueue() throws JMSException { return (Queue) physical.getDestination(); }
    @Override public Topic getTopic() throws JMSException { return (Topic) physical.getDestination(); }

    @Override
    public void close() throws JMSException {
        session.forget(this);
        physical.close();
    }

    @Override
    public void send(Message message) throws JMSException {
        physical.send(message);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        physical.send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        physical.send(strand(destination), message);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        physical.send(strand(destination), message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, CompletionListener listener) throws JMSException {
        physical.send(message, listener);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive, CompletionListener listener)
            throws JMSException {
        physical.send(message, deliveryMode, priority, timeToLive, listener);
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener listener) throws JMSException {
        physical.send(strand(destination), message, listener);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive,
                     CompletionListener listener) throws JMSException {
        physical.send(strand(destination), message, deliveryMode, priority, timeToLive, listener);
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send((Destination) queue, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(topic, message, deliveryMode, priority, timeToLive);
    }
}
