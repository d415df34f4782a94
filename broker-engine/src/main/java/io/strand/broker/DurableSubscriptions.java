package io.strand.broker;

import io.strand.log.FileSlice;
import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.protocol.ErrorCode;
import io.strand.record.CompressionType;
import io.strand.record.Record;
import io.strand.record.RecordBatch;
import io.strand.record.RecordBatchBuilder;
import io.strand.record.RecordIterator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every durable subscription of the broker, kept in the internal log {@code $subscriptions-0}: each
 * change (creation, an acknowledgement that moves a position, removal) appends the subscription's
 * whole state as one record keyed by client id and name, a removal appends a tombstone. At start the
 * log is replayed, the last record of each key winning.
 *
 * <p>Compaction by snapshot: when the log holds many more records than live subscriptions, the live
 * state is appended again as a snapshot, forced, and the segments wholly before the snapshot are
 * deleted. A crash at any point leaves either the old records or the snapshot, never neither.
 *
 * <p>Thread-safe: appends are serialised by the log; the map is guarded by this object.
 */
final class DurableSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(DurableSubscriptions.class);
    static final TopicPartition LOG_PARTITION = new TopicPartition("$subscriptions", 0);
    /** Snapshot when the log holds more than this many records per live subscription (and at least the minimum). */
    private static final int RECORDS_PER_LIVE_SUBSCRIPTION = 64;
    private static final int MIN_RECORDS_BEFORE_SNAPSHOT = 10_000;

    private final PartitionLog log;
    private final Map<String, DurableSubscription> subscriptions = new HashMap<>();
    private final RecordBatchBuilder builder = new RecordBatchBuilder();
    private long recordsSinceSnapshot;

    private DurableSubscriptions(PartitionLog log) {
        this.log = log;
    }

    static DurableSubscriptions load(LogManager logs) {
        DurableSubscriptions store = new DurableSubscriptions(logs.getOrCreateLog(LOG_PARTITION));
        store.replay();
        return store;
    }

    private static String id(String clientId, String name) {
        return clientId + '\0' + name;
    }

    private void replay() {
        Map<String, SubscriptionState> live = new HashMap<>();
        long next = log.logStartOffset();
        long records = 0;
        RecordIterator iterator = new RecordIterator();
        while (next < log.logEndOffset()) {
            ByteBuffer batches;
            try (FileSlice slice = log.read(next, 1 << 20, log.logEndOffset())) {
                batches = slice.readIntoHeap();
                next = slice.nextOffset();
            }
            RecordBatch batch = new RecordBatch();
            for (int pos = 0; pos < batches.limit(); pos += batch.sizeInBytes()) {
                batch.wrap(batches, pos);
                iterator.reset(batch);
                while (iterator.hasNext()) {
                    Record record = iterator.next();
                    apply(live, record);
                    records++;
                }
            }
        }
        live.values().forEach(state -> subscriptions.put(id(state.clientId(), state.name()),
                new DurableSubscription(state.clientId(), state.name(), state.topic(), state.selector(),
                        state.noLocal(), state.positions(), this)));
        recordsSinceSnapshot = records;
        LOG.info("loaded {} durable subscription(s) from {} record(s)", subscriptions.size(), records);
    }

    private static void apply(Map<String, SubscriptionState> live, Record record) {
        String id = StandardCharsets.UTF_8.decode(record.key()).toString();
        if (!record.hasValue()) {
            live.remove(id);
            return;
        }
        SubscriptionState state = SubscriptionState.decode(record.key(), record.value());
        live.put(id, state);
    }

    /**
     * The subscription {@code name} of {@code clientId} for a consumer of {@code topic}: the existing
     * one, or a new one starting at the log end. A subscription whose topic, selector or noLocal
     * changed is removed and created anew, as the specification says, unless a consumer is using it.
     */
    synchronized DurableSubscription open(String clientId, String name, Destination topic, String selector,
                                          boolean noLocal) {
        String id = id(clientId, name);
        DurableSubscription existing = subscriptions.get(id);
        if (existing != null && existing.matches(topic.name(), selector, noLocal)) {
            return existing;
        }
        if (existing != null) {
            if (existing.isActive()) {
                throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "durable subscription '" + name
                        + "' is in use by a consumer of " + existing.topic() + "; close it before changing the subscription");
            }
            LOG.info("durable subscription {}/{} changes from topic {} to {}: created anew", clientId, name,
                    existing.topic(), topic.name());
        }
        long[] unset = new long[topic.partitions().size()];
        Arrays.fill(unset, DurableSubscription.UNSET);
        DurableSubscription created = new DurableSubscription(clientId, name, topic.name(), selector, noLocal, unset, this);
        subscriptions.put(id, created);
        save(created, created.initialPositions(topic)).join();
        return created;
    }

    /** Removes a subscription; refused while a consumer uses it or when it does not exist. */
    synchronized void unsubscribe(String clientId, String name) {
        DurableSubscription existing = subscriptions.get(id(clientId, name));
        if (existing == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_SUBSCRIPTION, "client " + clientId
                    + " has no durable subscription '" + name + "'");
        }
        if (existing.isActive()) {
            throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "durable subscription '" + name
                    + "' has an active consumer; close it before unsubscribing");
        }
        subscriptions.remove(id(clientId, name));
        append(SubscriptionState.key(clientId, name), null).join();
    }

    /** Stores a subscription's positions; completes once durable. */
    CompletableFuture<Void> save(DurableSubscription subscription, long[] positions) {
        SubscriptionState state = new SubscriptionState(subscription.clientId(), subscription.name(),
                subscription.topic(), subscription.selector(), subscription.noLocal(), positions);
        return append(state.key(), state.value());
    }

    private synchronized CompletableFuture<Void> append(byte[] key, byte[] value) {
        builder.reset(CompressionType.NONE, 0);
        builder.append(System.currentTimeMillis(), ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value),
                null);
        long next = log.appendAsLeader(builder.build(), 0).nextOffset();
        recordsSinceSnapshot++;
        CompletableFuture<Void> durable = log.awaitDurable(next);
        if (recordsSinceSnapshot > Math.max(MIN_RECORDS_BEFORE_SNAPSHOT,
                (long) RECORDS_PER_LIVE_SUBSCRIPTION * subscriptions.size())) {
            snapshot();
        }
        return durable;
    }

    /** Appends every live subscription again, forces it, then drops the segments wholly before it. */
    private void snapshot() {
        long snapshotStart = log.logEndOffset();
        for (DurableSubscription s : subscriptions.values()) {
            SubscriptionState state = new SubscriptionState(s.clientId(), s.name(), s.topic(), s.selector(),
                    s.noLocal(), s.positions());
            builder.reset(CompressionType.NONE, 0);
            builder.append(System.currentTimeMillis(), ByteBuffer.wrap(state.key()), ByteBuffer.wrap(state.value()),
                    null);
            log.appendAsLeader(builder.build(), 0);
        }
        log.flushTo(log.logEndOffset());
        log.updateHighWatermark(log.logEndOffset());
        int deleted = log.deleteSegmentsBelow(snapshotStart);
        recordsSinceSnapshot = subscriptions.size();
        LOG.info("snapshot of {} durable subscription(s) written; {} old segment(s) deleted", subscriptions.size(),
                deleted);
    }
}
