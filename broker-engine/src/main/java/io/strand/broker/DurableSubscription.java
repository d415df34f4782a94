package io.strand.broker;

import io.strand.log.PartitionLog;
import io.strand.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A durable topic subscription: named by the client id and subscription name, bound to a topic and
 * a selector, with a committed position per partition (the offset after the last acknowledged
 * record). It has at most one active consumer, as the specification requires of an unshared durable
 * subscription. Positions reach the {@link DurableSubscriptions} store on every commit.
 *
 * <p>Thread-safe: every method locks the store, one lock for all subscriptions, so that a commit and
 * the store's own open and unsubscribe never take two locks in opposite orders.
 */
final class DurableSubscription {
    /** A position not yet set: the subscription starts there at the log end when first consumed. */
    static final long UNSET = -1;

    private final String clientId;
    private final String name;
    private final String topic;
    private final String selector;
    private final boolean noLocal;
    private final long[] positions;
    private final DurableSubscriptions store;
    private TopicConsumer active;
    /** Completes once the record that created this subscription is durable; complete for loaded ones. */
    private volatile CompletableFuture<Void> created = CompletableFuture.completedFuture(null);

    DurableSubscription(String clientId, String name, String topic, String selector, boolean noLocal,
                        long[] positions, DurableSubscriptions store) {
        this.clientId = clientId;
        this.name = name;
        this.topic = topic;
        this.selector = selector;
        this.noLocal = noLocal;
        this.positions = positions.clone();
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

    void attach(TopicConsumer consumer) {
        synchronized (store) {
            if (active != null) {
                throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "durable subscription '" + name
                        + "' of client " + clientId + " has an active consumer already");
            }
            active = consumer;
        }
    }

    void detach(TopicConsumer consumer) {
        synchronized (store) {
            if (active == consumer) {
                active = null;
            }
        }
    }

    boolean isActive() {
        synchronized (store) {
            return active != null;
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
            return store.save(this, positions.clone());
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
            return store.save(this, positions.clone());
        }
    }

    /** Fixes the start of every partition not yet started at the current log end, so a new subscription keeps its place. */
    long[] initialPositions(Destination destination) {
        synchronized (store) {
            for (int p = 0; p < positions.length; p++) {
                if (positions[p] == UNSET) {
                    positions[p] = destination.partitions().get(p).highWatermark();
                }
            }
            return positions.clone();
        }
    }

    @Override
    public String toString() {
        return "DurableSubscription(" + clientId + "/" + name + " on " + topic + ", positions "
                + Arrays.toString(positions) + ")";
    }
}
