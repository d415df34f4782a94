package io.strand.protocol;

/**
 * The operations of the wire protocol with the versions this build speaks. Ids are stable on the
 * wire. A request names its api and version in the frame header; the broker answers an unknown api
 * with {@link ErrorCode#UNSUPPORTED_API} and a version outside the range with
 * {@link ErrorCode#UNSUPPORTED_VERSION}.
 */
public enum ApiKey {
    /** First frame of a connection: protocol version range, client id; answers the broker's identity. */
    HANDSHAKE(0),
    /** Destinations with their partitions and the broker that leads each. */
    METADATA(1),
    CREATE_DESTINATION(2),
    DELETE_DESTINATION(3),
    LIST_DESTINATIONS(4),
    /** Record batches for one partition; answered once durable under the requested guarantee. */
    PRODUCE(5),
    /** Opens a consumer (topic subscriber, durable subscriber or queue receiver) with an initial credit. */
    OPEN_CONSUMER(6),
    CLOSE_CONSUMER(7),
    /** More credit for a consumer: the broker may push that many more records. */
    CONSUMER_CREDIT(8),
    /** Pushed by the broker: record batches for a consumer. Never sent by a client. */
    DELIVER(9),
    /** Acknowledges delivered records of a consumer up to an offset, or one record. */
    ACKNOWLEDGE(10),
    /** Removes a durable subscription. */
    UNSUBSCRIBE(11),
    /** Keeps an idle connection alive; either side may send it. */
    HEARTBEAT(12),
    /** Pushed by the broker: records a queue consumer acquired, with their delivery counts. Never sent by a client. */
    SHARE_DELIVER(13),
    /** Accepts, releases or rejects records a queue consumer acquired. */
    SHARE_ACKNOWLEDGE(14),
    /**
     * Ends a connection on purpose: the broker closes the connection's consumers and releases its
     * client id before it answers, so the id is free for another connection as soon as the answer
     * arrives. The client closes the socket after the answer.
     */
    DISCONNECT(15),
    /**
     * Commits a local transaction: its staged record batches and its acknowledgements, all or
     * nothing; answered once everything is durable (see {@link Transactions}).
     */
    COMMIT(16),
    /**
     * Counts one more delivery of queue records a consumer holds and delivers again from its own memory
     * (recover, rollback, a listener that threw), so that they come before what it prefetched; answers
     * which records it keeps (see {@link Shares.RedeliverRequest}). Brokers before this api answer
     * {@link ErrorCode#UNSUPPORTED_API}; the client then releases the records instead.
     */
    SHARE_REDELIVER(17),
    /**
     * Stops a consumer without closing it: it takes and pushes nothing more, and keeps what it holds until
     * it is closed — for a queue receiver the application closed while its session may still acknowledge the
     * messages it delivered (CLIENT acknowledgement, JMS 3.1 §8.8). Brokers before this api answer
     * {@link ErrorCode#UNSUPPORTED_API}; the client then closes the consumer at once, as before.
     */
    STOP_CONSUMER(18),
    /**
     * Says, just before a topic consumer closes, how far it handed records to the application in each
     * partition, so that a durable subscription marks as delivered (to be redelivered) only what the
     * application saw, not what merely waited in the prefetch buffer. Brokers before this api answer
     * {@link ErrorCode#UNSUPPORTED_API}, which the client ignores.
     */
    CONSUMER_HANDED_OUT(19),
    // Administration (io.strand.admin): answered only to an authenticated user when the broker has users.
    /** The brokers of the cluster: this one, on a single node. */
    ADMIN_DESCRIBE_CLUSTER(20),
    /** Destinations with their settings and, per partition, offsets, size on disk, leader and replicas. */
    ADMIN_DESCRIBE_DESTINATIONS(21),
    /** Adds partitions to a destination or changes its retention. */
    ADMIN_ALTER_DESTINATION(22),
    /** Durable subscriptions with their positions and lag per partition. */
    ADMIN_DESCRIBE_SUBSCRIPTIONS(23),
    /** Removes a durable subscription of any client. */
    ADMIN_DELETE_SUBSCRIPTION(24),
    /** The share groups of queues: members, in-flight records and lag per partition. */
    ADMIN_DESCRIBE_SHARE_GROUPS(25),
    /** Client connections and the consumers open on them. */
    ADMIN_DESCRIBE_CONNECTIONS(26),
    /** Marks every record of a queue consumed. */
    ADMIN_PURGE_QUEUE(27),
    /** Reads messages of one partition from an offset or a time, consuming nothing. */
    ADMIN_BROWSE(28),
    /** Moves messages of a dead-letter queue back to the queues they came from. */
    ADMIN_REDRIVE_DEAD_LETTERS(29),
    /** Moves a durable subscription or a queue's share group back (or forward) to an offset or a time. */
    ADMIN_REWIND(30),
    // Distributed transactions (see XaTransactions).
    /** Prepares an XA transaction branch: its staged batches and acknowledgements, made durable and held, not applied. */
    XA_PREPARE(31),
    /** Commits a prepared branch by its Xid, from any connection; answered once the outcome is durable. */
    XA_COMMIT(32),
    /** Rolls a prepared branch back by its Xid: its batches are dropped, the queue records it held redelivered. */
    XA_ROLLBACK(33),
    /** Lists the prepared branches (and those an operator decided) a transaction manager has to settle. */
    XA_RECOVER(34),
    /** Forgets the heuristic outcome of a branch an operator decided. */
    XA_FORGET(35),
    /** The XA branches prepared on the broker and the outcomes operators decided that are not forgotten yet. */
    ADMIN_DESCRIBE_TRANSACTIONS(36),
    /** An operator commits or rolls back a prepared XA branch before its transaction manager does (heuristically). */
    ADMIN_DECIDE_TRANSACTION(37),
    /**
     * What the calling connection may do: its user, and whether it may change the broker or only describe
     * and browse. Brokers before this api answer {@link ErrorCode#UNSUPPORTED_API}; every user could then
     * make every admin call.
     */
    ADMIN_DESCRIBE_ACCESS(38),
    /** A follower broker copies partition logs from their leader (see {@link Replication}); brokers only. */
    REPLICA_FETCH(39),
    /** Moves a partition's replicas to other brokers of a cluster (see {@code io.strand.admin.ReassignPartition}). */
    ADMIN_REASSIGN_PARTITION(40),
    /**
     * Asks whether a commit whose answer was lost (the connection went, or the broker did not answer in time)
     * happened, by the stamps of its sends (see {@link Transactions.CommitStatusRequest}). Brokers before this api
     * answer {@link ErrorCode#UNSUPPORTED_API}, and the commit stays in doubt.
     */
    COMMIT_STATUS(41),
    /** Moves a cluster's active role to another in-sync broker (see {@code io.strand.admin.MoveActive}). */
    ADMIN_MOVE_ACTIVE(42);

