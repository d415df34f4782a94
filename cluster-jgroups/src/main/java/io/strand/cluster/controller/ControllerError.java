package io.strand.cluster.controller;

/**
 * Why the controller refused a request. The codes are stable: they travel between brokers, so a name
 * may change but a code never does.
 */
public enum ControllerError {
    /** The broker was configured with another cluster id. */
    INVALID_CLUSTER_ID(1),
    /** Another live process already holds this broker id. */
    DUPLICATE_BROKER_ID(2),
    /** The topic or partition does not exist. */
    UNKNOWN_TOPIC_OR_PARTITION(3),
    /** A topic of that name exists already. */
    TOPIC_ALREADY_EXISTS(4),
    /** The partition count is not allowed. */
    INVALID_PARTITIONS(5),
    /** The replication factor is below 1 or above the number of live brokers. */
    INVALID_REPLICATION_FACTOR(6),
    /** The requester does not lead the partition in the leader epoch it named. */
    NOT_LEADER_OR_FENCED(7),
    /** The request was made against an older (or unknown) partition epoch. */
    STALE_PARTITION_EPOCH(8),
    /** The proposed ISR breaks a rule: it lacks the leader, names a non-replica or a fenced broker. */
    INVALID_ISR(9),
    /** The proposed replicas are empty, repeat a broker or name an unregistered one. */
    INVALID_REPLICA_ASSIGNMENT(10),
    /** The partition is already being reassigned. */
    REASSIGNMENT_IN_PROGRESS(11),
    /** A request field is malformed, such as a topic name that is too long. */
    INVALID_REQUEST(12),
    /** This node is not the controller, or there is none right now. */
    NOT_CONTROLLER(13),
    /** The records were not committed: no quorum, or the state machine refused them. */
    NOT_COMMITTED(14),
    /** Under colocated leadership, the requester is not the active broker in the controller's metadata. */
    NOT_ACTIVE(15),
    /** A topic setting has a value it cannot take, such as a {@code min.insync.replicas} above the replicas. */
    INVALID_CONFIG(16);

    private final int code;

    ControllerError(int code) {
        this.code = code;
    }

    /** The stable code that travels on the wire. */
    public int code() {
        return code;
    }

    /** The error with a code, for a response read from the wire. */
    public static ControllerError forCode(int code) {
        for (ControllerError error : values()) {
            if (error.code == code) {
                return error;
            }
        }
        throw new IllegalArgumentException("unknown controller error code " + code);
    }
}
