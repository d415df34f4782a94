package io.strand.itests.app;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Answers each request of the queue {@code requests} with a reply of the same text on the queue {@code replies},
 * sent through the adapter's connection factory in the XA transaction that also consumes the request: the reply and
 * the acknowledgement commit together or not at all. Every delivery is recorded under {@code requests}, with
 * {@code " redelivered"} appended when the broker marked it so, whether its transaction commits or not.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "strand-ra"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "requests"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")
})
public class ReplyMdb implements MessageListener {
    @Resource(lookup = "java:app/jms/strand")
    private ConnectionFactory factory;
    @EJB
    private Received received;

    @Override
    public void onMessage(Message message) {
        try {
            final String text = ((TextMessage) message).getText();
            received.record("requests", text + (message.getJMSRedelivered() ? " redelivered" : ""));
            try (Connection connection = factory.createConnection()) {
                final Session session = connection.createSession();
                session.createProducer(session.createQueue("replies")).send(session.createTextMessage(text));
            }
            // Some work per message, so that a broker killed mid-stream finds deliveries in flight.
            Thread.sleep(5);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
