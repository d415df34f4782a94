package io.strand.jms.client;

import io.strand.jms.message.StrandMessage;

/**
 * A message as delivered to one consumer, with where it came from: what an acknowledgement names.
 *
 * @param message    the message, or null for a record the client skips (not a JMS message, noLocal)
 * @param consumerId the consumer it was pushed to
 * @param partition  the partition of the destination
 * @param offset     its offset in that partition
 * @param style      how its consumer acknowledges it
 * @param wire       the broker connection it was pushed on: its acknowledgement means something there only, so it is
 *                   sent there and dropped once that connection is lost (the broker delivers the message again)
 */
public record Delivery(StrandMessage message, int consumerId, int partition, long offset, AckStyle style,
                       WireConnection wire) {
    /** @return true if this record was acquired from a queue's share group and must be accepted or released by offset */
    public boolean isAcquired() {
        return style == AckStyle.PER_RECORD;
    }

    /** @return whether the broker connection it came on is lost, so that no acknowledgement of it can be applied */
    public boolean isFromLostConnection() {
        return wire.isFailed();
    }
}
