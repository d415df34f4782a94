package io.strand.broker;

/**
 * What a {@link QueueConsumer} reads: the share group of a queue, or of a shared topic subscription
 * (DESIGN.md §3). Both are a log plus a share group; they differ in the name the group's state is
 * kept under, in the filter the group applies for all its consumers, and in how dead letters are
 * labelled.
 *
 * @param destination  the queue or topic whose log the group reads
 * @param group        the name of the group's state in {@link ShareGroups}
 * @param filter       the subscription's selector: records it does not match are never for this group
 *                     and are completed as they are met; null for a queue, whose selectors are per consumer
 * @param origin       where the group's dead letters say they came from
 * @param subscription the shared subscription, told when a consumer closes; null for a queue
 */
record ShareGroupSource(Destination destination, String group, RecordMatcher filter, DeadLetters.Origin origin,
                        SharedSubscription subscription) {
    /** A queue's own share group, named after the queue. */
    static ShareGroupSource queue(Destination queue) {
        return new ShareGroupSource(queue, queue.name(), null, DeadLetters.Origin.queue(queue.name()), null);
    }
}
