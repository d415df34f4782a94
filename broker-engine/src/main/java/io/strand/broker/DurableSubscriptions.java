package io.strand.broker;

import io.strand.log.LogManager;
import io.strand.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every durable subscription of the broker, kept in the internal log {@code $subscriptions}: each
 * change (creation, an acknowledgement that moves a position, a consumer leaving records delivered but
 * not acknowledged, removal) appends the subscription's
 * whole state as one record keyed by client id and name; a removal appends a tombstone. At start the
 * log is replayed, the last record of each key winning (see {@link InternalStateLog}).
 *
 * <p>Thread-safe: one lock, this object, guards the map and every subscription's positions.
 */
final class DurableSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(DurableSubscriptions.class);
    static final String LOG_TOPIC = "$subscriptions";

    private final InternalStateLog stateLog;
    private final Map<String, DurableSubscription> subscriptions = new HashMap<>();

    private DurableSubscriptions(InternalStateLog stateLog) {
        this.stateLog = stateLog;
    }

    static DurableSubscriptions load(LogManager logs) {
        DurableSubscriptions store = new DurableSubscriptions(InternalStateLog.open(logs, LOG_TOPIC));
        store.replay();
        return store;
    }

    private static String id(String clientId, String name) {
        return clientId + '\0' + name;
    }

    private synchronized void replay() {
        Map<String, SubscriptionState> live = new HashMap<>();
        stateLog.replay((key, value) -> {
            String id = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
            if (value == null) {
                live.remove(id);
            } else {
                live.put(id, SubscriptionState.decode(key, value));
            }
        });
        live.values().forEach(state -> subscriptions.put(id(state.clientId(), state.name()),
                new DurableSubscription(state.clientId(), state.name(), state.topic(), state.selector(),
                        state.noLocal(), state.positions(), state.delivered(), this)));
        LOG.info("loaded {} durable subscription(s)", subscriptions.size());
    }

    /**
     * The subscription {@code name} of {@code clientId} for a consumer of {@code topic}: the existing
     * one, or a new one starting at the log end, whose {@link DurableSubscription#created()} completes
     * once its record is durable (nothing here waits for the disk). A subscription whose topic, selector or noLocal
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
        DurableSubscription created = new DurableSubscription(clientId, name, topic.name(), selector, noLocal, unset,
                unset, this);
        subscriptions.put(id, created);
        created.created(save(created, created.initialPositions(topic), created.deliveredMarks()));
        return created;
    }

    /** Whether client {@code clientId} has a durable subscription {@code name}. */
    synchronized boolean exists(String clientId, String name) {
        return subscriptions.containsKey(id(clientId, name));
    }

    /** Removes a subscription, completing once that is durable; refused while a consumer uses it or when it does not exist. */
    synchronized CompletableFuture<Void> unsubscribe(String clientId, String name) {
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
        CompletableFuture<Void> durable = stateLog.append(new InternalStateLog.Entry(SubscriptionState.key(clientId, name),
                null));
        snapshotIfDue();
        return durable;
    }

    /** The subscriptions of {@code topic}, or of every topic when it is null, by client id and name. */
    synchronized List<DurableSubscription> list(String topic) {
        return subscriptions.values().stream().filter(s -> topic == null || s.topic().equals(topic))
                .sorted(Comparator.comparing(DurableSubscription::clientId).thenComparing(DurableSubscription::name))
                .toList();
    }

    /** The subscription {@code name} of {@code clientId}; UNKNOWN_SUBSCRIPTION when there is none. */
    synchronized DurableSubscription find(String clientId, String name) {
        DurableSubscription found = subscriptions.get(id(clientId, name));
        if (found == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_SUBSCRIPTION, "client " + clientId
                    + " has no durable subscription '" + name + "'");
        }
        return found;
    }

    /**
     * Gives every subscription of {@code topic} a position in the partitions it grew to: their start,
     * since everything there is published after the subscriptions were created. Refused with
     * SUBSCRIPTION_IN_USE, changing nothing, while a consumer reads one of them (it would not see the
     * new partitions). Completes once durable.
     */
    synchronized CompletableFuture<Void> partitionsAdded(String topic, int partitions) {
        List<DurableSubscription> ofTopic = list(topic);
        for (DurableSubscription s : ofTopic) {
            if (s.isActive()) {
                throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, "durable subscription '" + s.name()
                        + "' of client " + s.clientId() + " has an active consumer; close it before adding partitions to "
                        + topic);
            }
        }
        List<CompletableFuture<Void>> saved = new ArrayList<>();
        for (DurableSubscription s : ofTopic) {
            long[] old = s.positions();
            if (old.length >= partitions) {
                continue;
            }
            long[] grown = Arrays.copyOf(old, partitions); // new partitions start at offset 0, nothing delivered
            long[] delivered = Arrays.copyOf(s.deliveredMarks(), partitions);
            DurableSubscription replaced = new DurableSubscription(s.clientId(), s.name(), s.topic(), s.selector(),
                    s.noLocal(), grown, delivered, this);
            subscriptions.put(id(s.clientId(), s.name()), replaced);
            saved.add(save(replaced, grown, delivered));
        }
        return CompletableFuture.allOf(saved.toArray(CompletableFuture[]::new));
    }

    /** Stores a subscription's positions and delivered marks; completes once durable. */
    synchronized CompletableFuture<Void> save(DurableSubscription subscription, long[] positions, long[] delivered) {
        CompletableFuture<Void> durable = stateLog.append(entryOf(subscription, positions, delivered));
        snapshotIfDue();
        return durable;
    }

    /** Called with this store's lock held, so no change interleaves with the snapshot. */
    private void snapshotIfDue() {
        if (stateLog.snapshotDue(subscriptions.size())) {
            long start = stateLog.beginSnapshot();
            subscriptions.values().forEach(s -> stateLog.append(entryOf(s, s.positions(), s.deliveredMarks())));
            stateLog.completeSnapshot(start, subscriptions.size());
        }
    }

    private static InternalStateLog.Entry entryOf(DurableSubscription s, long[] positions, long[] delivered) {
        SubscriptionState state = new SubscriptionState(s.clientId(), s.name(), s.topic(), s.selector(), s.noLocal(),
                positions, delivered);
        return new InternalStateLog.Entry(state.key(), state.value());
    }
}
