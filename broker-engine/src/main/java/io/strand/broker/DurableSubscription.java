package io.strand.broker;

import io.strand.log.PartitionLog;
import io.strand.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable topic subscription: named by the client id and subscription name, bound to a topic and
 * a selector, with a committed position per partition (the offset after the last acknowledged
 * record). It has at most one active consumer, as the specification requires of an unshared durable
 * subscription. Positions reach the {@link DurableSubscriptions} store on every commit.
 *
 * <p>It also knows how far records were delivered: a delivered mark per partition, the offset after the last
 * record pushed to a consumer. Records from the committed position up to the mark were delivered and not
 * acknowledged, so a later consumer gets them as redeliveries (JMS 3.1 §3.4.7, §3.5.11: JMSRedelivered,
 * JMSXDeliveryCount). Marks move in memory with every push; when a consumer closes, its client says how far
 * it handed records to the application, and the marks go back to that (records that only waited in its
 * prefetch buffer were not delivered). They are stored with every commit and whenever a consumer leaves
 * records unacknowledged behind, so they survive a restart; a broker crash loses at most the marks of what
 * was pushed since the last commit, whose records then come again as first deliveries.
 *
 * <p>Thread-safe: every method locks the store, one lock for all subscriptions, so that a commit and
 * the store's own open and unsubscribe never take two locks in opposite orders.
 */
final class DurableSubscription {
    private static final Logger LOG = LoggerFactory.getLogger(DurableSubscription.class);
    /** A position not yet set: the subscription starts there at the log end when first consumed. */
    static final long UNSET = -1;

    private final String clientId;
    private final String name;
    private final String topic;
    private final String selector;
    private final boolean noLocal;
    private final long[] positions;
    private final long[] delivered;
    private final DurableSubscriptions store;
    private TopicConsumer active;
    /** Completes once the record that created this subscription is durable; complete for loaded ones. */
    private volatile CompletableFuture<Void> created = CompletableFuture.completedFuture(null);

    DurableSubscription(String clientId, String name, String topic, String selector, boolean noLocal,
                        long[] positions, long[] delivered, DurableSubscriptions store) {
        this.clientId = clientId;
        this.name = name;
        this.topic = topic;
        this.selector = selector;
        this.noLocal = noLocal;
        this.positions = positions.clone();
        this.delivered = Arrays.copyOf(delivered, positions.length);
        this.store = store;
    }

    CompletableFuture<Void> created() {
        return created;
    }

    void created(CompletableFuture<Void> durable) {
        this.created = durable;
    }

    String clientId() {
        return clientId;
    }

    String name() {
        return name;
    }

    String topic() {
        return topic;
    }

    String selector() {
        return selector;
    }

    boolean noLocal() {
        return noLocal;
    }

    /** Whether a consumer asking for this topic, selector and noLocal finds this subscription unchanged. */
    boolean matches(String otherTopic, String otherSelector, boolean otherNoLocal) {
        return topic.equals(otherTopic) && Objects.equals(selector, otherSelector) && noLocal == otherNoLocal;
    }

    long[] positions() {
        synchronized (store) {
            return positions.clone();
        }
    }

    long[] deliveredMarks() {
        synchronized (store) {
            return delivered.clone();
        }
    }

    /**
     * Where a consumer of {@code partition} starts: the committed position, or the log end for a
     * subscription that has not committed there yet (a new subscription sees only what is
     * published after it was created).
     */
    long startPosition(int partition, PartitionLog log) {
        synchronized (store) {
            if (partition >= positions.length || positions[partition] == UNSET) {
                return log.highWatermark();
            }
            return Math.max(positions[partition], log.logStartOffset());
        }
    }

    /** @return the offset below which the records a consumer of {@code partition} starts with were delivered before */
    long redeliveredBelow(int partition) {
        synchronized (store) {
            return partition < delivered.length ? delivered[partition] : UNSET;
        }
    }

