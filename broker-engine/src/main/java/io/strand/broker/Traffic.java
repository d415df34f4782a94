package io.strand.broker;

import io.strand.log.TopicPartition;

/**
 * Counts what flows through the partitions of destinations: the records and bytes producers append.
 * Called once per appended request (never per record), on the connection's thread.
 */
interface Traffic {
    /** Counts nothing, for a broker without metrics. */
    Traffic NONE = (partition, records, bytes) -> { };

    /** Producers appended {@code records} records of {@code bytes} bytes to {@code partition}. */
    void appended(TopicPartition partition, long records, long bytes);
}
