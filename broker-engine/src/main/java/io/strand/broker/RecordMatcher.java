package io.strand.broker;

import io.strand.jms.message.HeaderView;
import io.strand.jms.message.RecordHeaders;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decides from a stored record's key and headers, never its body, whether it suits one consumer:
 * the consumer's message selector evaluated the way DESIGN.md §3 says the broker evaluates it.
 */
interface RecordMatcher {
    /**
     * @param key           the record key (the message group), or null; its position must not move
     * @param headers       the record headers
     * @param deliveryCount the delivery count the record has if it is delivered now ({@code JMSXDeliveryCount})
     */
    boolean matches(ByteBuffer key, List<HeaderView> headers, int deliveryCount);

    /** The same decision over headers read in place, for scans that look at many records. */
    boolean matches(ByteBuffer key, RecordHeaders headers, int deliveryCount);
}