    /** Notes that every record of {@code partition} below {@code nextOffset} was pushed to a consumer. */
    void delivered(int partition, long nextOffset) {
        synchronized (store) {
            if (partition < delivered.length && nextOffset > delivered[partition]) {
                delivered[partition] = nextOffset;
            }
        }
    }

    void attach(TopicConsumer consumer) {
        synchronized (store) {
            if (active != null) {
                throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "durable subscription '" + name
                        + "' of client " + clientId + " has an active consumer already");
            }
            active = consumer;
        }
    }

    /**
     * The consumer left; when it leaves records delivered but not acknowledged, the delivered marks are stored,
     * so the next consumer gets them as redeliveries even after a restart.
     *
     * @param delivered how far the consumer's application was handed records, per partition (no further than
     *                  was pushed); null to count everything pushed as delivered
     */
    void detach(TopicConsumer consumer, long[] delivered) {
        synchronized (store) {
            if (active != consumer) {
                return;
            }
            active = null;
            boolean lowered = false;
            if (delivered != null) {
                for (int p = 0; p < Math.min(delivered.length, this.delivered.length); p++) {
                    long mark = Math.min(this.delivered[p], Math.max(delivered[p], positions[p]));
                    lowered |= mark < this.delivered[p];
                    this.delivered[p] = mark;
                }
            }
            // Stored when a mark went back (a commit may have stored it further) or records stay unacknowledged.
            boolean unacknowledged = false;
            for (int p = 0; p < positions.length; p++) {
                unacknowledged |= this.delivered[p] > positions[p];
            }
            if (lowered || unacknowledged) {
                saveQuietly();
            }
        }
    }

    /** Stores the state when a consumer leaves; a failure costs only the redelivery marks, so it is logged. */
    private void saveQuietly() {
        try {
            store.save(this, positions.clone(), delivered.clone()).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.warn("durable subscription {}/{}: storing its delivered marks failed: {}", clientId, name,
                            error.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("durable subscription {}/{}: storing its delivered marks failed: {}", clientId, name, e.toString());
        }
    }

    boolean isActive() {
        synchronized (store) {
            return active != null;
        }
    }

    /** The consumer reading this subscription now, or null. */
    TopicConsumer activeConsumer() {
        synchronized (store) {
            return active;
        }
    }

    /** Records that everything below {@code nextOffset} of {@code partition} is acknowledged; completes once durable. */
    CompletableFuture<Void> commit(int partition, long nextOffset) {
        synchronized (store) {
            if (partition >= positions.length || nextOffset <= positions[partition]) {
                return CompletableFuture.completedFuture(null);
            }
            positions[partition] = nextOffset;
            // Saved under the lock so that saves reach the store in the order of their positions.
            return store.save(this, positions.clone(), delivered.clone());
        }
    }

    /**
     * Moves the positions of an idle subscription (an operator's rewind), completing once durable;
     * SUBSCRIPTION_IN_USE while a consumer reads it, since that consumer's own positions would win.
     */
    CompletableFuture<Void> moveTo(long[] newPositions) {
        synchronized (store) {
            if (active != null) {
                throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "durable subscription '" + name + "' of client "
                        + clientId + " has an active consumer; close it before moving the subscription");
            }
            System.arraycopy(newPositions, 0, positions, 0, Math.min(newPositions.length, positions.length));
            // The delivered marks stay: records moved back over were delivered before and come again as redeliveries.
            return store.save(this, positions.clone(), delivered.clone());
        }
    }

    /** Fixes the start of every partition not yet started at the current log end, so a new subscription keeps its place. */
    long[] initialPositions(Destination destination) {
        synchronized (store) {
            for (int p = 0; p < positions.length; p++) {
                if (positions[p] == UNSET) {
                    positions[p] = destination.partitions().get(p).highWatermark();
                    delivered[p] = positions[p];
                }
            }
            return positions.clone();
        }
    }

    @Override
    public String toString() {
        return "DurableSubscription(" + clientId + "/" + name + " on " + topic + ", positions "
                + Arrays.toString(positions) + ", delivered " + Arrays.toString(delivered) + ")";
    }
}
