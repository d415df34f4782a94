package io.strand.jms;

import io.strand.jms.message.StrandBytesMessage;
import io.strand.jms.message.StrandMapMessage;
import io.strand.jms.message.StrandMessage;
import io.strand.jms.message.StrandObjectMessage;
import io.strand.jms.message.StrandStreamMessage;
import io.strand.jms.message.StrandTextMessage;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.Enumeration;

/**
 * Sends messages of other providers (JMS 3.1 §3.12: a provider must be able to send a message whose
 * implementation is not its own): copies body, properties and application headers into a Strand
 * message of the same type, and after the send sets the headers the send assigned back on the original.
 * Stateless; the foreign message is read by the sending thread only.
 */
final class ForeignMessages {
    private ForeignMessages() {
    }

    static StrandMessage copy(Message foreign) throws JMSException {
        final StrandMessage copy = copyBody(foreign);
        for (Enumeration<?> names = foreign.getPropertyNames(); names.hasMoreElements(); ) {
            final String name = (String) names.nextElement();
            final Object value = foreign.getObjectProperty(name);
            if (name.startsWith("JMSX") || name.startsWith("JMS_")) {
                copy.setProviderProperty(name, value); // provider-set names the foreign provider put there
            } else {
                copy.setObjectProperty(name, value);
            }
        }
        final byte[] correlationBytes = correlationIdBytes(foreign);
        if (correlationBytes != null) {
            copy.setJMSCorrelationIDAsBytes(correlationBytes);
        } else {
            copy.setJMSCorrelationID(foreign.getJMSCorrelationID());
        }
        copy.setJMSType(foreign.getJMSType());
        if (foreign.getJMSReplyTo() instanceof StrandDestination replyTo) {
            copy.setJMSReplyTo(replyTo);
        } else if (foreign.getJMSReplyTo() != null) {
            throw new jakarta.jms.InvalidDestinationException("JMSReplyTo " + foreign.getJMSReplyTo()
                    + " is not a Strand destination");
        }
        return copy;
    }

    private static byte[] correlationIdBytes(Message foreign) {
        try {
            return foreign.getJMSCorrelationID() == null ? foreign.getJMSCorrelationIDAsBytes() : null;
        } catch (JMSException | UnsupportedOperationException e) {
            return null; // providers without native byte correlation ids may refuse
        }
    }

    private static StrandMessage copyBody(Message foreign) throws JMSException {
        if (foreign instanceof TextMessage text) {
            return new StrandTextMessage(text.getText());
        }
        if (foreign instanceof BytesMessage bytes) {
            bytes.reset();
            final byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            final StrandBytesMessage copy = new StrandBytesMessage();
            copy.writeBytes(body);
            return copy;
        }
        if (foreign instanceof MapMessage map) {
            final StrandMapMessage copy = new StrandMapMessage();
            for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements(); ) {
                final String name = (String) names.nextElement();
                copy.setObject(name, map.getObject(name));
            }
            return copy;
        }
        if (foreign instanceof ObjectMessage object) {
            final StrandObjectMessage copy = new StrandObjectMessage();
            copy.setObject(object.getObject());
            return copy;
        }
        if (foreign instanceof StreamMessage stream) {
            stream.reset();
            final StrandStreamMessage copy = new StrandStreamMessage();
            try {
                while (true) {
                    copy.writeObject(stream.readObject());
                }
            } catch (MessageEOFException end) {
                return copy;
            }
        }
        return new StrandMessage();
    }

    /** Sets the headers that send assigned on the application's own message. */
    static void copyHeadersBack(StrandMessage sent, Message foreign) throws JMSException {
        foreign.setJMSDestination(sent.getJMSDestination());
        foreign.setJMSDeliveryMode(sent.getJMSDeliveryMode());
        foreign.setJMSPriority(sent.getJMSPriority());
        foreign.setJMSExpiration(sent.getJMSExpiration());
        foreign.setJMSTimestamp(sent.getJMSTimestamp());
        foreign.setJMSDeliveryTime(sent.getJMSDeliveryTime());
        foreign.setJMSMessageID(sent.getJMSMessageID());
    }
}