    private static final ApiKey[] BY_ID = values();

    public final short id;

    ApiKey(int id) {
        this.id = (short) id;
    }

    static {
        for (int i = 0; i < BY_ID.length; i++) {
            if (BY_ID[i].id != i) {
                throw new AssertionError("api ids must be dense and in order: " + BY_ID[i]);
            }
        }
    }

    /** Whether this is an administration api, which only an authenticated user may call when the broker has users. */
    public boolean isAdmin() {
        return name().startsWith("ADMIN_");
    }

    /**
     * Whether this administration api only reads: every user may call it, and a client may send it again after a
     * failover lost it on its way. Any other admin api (a future one too) changes something and needs an admin.
     */
    public boolean isAdminReadOnly() {
        return switch (this) {
            case ADMIN_DESCRIBE_CLUSTER, ADMIN_DESCRIBE_DESTINATIONS, ADMIN_DESCRIBE_SUBSCRIPTIONS,
                 ADMIN_DESCRIBE_SHARE_GROUPS, ADMIN_DESCRIBE_CONNECTIONS, ADMIN_BROWSE, ADMIN_DESCRIBE_ACCESS,
                 ADMIN_DESCRIBE_TRANSACTIONS -> true;
            default -> false;
        };
    }

    /**
     * Whether a client may send this administration api again after a failover lost its answer: what only reads,
     * and a move of the active role, which the broker that had the role may not get to answer as it steps down,
     * and which changes nothing when repeated (the role is where it was asked to go).
     */
    public boolean isAdminRepeatable() {
        return isAdminReadOnly() || this == ADMIN_MOVE_ACTIVE;
    }

    /** The api for a wire id, or null when this build does not know it. */
    public static ApiKey forId(short id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
