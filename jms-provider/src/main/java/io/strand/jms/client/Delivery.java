package io.strand.jms.client;

import io.strand.jms.message.StrandMessage;

/**
 * A message as delivered to one consumer, with where it came from: what an acknowledgement names.
 *
 * @param consumerId the consumer it was pushed to
 * @param partition  the partition of the destination
 * @param offset     its offset in that partition
 */
public record Delivery(StrandMessage message, int consumerId, int partition, long offset) {
}
