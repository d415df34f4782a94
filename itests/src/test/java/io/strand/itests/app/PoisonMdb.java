package io.strand.itests.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/** Fails every message of the queue {@code poison}, recording each attempt with its delivery count. */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "strand-ra"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = "poison"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")
})
public class PoisonMdb implements MessageListener {
    @EJB
    private Received received;

    @Override
    public void onMessage(Message message) {
        try {
            received.record("poison", ((TextMessage) message).getText() + "#" + message.getIntProperty("JMSXDeliveryCount"));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("poison message refused on purpose");
    }
}
