package io.strand.broker;

import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The destinations of a broker and their partition logs. Rebuilt at start from the partitions the
 * log manager loaded; created on first use when auto-creation is on (else an unknown destination is
 * an error the client turns into InvalidDestinationException). Thread-safe.
 */
public final class DestinationRegistry {
    private static final Pattern LEGAL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final LogManager logs;
    private final LogPlacement placement;
    private final boolean autoCreate;
    private final int defaultPartitions;
    private final Map<Destination.Key, Destination> destinations = new ConcurrentHashMap<>();
    private final DestinationSettings settings;
    /**
     * The names of temporary destinations start with it. They are created only as temporary
     * destinations, never on first use, and die with their connection, so a deleted one cannot come
     * back as an ordinary destination when a late message is sent to it.
     */
    public static final String TEMPORARY_PREFIX = "_tmp.";

    public DestinationRegistry(LogManager logs, boolean autoCreate, int defaultPartitions) {
        this(logs, LogPlacement.local(logs), autoCreate, defaultPartitions);
    }

    DestinationRegistry(LogManager logs, LogPlacement placement, boolean autoCreate, int defaultPartitions) {
        this.logs = logs;
        this.placement = placement;
        this.autoCreate = autoCreate;
        this.defaultPartitions = defaultPartitions;
        this.settings = DestinationSettings.load(logs);
        loadExisting();
    }

    private void loadExisting() {
        Map<Destination.Key, TreeMap<Integer, PartitionLog>> found = new HashMap<>();
        for (PartitionLog log : List.copyOf(logs.logs())) {
            Destination.Key key = Destination.keyOfLogTopic(log.topicPartition().topic());
            if (key != null && isTemporary(key.name())) {
                // its connection ended with the broker's last run (or, in a cluster, with the last active broker)
                placement.delete(log.topicPartition().topic(), List.of(log));
            } else if (key != null) {
                found.computeIfAbsent(key, k -> new TreeMap<>()).put(log.topicPartition().partition(), log);
            }
        }
        found.forEach((key, partitions) -> {
            List<PartitionLog> ordered = new ArrayList<>(partitions.values());
            // A partition missing from the middle (deleted by hand) is recreated empty rather than shifting the others.
            for (int p = 0; p <= partitions.lastKey(); p++) {
                if (!partitions.containsKey(p)) {
                    ordered.add(p, logs.getOrCreateLog(new TopicPartition(Destination.logTopic(key.type(), key.name()), p)));
                }
            }
            String logTopic = Destination.logTopic(key.type(), key.name());
            ordered.forEach(log -> settings.applyTo(logTopic, log));
            destinations.put(key, new Destination(key.type(), key.name(), List.copyOf(ordered)));
        });
    }

