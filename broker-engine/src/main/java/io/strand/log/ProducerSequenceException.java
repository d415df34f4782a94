package io.strand.log;

/**
 * An idempotent producer's batch that the log refuses: its epoch is older than the producer's latest
 * (another instance of the producer took over), or its sequence does not follow the producer's last
 * batch (a batch in between was lost, so appending would break the producer's order).
 */
public final class ProducerSequenceException extends RuntimeException {
    /** Why the batch was refused. */
    public enum Reason {
        /** The producer epoch is older than one this partition has seen from the producer. */
        FENCED_EPOCH,
        /** The base sequence is neither the next one nor one of the producer's recent batches. */
        OUT_OF_ORDER_SEQUENCE
    }

    private final Reason reason;

    public ProducerSequenceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
