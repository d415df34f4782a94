package io.strand.jms.client;

import io.strand.jms.message.EncodedMessage;
import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.StrandMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * noLocal support: every record a connection produces carries the provider property
 * {@value #CONNECTION_ID_PROPERTY} with the connection's id (a random UUID), added to the encoded
 * record only, never to the application's message object. A noLocal consumer drops records that carry
 * its own connection's id. The broker is asked to filter too (the open request's noLocal flag); this is
 * the client's guarantee whatever the broker does. Stateless.
 */
public final class NoLocal {
    /** A {@code JMS_} name: provider-specific, so applications can read but never set it. */
    public static final String CONNECTION_ID_PROPERTY = "JMS_StrandConnectionID";

    private NoLocal() {
    }

    /** @return the record with the connection id header appended */
    public static EncodedMessage stamp(EncodedMessage record, String connectionId) {
        final List<Map.Entry<String, byte[]>> headers = new ArrayList<>(record.headers().size() + 1);
        headers.addAll(record.headers());
        headers.add(MessageCodec.providerPropertyHeader(CONNECTION_ID_PROPERTY, connectionId));
        return new EncodedMessage(record.key(), record.value(), headers);
    }

    /** @return true if {@code connectionId} is not null and the message was sent by that connection */
    public static boolean sentBy(StrandMessage message, String connectionId) {
        return connectionId != null && connectionId.equals(message.getObjectProperty(CONNECTION_ID_PROPERTY));
    }
}
