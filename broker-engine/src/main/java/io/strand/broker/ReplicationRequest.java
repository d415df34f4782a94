package io.strand.broker;

import io.strand.protocol.Destinations;
import io.strand.protocol.ErrorCode;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The replication a destination is created with, from the settings of its create request: a
 * {@value Destinations#REPLICATION_FACTOR} and a {@value Destinations#MIN_INSYNC_REPLICAS}, each absent one taking
 * the cluster's default. Only what holds without knowing the cluster is checked here; the cluster checks the rest
 * against its brokers ({@link ClusterMember}), and a broker alone refuses more than one copy ({@link #requireAlone}).
 */
record ReplicationRequest(OptionalInt replicationFactor, OptionalInt minInsyncReplicas) {
    /** The cluster's defaults for both: what auto-created, JMS-created and temporary destinations get. */
    static final ReplicationRequest DEFAULTS = new ReplicationRequest(OptionalInt.empty(), OptionalInt.empty());

    /**
     * The replication that the settings of a create request ask for.
     *
     * @param destination what is created, for messages ({@code queue orders})
     * @throws BrokerException INVALID_REQUEST naming the setting and its value: an unknown setting, a value that is
     *                         not a whole number or below 1, or a min.insync.replicas above the replication factor
     */
    static ReplicationRequest fromSettings(Map<String, String> settings, Object destination) {
        for (String key : settings.keySet()) {
            if (!key.equals(Destinations.REPLICATION_FACTOR) && !key.equals(Destinations.MIN_INSYNC_REPLICAS)) {
                throw new BrokerException(ErrorCode.INVALID_REQUEST, "unknown setting '" + key + "' for " + destination
                        + ": a destination is created with " + Destinations.REPLICATION_FACTOR + " and "
                        + Destinations.MIN_INSYNC_REPLICAS);
            }
        }
        OptionalInt replicationFactor = atLeastOne(settings, Destinations.REPLICATION_FACTOR, destination);
        OptionalInt minInsync = atLeastOne(settings, Destinations.MIN_INSYNC_REPLICAS, destination);
        if (replicationFactor.isPresent() && minInsync.isPresent()
                && minInsync.getAsInt() > replicationFactor.getAsInt()) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, Destinations.MIN_INSYNC_REPLICAS + "="
                    + minInsync.getAsInt() + " of " + destination + " is more than its " + Destinations.REPLICATION_FACTOR
                    + "=" + replicationFactor.getAsInt() + ": a write cannot wait for more copies than there are");
        }
        return new ReplicationRequest(replicationFactor, minInsync);
    }

    /**
     * A setting that must be a whole number of at least 1, empty when absent.
     *
     * @throws BrokerException INVALID_REQUEST naming the setting and its value
     */
    static OptionalInt atLeastOne(Map<String, String> settings, String key, Object destination) {
        String text = settings.get(key);
        if (text == null) {
            return OptionalInt.empty();
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, key + "='" + text + "' of " + destination
                    + " is not a whole number");
        }
        if (value < 1) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, key + "=" + value + " of " + destination
                    + " must be at least 1");
        }
        return OptionalInt.of(value);
    }

    /**
     * On a broker alone, which keeps one copy of each log: anything but one copy, acknowledged by itself, is refused.
     *
     * @throws BrokerException INVALID_REQUEST naming the setting and its value
     */
    void requireAlone(Object destination) {
        requireOneAlone(Destinations.REPLICATION_FACTOR, replicationFactor, destination);
        requireOneAlone(Destinations.MIN_INSYNC_REPLICAS, minInsyncReplicas, destination);
    }

    /** @throws BrokerException INVALID_REQUEST when a broker alone is asked for more than one copy */
    static void requireOneAlone(String key, OptionalInt value, Object destination) {
        if (value.isPresent() && value.getAsInt() != 1) {
            throw new BrokerException(ErrorCode.INVALID_REQUEST, key + "=" + value.getAsInt() + " of " + destination
                    + " needs a cluster: a broker alone keeps one copy of each log, so 1 is the only value it takes"
                    + " (run brokers with cluster.id for more)");
        }
    }
}
