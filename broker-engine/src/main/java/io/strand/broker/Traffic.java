package io.strand.broker;

import io.strand.log.TopicPartition;

/**
 * Counts what flows through the partitions of destinations: the records and bytes producers append,
 * the records queue receivers are sent and how many of them were redeliveries, the records topic subscribers are
 * pushed, and the records moved to a dead-letter queue. Called once per append or push (never per record), on the connection's thread.
 */
interface Traffic {
    /** Counts nothing, for a broker without metrics. */
    Traffic NONE = new Traffic() {
        @Override
        public void appended(TopicPartition partition, long records, long bytes) {
        }

        @Override
        public void delivered(TopicPartition partition, String queue, long records, long redeliveries, long bytes) {
        }

        @Override
        public void deadLettered(String queue) {
        }

        @Override
        public void pushed(TopicPartition partition, long records, long bytes) {
        }
    };

    /** Producers appended {@code records} records of {@code bytes} bytes to {@code partition}. */
    void appended(TopicPartition partition, long records, long bytes);

    /**
     * A receiver of share group {@code queue} (a queue, or a shared subscription's group) was sent
     * {@code records} records of {@code partition}, {@code redeliveries} of them delivered before, in batches of
     * {@code bytes} bytes.
     */
    void delivered(TopicPartition partition, String queue, long records, long redeliveries, long bytes);

    /** A record of {@code queue} (or of the topic of a shared subscription) went to its dead-letter queue. */
    void deadLettered(String queue);

    /**
     * An unshared topic subscriber was pushed {@code records} records of {@code partition}: whole batches from where
     * it stood ({@code bytes} bytes), which its client filters by its selector.
     */
    void pushed(TopicPartition partition, long records, long bytes);
}
