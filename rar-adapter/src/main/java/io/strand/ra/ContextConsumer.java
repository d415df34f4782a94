package io.strand.ra;

import static io.strand.ra.RuntimeExceptions.unchecked;
import static io.strand.ra.RuntimeExceptions.uncheckedRun;

import jakarta.jms.JMSConsumer;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;

/** A JMSConsumer of a {@link ContextHandle}: its classic consumer handle with unchecked exceptions. */
final class ContextConsumer implements JMSConsumer {
    private final MessageConsumer consumer;

    ContextConsumer(MessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override public String getMessageSelector() { return unchecked(consumer::getMessageSelector); }
    @Override public MessageListener getMessageListener() { return unchecked(consumer::getMessageListener); }
    @Override public void setMessageListener(MessageListener listener) { uncheckedRun(() -> consumer.setMessageListener(listener)); }
    @Override public Message receive() { return unchecked(() -> consumer.receive()); }
    @Override public Message receive(long timeoutMs) { return unchecked(() -> consumer.receive(timeoutMs)); }
    @Override public Message receiveNoWait() { return unchecked(consumer::receiveNoWait); }
    @Override public void close() { uncheckedRun(consumer::close); }

    @Override
    public <T> T receiveBody(Class<T> type) {
        return body(unchecked(() -> consumer.receive()), type);
    }

    @Override
    public <T> T receiveBody(Class<T> type, long timeoutMs) {
        return body(unchecked(() -> consumer.receive(timeoutMs)), type);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> type) {
        return body(unchecked(consumer::receiveNoWait), type);
    }

    private static <T> T body(Message message, Class<T> type) {
        return message == null ? null : unchecked(() -> message.getBody(type));
    }
}
