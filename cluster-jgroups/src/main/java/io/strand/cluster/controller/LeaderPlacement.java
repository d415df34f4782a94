package io.strand.cluster.controller;

/**
 * How the controller chooses partition leaders.
 */
public enum LeaderPlacement {
    /**
     * Leadership spreads over the brokers round-robin (see {@link ReplicaPlacement}); each partition's
     * preferred leader is its first replica.
     */
    SPREAD,
    /**
     * One broker, the active broker, leads every partition it is in sync for, so that state which spans
     * partitions (a queue's share group and its log, a transaction over several destinations) stays on one
     * broker. The active broker is the one that leads the most partitions; when it leaves, the live broker
     * in the most in-sync replica sets takes over (see {@link ActiveBroker}). A partition whose ISR lacks the
     * active broker is led by another replica until the active broker catches up, then moves back to it.
     */
    COLOCATED
}
