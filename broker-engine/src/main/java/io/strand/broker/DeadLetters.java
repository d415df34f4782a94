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
 * Moves records a share group cannot deliver — rejected, delivered too often, or expired — into the
 * dead-letter or expiry queue of the queue or topic they came from (names from
 * {@link BrokerConfig.DeadLetterSettings}). The copy keeps the record's key, value and properties,
 * loses its delivery time and expiration (a dead letter is kept for an operator, not delivered
 * later or dropped), and gains properties: {@value #REASON_PROPERTY} says why;
 * {@value #ORIGINAL_QUEUE_PROPERTY} names the queue it came from, or for a shared topic subscription
 * {@value #ORIGINAL_TOPIC_PROPERTY} and {@value #ORIGINAL_SUBSCRIPTION_PROPERTY} name the topic and
 * the subscription.
 *
 * <p>The caller marks the source record done only once the copy is durable, so a crash in between
 * leaves the record where it was (it may then be moved twice, never lost). Thread-safe.
 */
final class DeadLetters {
    static final String REASON_PROPERTY = "JMS_Strand_DeadLetterReason";
    static final String ORIGINAL_QUEUE_PROPERTY = "JMS_Strand_OriginalQueue";
    static final String ORIGINAL_TOPIC_PROPERTY = "JMS_Strand_OriginalTopic";
    static final String ORIGINAL_SUBSCRIPTION_PROPERTY = "JMS_Strand_OriginalSubscription";

    /**
     * Where a share group's records come from: a queue ({@code subscription} null), or a shared
     * subscription of a topic. The dead-letter and expiry queues are named after {@code destination}.
     */
    record Origin(String destination, String subscription) {
        static Origin queue(String name) {
            return new Origin(name, null);
        }
    }

    /** A record copied out of the log, with everything a move needs. */
    record MovedRecord(long offset, long timestamp, byte[] key, byte[] value, Header[] headers) {
    }

    private final BrokerConfig.DeadLetterSettings settings;
    private final DestinationRegistry destinations;
    private final HighWatermarks highWatermarks;
    private final Traffic traffic;

    DeadLetters(BrokerConfig.DeadLetterSettings settings, DestinationRegistry destinations,
                HighWatermarks highWatermarks, Traffic traffic) {
        this.settings = settings;
        this.traffic = traffic;
        this.destinations = destinations;
        this.highWatermarks = highWatermarks;
    }

    int maxDeliveryAttempts() {
        return settings.maxDeliveryAttempts();
    }

    /** Whether expired records from {@code origin} are kept in an expiry queue rather than dropped. */
    boolean keepsExpired(Origin origin) {
        return settings.expiryQueueOf(origin.destination()) != null;
    }

    /** Copies a record into the dead-letter queue of its origin; completes once the copy is durable. */
    CompletableFuture<Void> deadLetter(Origin origin, MovedRecord record, String reason) {
        traffic.deadLettered(origin.destination());
        return append(settings.deadLetterQueueOf(origin.destination()), origin, record, reason);
    }

    /** Copies an expired record into the expiry queue of its origin, which must be configured. */
    CompletableFuture<Void> expire(Origin origin, MovedRecord record) {
        return append(settings.expiryQueueOf(origin.destination()), origin, record, "expired");
    }

    private CompletableFuture<Void> append(String target, Origin source, MovedRecord record, String reason) {
        try {
            PartitionLog log = destinations.ensure(DestinationType.QUEUE, target).partition(0);
            // Marked as carrying delivery rules whatever the copy holds: its priority and message group (the
            // key) must be read by every consumer, and a dead letter is rare enough not to need the fast path.
            RecordBatchBuilder builder = new RecordBatchBuilder().reset(CompressionType.NONE, 0).markDeliveryRules();
            builder.append(record.timestamp(), record.key() == null ? null : ByteBuffer.wrap(record.key()),
                    record.value() == null ? null : ByteBuffer.wrap(record.value()), headersOfCopy(record, source, reason));
            LogAppendInfo info = log.appendAsLeader(builder.build(), log.latestLeaderEpoch());
            return log.awaitCommitted(info.nextOffset()).thenRun(() -> highWatermarks.advance(log));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Header[] headersOfCopy(MovedRecord record, Origin source, String reason) {
        List<Header> headers = new ArrayList<>(record.headers().length + 3);
        for (Header header : record.headers()) {
            String key = header.key();
            if (!key.equals(HeaderKeys.DELIVERY_TIME) && !key.equals(HeaderKeys.EXPIRATION)
                    && !isOriginProperty(key)) {
                headers.add(header);
            }
        }
        headers.add(property(REASON_PROPERTY, reason));
        if (source.subscription() == null) {
            headers.add(property(ORIGINAL_QUEUE_PROPERTY, source.destination()));
        } else {
            headers.add(property(ORIGINAL_TOPIC_PROPERTY, source.destination()));
            headers.add(property(ORIGINAL_SUBSCRIPTION_PROPERTY, source.subscription()));
        }
        return headers.toArray(Header[]::new);
    }

    /**
     * The properties a previous move added: a record dead-lettered twice says only where it came from last, and a
     * redriven copy dead-lettered again no longer names the subscription it was redriven to.
     */
    private static boolean isOriginProperty(String headerKey) {
        return headerKey.equals(REASON_PROPERTY) || headerKey.equals(ORIGINAL_QUEUE_PROPERTY)
                || headerKey.equals(ORIGINAL_TOPIC_PROPERTY) || headerKey.equals(ORIGINAL_SUBSCRIPTION_PROPERTY)
                || RedriveMarks.isMark(headerKey);
    }

    private static Header property(String name, String value) {
        Map.Entry<String, byte[]> header = MessageCodec.providerPropertyHeader(name, value);
        return Header.of(header.getKey(), header.getValue());
    }
}
