package io.strand.replication;

/**
 * A follower's fetch from the leader of one partition.
 *
 * @param replicaId        the fetching broker
 * @param brokerEpoch      the fetching broker's registration epoch: it changes with every start, so an ISR
 *                         change built from what an earlier run of the broker reported can be refused
 * @param leaderEpoch      the leader epoch the follower believes current; the leader refuses any other
 * @param fetchOffset      the follower's log end: it holds every offset below, matching the leader's log
 *                         up to {@code lastFetchedEpoch}
 * @param lastFetchedEpoch the epoch of the follower's last record, or -1 when its log is empty
 * @param durableOffset    every offset below it is forced to the follower's disk
 * @param maxBytes         how many bytes of records the answer may carry (at least one batch is sent)
 */
public record ReplicaFetch(int replicaId, long brokerEpoch, int leaderEpoch, long fetchOffset, int lastFetchedEpoch, long durableOffset,
                           int maxBytes) {
    public ReplicaFetch {
        if (fetchOffset < 0 || durableOffset < 0 || durableOffset > fetchOffset) {
            throw new IllegalArgumentException("fetchOffset=" + fetchOffset + " and durableOffset=" + durableOffset
                    + " must be zero or more, durableOffset not past fetchOffset");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes=" + maxBytes + " must be positive");
        }
    }
}
