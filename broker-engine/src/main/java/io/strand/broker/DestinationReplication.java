package io.strand.broker;

/**
 * How many copies of a destination's partitions the cluster keeps ({@code replication.factor}), and how many of them
 * must be in sync for a write to be acknowledged ({@code min.insync.replicas}). A broker alone keeps one of each.
 */
record DestinationReplication(int replicationFactor, int minInsyncReplicas) {
    /** What a broker alone keeps: its own copy, which alone acknowledges a write. */
    static final DestinationReplication ALONE = new DestinationReplication(1, 1);
}
