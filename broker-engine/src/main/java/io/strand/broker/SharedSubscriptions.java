package io.strand.broker;

import io.strand.log.LogManager;
import io.strand.protocol.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every shared topic subscription of the broker. The definitions of durable ones are kept in the
 * internal log {@code $sharedsubscriptions}, one record per subscription keyed by client id and
 * name, a tombstone when it is unsubscribed:
 *
 * <pre>
 *   int8   format (0)
 *   bool   has client id, then utf client id
 *   utf    name
 *   utf    topic
 *   bool   has selector, then utf selector
 * </pre>
 *
 * Their share-group state lives in {@link ShareGroups} like a queue's, under the name
 * {@link SharedSubscription#groupName}. Non-durable subscriptions live in memory and end when their last consumer
 * closes. When the last one goes with its connection instead (the client, or this broker, lost it), and for the
 * state found at start (left by this broker before it stopped, or by the active broker before a failover), the
 * share-group state is kept for a while ({@code shared.subscription.resume.ms}, two minutes by default) for consumers
 * that resume the subscription after a failover (their open request says so): the first one takes the state up, and
 * the subscription goes on with what was published meanwhile and what its consumers had not acknowledged. A subscription of the same name opened
 * by a consumer that does not resume is a new one and starts at the end, as JMS wants; state nobody resumed is
 * dropped at the first join or listing after that time.
 *
 * <p>Durable and non-durable shared subscriptions share one namespace per client id (or the global
 * one without client id), as JMS 3.1 requires; unshared durable subscriptions are checked against it
 * by the caller. Thread-safe: one lock, this object.
 */
final class SharedSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSubscriptions.class);
    static final String LOG_TOPIC = "$sharedsubscriptions";
    /** Destination names cannot hold '$' or '/', so these prefixes never meet a queue's group name. */
    static final String DURABLE_GROUP_PREFIX = "$sd/";
    static final String NON_DURABLE_GROUP_PREFIX = "$sn/";
    private static final byte FORMAT = 0;

    /** A consumer that joined a subscription, and when it may start: once the subscription's records are durable. */
    record Joined(SharedSubscription subscription, QueueConsumer consumer, CompletableFuture<Void> ready) {
    }

    private final InternalStateLog stateLog;
    private final ShareGroups groups;
    private final Map<String, SharedSubscription> subscriptions = new HashMap<>();
    /** Completes once a new durable subscription's records are durable; absent for loaded ones. */
    private final Map<SharedSubscription, CompletableFuture<Void>> creations = new HashMap<>();
    /** Ended non-durable subscriptions' groups kept for resuming consumers, by group name, until resumed or due. */
    private final Map<String, Kept> keptGroups = new HashMap<>();

    /** How long the state of an ended non-durable subscription waits for a consumer to resume it. */
    private final long keepMs;

    /** A kept group: its partition count, and when it is dropped unless resumed ({@link System#nanoTime}). */
    private record Kept(int partitions, long untilNanos) {
    }

    private SharedSubscriptions(InternalStateLog stateLog, ShareGroups groups, long keepMs) {
        this.stateLog = stateLog;
        this.groups = groups;
        this.keepMs = keepMs;
    }

    /** @param keepMs how long an ended non-durable subscription's state waits for consumers that resume it */
    static SharedSubscriptions load(LogManager logs, ShareGroups groups, long keepMs) {
        SharedSubscriptions store = new SharedSubscriptions(InternalStateLog.open(logs, LOG_TOPIC), groups, keepMs);
        store.replay();
        return store;
    }

    private synchronized void replay() {
        stateLog.replay((key, value) -> {
            String id = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
            if (value == null) {
                subscriptions.remove(id);
            } else {
                subscriptions.put(id, decode(id, value));
            }
        });
        Set<String> liveGroups = new HashSet<>();
        subscriptions.values().forEach(s -> liveGroups.add(s.group()));
        // A durable group without a definition was being unsubscribed when the broker stopped.
        int dropped = groups.removeGroupsIf(group -> group.startsWith(DURABLE_GROUP_PREFIX)
                && !liveGroups.contains(group));
        groups.groupsWhere(group -> group.startsWith(NON_DURABLE_GROUP_PREFIX))
                .forEach(this::keep);
        LOG.info("loaded {} shared durable subscription(s); dropped the state of {} ended one(s); kept the state of {}"
                + " non-durable one(s) for consumers that resume them", subscriptions.size(), dropped, keptGroups.size());
    }

    /** Keeps an ended non-durable subscription's group for consumers that resume it; dropped at once with no wait. */
    private void keep(String group, int partitions) {
        if (keepMs == 0) {
            groups.removeGroup(group);
            return;
        }
        keptGroups.put(group, new Kept(partitions, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(keepMs)));
    }

    /** Drops the state of ended non-durable subscriptions that nobody resumed in time. */
    private void dropKeptGroupsIfDue() {
        if (keptGroups.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Set<String> due = new HashSet<>();
        keptGroups.forEach((group, kept) -> {
            if (now - kept.untilNanos() >= 0) {
                due.add(group);
            }
        });
        if (!due.isEmpty()) {
            keptGroups.keySet().removeAll(due);
            int dropped = groups.removeGroupsIf(due::contains);
            LOG.info("dropped the state of {} non-durable shared subscription(s) no consumer resumed", dropped);
        }
    }

    /**
     * Adds a consumer to the shared subscription {@code name} of {@code clientId} (null: none) on
     * {@code topic}, creating the subscription when it does not exist; a new one starts at the log end.
     * A durable subscription whose topic or selector changed is created anew when no consumer uses it.
     *
     * @param resuming    the consumer resumes, after a failover, the non-durable subscription it had: it takes up the
     *                    state kept from before the start, if there is any
     * @param newConsumer builds the consumer for the subscription's share group
     * @throws BrokerException SUBSCRIPTION_IN_USE when the name is taken by a subscription of the other
     *                         kind, or by one with another topic or selector that has consumers
     */
    synchronized Joined join(String clientId, String name, boolean durable, Destination topic, String selector,
                             boolean resuming, Function<ShareGroupSource, QueueConsumer> newConsumer) {
        dropKeptGroupsIfDue();
        String id = SharedSubscription.id(clientId, name);
        SharedSubscription subscription = subscriptions.get(id);
        if (subscription != null && subscription.isDurable() != durable) {
            throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, subscription + " exists; a "
                    + (durable ? "shared durable" : "shared non-durable") + " subscription cannot have the same name");
        }
        if (subscription != null && !subscription.matches(topic.name(), selector)) {
            if (!subscription.consumers().isEmpty()) {
                throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, subscription + " with selector "
                        + subscription.selector() + " has active consumers; it cannot change to topic " + topic.name()
                        + " with selector " + selector);
            }
            LOG.info("{} changes to topic {} with selector {}: created anew", subscription, topic.name(), selector);
            remove(id, subscription);
            subscription = null;
        }
        if (subscription == null) {
            subscription = create(id, clientId, name, durable, topic, selector, resuming);
        }
        QueueConsumer consumer = newConsumer.apply(subscription.source(topic));
        subscription.consumers().add(consumer);
        CompletableFuture<Void> ready = creations.getOrDefault(subscription, CompletableFuture.completedFuture(null));
        return new Joined(subscription, consumer, ready);
    }

    private SharedSubscription create(String id, String clientId, String name, boolean durable, Destination topic,
                                      String selector, boolean resuming) {
        SharedSubscription created = new SharedSubscription(clientId, name, durable, topic.name(), selector, this);
        Kept kept = keptGroups.remove(created.group());
        if (!durable && resuming && kept != null && kept.partitions() == topic.partitions().size()) {
            LOG.info("{} resumed with the state its consumers left", created);
            subscriptions.put(id, created);
            return created;
        }
        long[] starts = new long[topic.partitions().size()];
        for (int p = 0; p < starts.length; p++) {
            starts[p] = topic.partitions().get(p).highWatermark();
        }
        CompletableFuture<Void> started = groups.start(created.group(), starts);
        subscriptions.put(id, created);
        if (durable) {
            // Its definition first: a restart that finds the group without it drops the group.
            CompletableFuture<Void> defined = stateLog.append(new InternalStateLog.Entry(
                    id.getBytes(StandardCharsets.UTF_8), encode(created)));
            CompletableFuture<Void> ready = CompletableFuture.allOf(defined, started);
            creations.put(created, ready);
            ready.whenComplete((ok, error) -> forgetCreation(created));
        }
        return created;
    }

    private synchronized void forgetCreation(SharedSubscription subscription) {
        creations.remove(subscription);
    }

    /** The shared subscriptions, durable or not, of {@code topic}, or of every topic when it is null. */
    synchronized List<SharedSubscription> list(String topic) {
        dropKeptGroupsIfDue();
        return subscriptions.values().stream().filter(s -> topic == null || s.topic().equals(topic)).toList();
    }

    /** Whether a shared subscription, durable or not, has this client id and name. */
    synchronized boolean exists(String clientId, String name) {
        return subscriptions.containsKey(SharedSubscription.id(clientId, name));
    }

    /**
     * Deletes the shared durable subscription {@code name} of {@code clientId} (null: none), completing
     * once that is durable.
     *
     * @return null when there is no such shared durable subscription
     * @throws BrokerException SUBSCRIPTION_IN_USE while a consumer uses it
     */
    synchronized CompletableFuture<Void> unsubscribe(String clientId, String name) {
        String id = SharedSubscription.id(clientId, name);
        SharedSubscription subscription = subscriptions.get(id);
        if (subscription == null || !subscription.isDurable()) {
            return null;
        }
        if (!subscription.consumers().isEmpty()) {
            throw new BrokerException(ErrorCode.SUBSCRIPTION_IN_USE, subscription + " has "
                    + subscription.consumers().size() + " active consumer(s); close them before unsubscribing");
        }
        return remove(id, subscription);
    }

    synchronized void detach(SharedSubscription subscription, QueueConsumer consumer) {
        subscription.consumers().remove(consumer);
        String id = SharedSubscription.id(subscription.clientId(), subscription.name());
        if (!subscription.isDurable() && subscription.consumers().isEmpty() && subscriptions.get(id) == subscription) {
            if (consumer.channel.isActive()) {
                remove(id, subscription); // closed by its client: the subscription ends
            } else {
                // Gone with its connection: its client may come back after a failover and resume the subscription.
                subscriptions.remove(id);
                keep(subscription.group(), consumer.destination.partitions().size());
            }
        }
    }

    private CompletableFuture<Void> remove(String id, SharedSubscription subscription) {
        subscriptions.remove(id);
        CompletableFuture<Void> removed = CompletableFuture.completedFuture(null);
        if (subscription.isDurable()) {
            removed = stateLog.append(new InternalStateLog.Entry(id.getBytes(StandardCharsets.UTF_8), null));
            if (stateLog.snapshotDue(subscriptions.size())) {
                long start = stateLog.beginSnapshot();
                subscriptions.forEach((key, s) -> {
                    if (s.isDurable()) {
                        stateLog.append(new InternalStateLog.Entry(key.getBytes(StandardCharsets.UTF_8), encode(s)));
                    }
                });
                stateLog.completeSnapshot(start, subscriptions.size());
            }
        }
        groups.removeGroup(subscription.group());
        return removed;
    }

    private static byte[] encode(SharedSubscription s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeBoolean(s.clientId() != null);
            if (s.clientId() != null) {
                out.writeUTF(s.clientId());
            }
            out.writeUTF(s.name());
            out.writeUTF(s.topic());
            out.writeBoolean(s.selector() != null);
            if (s.selector() != null) {
                out.writeUTF(s.selector());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private SharedSubscription decode(String id, ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("shared subscription record " + id.replace('\0', '/')
                        + " has unknown format " + format);
            }
            String clientId = in.readBoolean() ? in.readUTF() : null;
            String name = in.readUTF();
            String topic = in.readUTF();
            String selector = in.readBoolean() ? in.readUTF() : null;
            return new SharedSubscription(clientId, name, true, topic, selector, this);
        } catch (IOException e) {
            throw new IllegalStateException("shared subscription record " + id.replace('\0', '/') + " is truncated", e);
        }
    }
}
