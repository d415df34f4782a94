package io.strand.broker;

import io.strand.log.LogManager;
import io.strand.log.PartitionLog;
import io.strand.log.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the logs of destinations are made and removed: in this broker's log manager when it runs
 * alone; through the controller in a cluster, so that every replica makes or removes its copy.
 */
interface LogPlacement {
    /** The logs of partitions {@code from} (inclusive) to {@code to} (exclusive) of a log topic, made where missing. */
    List<PartitionLog> create(String logTopic, int from, int to);

    /** Removes every partition of a log topic. */
    void delete(String logTopic, List<PartitionLog> partitions);

    /** Logs in this broker's log manager only. */
    static LogPlacement local(LogManager logs) {
        return new LogPlacement() {
            @Override
            public List<PartitionLog> create(String logTopic, int from, int to) {
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
        };
    }
}
