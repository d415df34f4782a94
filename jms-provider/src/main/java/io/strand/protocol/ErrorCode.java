package io.strand.protocol;

/**
 * Error codes of the wire protocol. The numbers are stable and never reused; the names and
 * messages may change. The client maps each to the JMS exception its specification names.
 */
public enum ErrorCode {
    NONE(0, "no error"),
    UNKNOWN_SERVER_ERROR(1, "the broker failed unexpectedly; see its log"),
    MALFORMED_REQUEST(2, "the request frame is malformed"),
    UNSUPPORTED_API(3, "the broker does not know this api"),
    UNSUPPORTED_VERSION(4, "the broker does not support this version of the api"),
    HANDSHAKE_REQUIRED(5, "the connection must start with a handshake"),
    CORRUPT_RECORDS(6, "a record batch is corrupt"),
    MESSAGE_TOO_LARGE(7, "a record batch is larger than the broker accepts"),
    INVALID_DESTINATION(8, "the destination name is not valid"),
    UNKNOWN_DESTINATION(9, "the destination does not exist and auto-creation is off"),
    DESTINATION_EXISTS(10, "the destination exists already"),
    UNKNOWN_PARTITION(11, "the destination has no such partition"),
    INVALID_CLIENT_ID(12, "the client id is not valid or is in use"),
    UNKNOWN_CONSUMER(13, "no such consumer on this connection"),
    CONSUMER_EXISTS(14, "a consumer with this id is open on this connection"),
    SUBSCRIPTION_IN_USE(15, "the durable subscription has an active consumer"),
    UNKNOWN_SUBSCRIPTION(16, "no such durable subscription"),
    INVALID_SELECTOR(17, "the message selector is not valid"),
    OFFSET_OUT_OF_RANGE(18, "the offset is outside the log"),
    STORAGE_ERROR(19, "the broker's storage failed for this partition"),
    NOT_LEADER(20, "this broker does not lead the partition"),
    NOT_ENOUGH_REPLICAS(21, "too few in-sync replicas to accept the write"),
    INVALID_REQUEST(22, "the request is well formed but not valid"),
    /** The handshake's user name and password were refused, or it was anonymous where that is not allowed. */
    AUTHENTICATION_FAILED(23, "authentication failed"),
    /** XA: the broker knows no prepared branch with this Xid, or has forgotten its outcome. */
    UNKNOWN_XID(24, "no transaction branch with this Xid is prepared or remembered"),
    /** XA: the request does not fit the branch's state (prepared twice, rolled back after its commit, ...). */
    INVALID_XA_STATE(25, "the transaction branch is not in a state that allows this request"),
    /** XA: the branch was rolled back, so it cannot be committed. */
    TRANSACTION_ROLLED_BACK(26, "the transaction branch was rolled back"),
    /** XA: an operator committed the branch before the transaction manager decided; remembered until forgotten. */
    HEURISTIC_COMMIT(27, "the transaction branch was committed by an operator's decision"),
    /** XA: an operator rolled the branch back before the transaction manager decided; remembered until forgotten. */
    HEURISTIC_ROLLBACK(28, "the transaction branch was rolled back by an operator's decision"),
    /** XA: the branch is being prepared, committed or rolled back by another request; it stays prepared meanwhile. */
    TRANSACTION_BUSY(29, "the transaction branch is busy with another request; try again");

    private static final ErrorCode[] BY_CODE;

    static {
        int max = 0;
        for (ErrorCode e : values()) {
            max = Math.max(max, e.code);
        }
        BY_CODE = new ErrorCode[max + 1];
        for (ErrorCode e : values()) {
            if (BY_CODE[e.code] != null) {
                throw new AssertionError("error code " + e.code + " used twice");
            }
            BY_CODE[e.code] = e;
        }
    }

    public final short code;
    public final String defaultMessage;

    ErrorCode(int code, String defaultMessage) {
        this.code = (short) code;
        this.defaultMessage = defaultMessage;
    }

    /** The error for a code read off the wire; an unknown code (from a newer broker) is an unknown server error. */
    public static ErrorCode forCode(short code) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null ? BY_CODE[code] : UNKNOWN_SERVER_ERROR;
    }
}
