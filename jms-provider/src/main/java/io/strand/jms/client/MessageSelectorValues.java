package io.strand.jms.client;

import io.strand.jms.message.StrandMessage;
import io.strand.selector.SelectorValues;
import jakarta.jms.DeliveryMode;

/**
 * What a message selector sees of a decoded message (JMS 3.1 §3.8.1.1): the selectable header fields
 * (JMSDeliveryMode as the strings {@code PERSISTENT} and {@code NON_PERSISTENT}), and every other
 * identifier as the property of that name. Used where the client filters, for topic subscribers; the
 * broker reads the same values from stored records.
 */
final class MessageSelectorValues implements SelectorValues {
    private final StrandMessage message;

    MessageSelectorValues(StrandMessage message) {
        this.message = message;
    }

    @Override
    public Object valueOf(String identifier) {
        return switch (identifier) {
            case "JMSDeliveryMode" -> message.getJMSDeliveryMode() == DeliveryMode.NON_PERSISTENT
                    ? "NON_PERSISTENT" : "PERSISTENT";
            case "JMSPriority" -> message.getJMSPriority();
            case "JMSMessageID" -> message.getJMSMessageID();
            case "JMSTimestamp" -> message.getJMSTimestamp();
            case "JMSCorrelationID" -> message.getJMSCorrelationID();
            case "JMSType" -> message.getJMSType();
            default -> identifier.startsWith("JMS") && !identifier.startsWith("JMSX") && !identifier.startsWith("JMS_")
                    ? null : message.getObjectProperty(identifier);
        };
    }
}
