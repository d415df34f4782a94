package io.strand.broker;

import io.strand.jms.message.HeaderKeys;
import io.strand.jms.message.MessageCodec;
import io.strand.log.LogAppendInfo;
import io.strand.log.PartitionLog;
import io.strand.protocol.DestinationType;
import io.strand.record.CompressionType;
import io.strand.record.Header;
import io.strand.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves records a queue cannot deliver — rejected, delivered too often, or expired — into the
 * queue's dead-letter or expiry queue (names from {@link BrokerConfig.DeadLetterSettings}). The copy
 * keeps the record's key, value and properties, loses its delivery time and expiration (a dead
 * letter is kept for an operator, not delivered later or dropped), and gains two properties:
 * {@value #REASON_PROPERTY} says why, {@value #ORIGINAL_QUEUE_PROPERTY} where it came from.
 *
 * <p>The caller marks the source record done only once the copy is durable, so a crash in between
 * leaves the record where it was (it may then be moved twice, never lost). Thread-safe.
 */
final class DeadLetters {
    static final String REASON_PROPERTY = "JMS_Strand_DeadLetterReason";
    static final String ORIGINAL_QUEUE_PROPERTY = "JMS_Strand_OriginalQueue";

    /** A record copied out of the log, with everything a move needs. */
    record MovedRecord(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
    }

    private final BrokerConfig.DeadLetterSettings settings;
    private final DestinationRegistry destinations;
    private final HighWatermarks highWatermarks;

    DeadLetters(BrokerConfig.DeadLetterSettings settings, DestinationRegistry destinations,
                HighWatermarks highWatermarks) {
        this.settings = settings;
        this.destinations = destinations;
        this.highWatermarks = highWatermarks;
    }

    int maxDeliveryAttempts() {
        return settings.maxDeliveryAttempts();
    }

    /** Whether expired records of {@code queue} are kept in an expiry queue rather than dropped. */
    boolean keepsExpired(String queue) {
        return settings.expiryQueueOf(queue) != null;
    }

    /** Copies a record into the dead-letter queue of {@code queue}; completes once the copy is durable. */
    CompletableFuture<Void> deadLetter(String queue, MovedRecord record, String reason) {
        return append(settings.deadLetterQueueOf(queue), queue, record, reason);
    }

    /** Copies an expired record into the expiry queue of {@code queue}, which must be configured. */
    CompletableFuture<Void> expire(String queue, MovedRecord record) {
        return append(settings.expiryQueueOf(queue), queue, record, "expired");
    }

    private CompletableFuture<Void> append(String target, String source, MovedRecord record, String reason) {
        try {
            PartitionLog log = destinations.ensure(DestinationType.QUEUE, target).partition(0);
            RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0);
            if (record.key() != null) {
                builder.markDeliveryRules(); // the message group travels in the key
            }
            builder.append(record.timestamp(), record.key() == null ? null : ByteBuffer.wrap(record.key()),
                    record.value() == null ? null : ByteBuffer.wrap(record.value()), headersOfCopy(record, source, reason));
            LogAppendInfo info = log.appendAsLeader(builder.build(), 0);
            return log.awaitDurable(info.nextOffset()).thenRun(() -> highWatermarks.advance(log));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Header[] headersOfCopy(MovedRecord record, String source, String reason) {
        List<Header> headers = new ArrayList<>(record.headers().length + 2);
        for (Header header : record.headers()) {
            String key = header.key();
            if (!key.equals(HeaderKeys.DELIVERY_TIME) && !key.equals(HeaderKeys.EXPIRATION)
                    && !key.equals(REASON_PROPERTY) && !key.equals(ORIGINAL_QUEUE_PROPERTY)) {
                headers.add(header);
            }
        }
        headers.add(property(REASON_PROPERTY, reason));
        headers.add(property(ORIGINAL_QUEUE_PROPERTY, source));
        return headers.toArray(Header[]::new);
    }

    private static Header property(String name, String value) {
        Map.Entry<String, byte[]> header = MessageCodec.providerPropertyHeader(name, value);
        return Header.of(header.getKey(), header.getValue());
    }
}
