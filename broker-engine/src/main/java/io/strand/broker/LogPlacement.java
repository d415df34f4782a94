package io.strand.broker;

import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import io.strand.protocol.Destinations;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Where the logs of destinations are made and removed, and how many copies of them are kept: in this broker's log
 * manager, one copy, when it runs alone; through the controller in a cluster, so that every replica makes or removes
 * its copy and every broker knows a destination's replication from the replicated metadata.
 */
interface LogPlacement {
    /**
     * The logs of partitions {@code from} (inclusive) to {@code to} (exclusive) of a log topic, made where missing;
     * new logs are replicated as {@code replication} asks.
     *
     * @throws BrokerException when the replication asked for cannot be had, naming the setting and its value
     */
    List<PartitionLog> create(String logTopic, int from, int to, ReplicationRequest replication);

    /** Removes every partition of a log topic. */
    void delete(String logTopic, List<PartitionLog> partitions);

    /** The replication of a log topic's partitions now. */
    DestinationReplication replication(String logTopic);

    /**
     * Sets how many in-sync copies a write to a log topic needs, for good; completes once the change holds here,
     * or fails with a {@link BrokerException} naming the setting and its value.
     */
    CompletableFuture<Void> alterMinInsyncReplicas(String logTopic, int minInsyncReplicas);

    /** What a log topic is, for messages: the destination it holds, or its own name for an internal log. */
    static String describe(String logTopic) {
        Destination.Key key = Destination.keyOfLogTopic(logTopic);
        return key == null ? logTopic : key.toString();
    }

    /** Logs in this broker's log manager only: one copy each. */
    static LogPlacement local(LogManager logs) {
        return new LogPlacement() {
            @Override
            public List<PartitionLog> create(String logTopic, int from, int to, ReplicationRequest replication) {
                replication.requireAlone(describe(logTopic));
                List<PartitionLog> created = new ArrayList<>(to - from);
                for (int p = from; p < to; p++) {
                    created.add(logs.getOrCreateLog(new TopicPartition(logTopic, p)));
                }
                return created;
            }

            @Override
            public void delete(String logTopic, List<PartitionLog> partitions) {
                partitions.forEach(log -> logs.deleteLog(log.topicPartition()));
            }

            @Override
            public DestinationReplication replication(String logTopic) {
                return DestinationReplication.ALONE;
            }

            @Override
            public CompletableFuture<Void> alterMinInsyncReplicas(String logTopic, int minInsyncReplicas) {
                try {
                    ReplicationRequest.requireOneAlone(Destinations.MIN_INSYNC_REPLICAS,
                            OptionalInt.of(minInsyncReplicas), describe(logTopic));
                    return CompletableFuture.completedFuture(null);
                } catch (BrokerException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
    }
}
