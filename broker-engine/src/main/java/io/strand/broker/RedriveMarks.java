package io.strand.broker;

import io.strand.jms.message.EncodedHeaderLookup;
import io.strand.jms.message.MessageCodec;
import io.strand.jms.message.PropertyNames;
import io.strand.jms.message.RecordHeaders;
import io.strand.record.Header;
import jakarta.jms.MessageFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The marks on a dead letter's copy that an operator sent back to one shared topic subscription
 * ({@link PropertyNames#STRAND_REDRIVEN_TO_SUBSCRIPTION}, {@link PropertyNames#STRAND_REDRIVEN_TO_CLIENT_ID}). The copy
 * is appended to the topic, which every subscriber reads, so the marks say whose it is: the share groups of other
 * shared subscriptions complete it as a record not for them, and topic subscribers' clients drop it. Marked copies
 * travel in batches flagged as carrying delivery rules, so share-group scans read their headers. Stateless.
 */
final class RedriveMarks {
    private static final EncodedHeaderLookup.Identifier SUBSCRIPTION =
            EncodedHeaderLookup.identifier(PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION);
    private static final EncodedHeaderLookup.Identifier CLIENT_ID =
            EncodedHeaderLookup.identifier(PropertyNames.STRAND_REDRIVEN_TO_CLIENT_ID);

    private RedriveMarks() {
    }

    /** Whether a record header is one of the marks. */
    static boolean isMark(String headerKey) {
        return headerKey.equals(PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION)
                || headerKey.equals(PropertyNames.STRAND_REDRIVEN_TO_CLIENT_ID);
    }

    /** {@code headers} with the marks that give the record to {@code subscription} alone. */
    static Header[] markedFor(SharedSubscription subscription, Header[] headers) {
        List<Header> marked = new ArrayList<>(headers.length + 2);
        for (Header header : headers) {
            if (!isMark(header.key())) {
                marked.add(header);
            }
        }
        marked.add(property(PropertyNames.STRAND_REDRIVEN_TO_SUBSCRIPTION, subscription.name()));
        if (subscription.clientId() != null) {
            marked.add(property(PropertyNames.STRAND_REDRIVEN_TO_CLIENT_ID, subscription.clientId()));
        }
        return marked.toArray(Header[]::new);
    }

    /**
     * Whether a record the share group of {@code subscription} reads is for it: it carries no marks, or marks that
     * name it. Marks that cannot be read count as none: the record is delivered and its client names the bad header.
     */
    static boolean isFor(SharedSubscription subscription, ByteBuffer key, RecordHeaders headers) {
        try {
            Object name = SUBSCRIPTION.valueIn(key, headers);
            return name == null || name.equals(subscription.name())
                    && Objects.equals(CLIENT_ID.valueIn(key, headers), subscription.clientId());
        } catch (MessageFormatException e) {
            return true;
        }
    }

    private static Header property(String name, String value) {
        Map.Entry<String, byte[]> header = MessageCodec.providerPropertyHeader(name, value);
        return Header.of(header.getKey(), header.getValue());
    }
}
