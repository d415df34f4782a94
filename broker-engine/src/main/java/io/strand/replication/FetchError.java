package io.strand.replication;

/** Why a leader refuses a replica's fetch. */
public enum FetchError {
    /** The follower's leader epoch is older than the leader's: it missed a leader change. */
    FENCED_LEADER_EPOCH,
    /** The follower's leader epoch is newer than this leader's: this broker is no longer the leader. */
    UNKNOWN_LEADER_EPOCH,
    /** The fetching broker is not a replica of the partition. */
    NOT_A_REPLICA
}
