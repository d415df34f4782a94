package io.strand.cluster.metadata;

import java.util.List;

/**
 * Told of every image a {@link MetadataStateMachine} publishes, on the thread that applied the batch.
 * Brokers reconcile their local partitions here: become leader, become follower, stop, delete.
 */
@FunctionalInterface
public interface MetadataListener {
    /**
     * @param previous the image before the batch (or before a snapshot was loaded)
     * @param current  the image after it
     * @param records  the records applied, in order; for a loaded snapshot, the records that rebuild it
     */
    void onImage(MetadataImage previous, MetadataImage current, List<MetadataRecord> records);
}