    /** Checks a destination name the way the client does; a bad one is INVALID_DESTINATION. */
    public static void validateName(String name) {
        if (name == null || !LEGAL_NAME.matcher(name).matches()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "destination name '" + name
                    + "' is not valid: use 1 to 200 of A-Z a-z 0-9 . _ -");
        }
    }

    /** Whether {@code name} is a temporary destination's. */
    public static boolean isTemporary(String name) {
        return name.startsWith(TEMPORARY_PREFIX);
    }

    /** The destination, created with the default partition count when missing and {@code create} and auto-creation allow it. */
    public Destination lookup(DestinationType type, String name, boolean create) {
        // Every send looks its destination up: a known one had its name checked when it was created.
        Destination existing = name == null ? null : destinations.get(new Destination.Key(type, name));
        if (existing != null) {
            return existing;
        }
        validateName(name);
        if (isTemporary(name)) {
            throw new BrokerException(ErrorCode.UNKNOWN_DESTINATION, "temporary " + type.name().toLowerCase() + " "
                    + name + " does not exist (any more): it is deleted with the connection that created it");
        }
        if (!create || !autoCreate) {
            throw new BrokerException(ErrorCode.UNKNOWN_DESTINATION, type.name().toLowerCase() + " " + name
                    + " does not exist" + (autoCreate ? "" : " and auto-creation of destinations is off"));
        }
        return createIfAbsent(type, name, defaultPartitions, ReplicationRequest.DEFAULTS);
    }

    /**
     * The destination, created with the default partition count when missing, whatever auto-creation
     * says: for destinations the broker itself feeds, such as dead-letter queues.
     */
    public Destination ensure(DestinationType type, String name) {
        validateName(name);
        refuseTemporaryName(name);
        return createIfAbsent(type, name, defaultPartitions, ReplicationRequest.DEFAULTS);
    }

    /**
     * Creates a destination with the cluster's replication; DESTINATION_EXISTS if it is there already.
     * {@code partitions} 0 means the default.
     */
    public Destination create(DestinationType type, String name, int partitions) {
        return create(type, name, partitions, ReplicationRequest.DEFAULTS);
    }

    /**
     * Creates a destination replicated as {@code replication} asks; DESTINATION_EXISTS if it is there already.
     * {@code partitions} 0 means the default.
     */
    Destination create(DestinationType type, String name, int partitions, ReplicationRequest replication) {
        validateName(name);
        refuseTemporaryName(name);
        if (partitions < 0 || partitions > 10_000) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, "partitions=" + partitions + " must be 0 (default) to 10000");
        }
        if (destinations.containsKey(new Destination.Key(type, name))) {
            throw new BrokerException(ErrorCode.DESTINATION_EXISTS, type.name().toLowerCase() + " " + name
                    + " exists already");
        }
        return createIfAbsent(type, name, partitions == 0 ? defaultPartitions : partitions, replication);
    }

    /** Creates a temporary destination of one partition; its name must start with {@link #TEMPORARY_PREFIX}. */
    public Destination createTemporary(DestinationType type, String name) {
        validateName(name);
        if (!isTemporary(name)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "a temporary destination's name must start with "
                    + TEMPORARY_PREFIX + ": " + name);
        }
        if (destinations.containsKey(new Destination.Key(type, name))) {
            throw new BrokerException(ErrorCode.DESTINATION_EXISTS, "temporary " + type.name().toLowerCase() + " "
                    + name + " exists already");
        }
        return createIfAbsent(type, name, 1, ReplicationRequest.DEFAULTS);
    }

    private static void refuseTemporaryName(String name) {
        if (isTemporary(name)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "names starting with " + TEMPORARY_PREFIX
                    + " are kept for temporary destinations: " + name);
        }
    }

    private Destination createIfAbsent(DestinationType type, String name, int partitions,
                                       ReplicationRequest replication) {
        return destinations.computeIfAbsent(new Destination.Key(type, name), key -> new Destination(type, name,
                List.copyOf(placement.create(Destination.logTopic(type, name), 0, partitions, replication))));
    }

    /** Deletes a destination and its logs; UNKNOWN_DESTINATION if there is none. */
    public Destination delete(DestinationType type, String name) {
        validateName(name);
        Destination removed = destinations.remove(new Destination.Key(type, name));
        if (removed == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_DESTINATION, type.name().toLowerCase() + " " + name
                    + " does not exist");
        }
        placement.delete(Destination.logTopic(type, name), removed.partitions());
        settings.forget(Destination.logTopic(type, name));
        return removed;
    }

    /**
     * Grows a destination to {@code partitions} partitions, the new ones with the destination's
     * retention. Consumers open now keep reading the partitions they had; consumers and producers
     * that look the destination up afterwards see all of them.
     */
    public Destination addPartitions(DestinationType type, String name, int partitions) {
        Destination.Key key = new Destination.Key(type, name);
        Destination grown = destinations.computeIfPresent(key, (k, current) -> {
            if (partitions <= current.partitions().size() || partitions > 10_000) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, k + " has " + current.partitions().size()
                        + " partition(s); it can only grow, to at most 10000, not to " + partitions);
            }
            String logTopic = Destination.logTopic(type, name);
            List<PartitionLog> all = new ArrayList<>(current.partitions());
            for (PartitionLog log : placement.create(logTopic, all.size(), partitions, ReplicationRequest.DEFAULTS)) {
                settings.applyTo(logTopic, log);
                all.add(log);
            }
            return new Destination(type, name, List.copyOf(all));
        });
        if (grown == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_DESTINATION, key + " does not exist");
        }
        return grown;
    }

    /** Sets a destination's retention on all its partitions and keeps it across restarts; completes once durable. */
    public CompletableFuture<Void> setRetention(Destination destination, long retentionMs, long retentionBytes) {
        DestinationSettings.Retention retention = new DestinationSettings.Retention(retentionMs, retentionBytes);
        for (PartitionLog log : destination.partitions()) {
            retention.applyTo(log.config()); // validates before anything changes
        }
        String logTopic = Destination.logTopic(destination.type(), destination.name());
        CompletableFuture<Void> stored = settings.store(logTopic, retention);
        destination.partitions().forEach(log -> settings.applyTo(logTopic, log));
        return stored;
    }

    /** How many copies of a destination's partitions are kept, and how many in-sync ones a write needs. */
    DestinationReplication replication(Destination destination) {
        return placement.replication(Destination.logTopic(destination.type(), destination.name()));
    }

    /**
     * Sets how many in-sync copies a write to the destination needs; in a cluster it is kept in the replicated
     * metadata, so it holds on whichever broker serves the destination. Completes once it holds here.
     */
    CompletableFuture<Void> setMinInsyncReplicas(Destination destination, int minInsyncReplicas) {
        return placement.alterMinInsyncReplicas(Destination.logTopic(destination.type(), destination.name()),
                minInsyncReplicas);
    }

    public List<Destination> list() {
        List<Destination> all = new ArrayList<>(destinations.values());
        all.sort(Comparator.comparing(Destination::name).thenComparing(Destination::type));
        return all;
    }
}
