package io.strand.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The simplified API's consumer (JMS 3.1 §8.5): a {@link StrandMessageConsumer} whose checked
 * exceptions become their unchecked twins. Threading as the consumer it wraps.
 */
public class StrandJMSConsumer implements JMSConsumer {
    private final StrandMessageConsumer consumer;

    StrandJMSConsumer(StrandMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws JMSException;
    }

    private static <T> T unchecked(Call<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    @Override public String getMessageSelector() { return unchecked(consumer::getMessageSelector); }
    @Override public MessageListener getMessageListener() { return unchecked(consumer::getMessageListener); }
    @Override public Message receive() { return unchecked(consumer::receive); }
    @Override public Message receive(long timeout) { return unchecked(() -> consumer.receive(timeout)); }
    @Override public Message receiveNoWait() { return unchecked(consumer::receiveNoWait); }

    @Override
    public void setMessageListener(MessageListener listener) {
        unchecked(() -> {
            consumer.setMessageListener(listener);
            return null;
        });
    }

    @Override
    public void close() {
        unchecked(() -> {
            consumer.close();
            return null;
        });
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return body(0, c);
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return body(timeout <= 0 ? 0 : timeout, c);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return body(-1, c);
    }

    private <T> T body(long timeoutMs, Class<T> c) {
        return unchecked(() -> {
            final Message m = consumer.receiveForBody(timeoutMs, c);
            return m == null ? null : m.getBody(c);
        });
    }
}
