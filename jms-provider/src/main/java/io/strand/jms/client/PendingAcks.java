package io.strand.jms.client;

import io.strand.protocol.Shares;
import java.util.concurrent.CompletableFuture;

/**
 * Acknowledgements queued for the records one consumer received from one partition, kept in the form
 * its {@link AckStyle} sends. Not thread-safe: {@link Acknowledgements} guards it.
 */
interface PendingAcks {
    /**
     * Queues an outcome for one record.
     *
     * @throws IllegalStateException if the style cannot express {@code type}
     */
    void add(long offset, Shares.AckType type);

    boolean isEmpty();

    /**
     * Sends what is queued as the requests of this style and forgets it.
     *
     * @return the broker's answers; fails if any of them failed
     */
    CompletableFuture<Void> send(WireConnection wire, int consumerId, int partition);
}
