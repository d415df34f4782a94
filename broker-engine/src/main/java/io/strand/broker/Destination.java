package io.strand.broker;

import io.strand.log.PartitionLog;
import io.strand.protocol.DestinationType;
import io.strand.protocol.ErrorCode;
import java.util.List;

/**
 * A queue or topic: a name and its partition logs. The log topic of a destination is its name
 * behind a type prefix ({@code q$} or {@code t$}); '$' never occurs in destination names, so a queue
 * and a topic of the same name never share a log, and internal logs can never be shadowed.
 */
public record Destination(DestinationType type, String name, List<PartitionLog> partitions) {

    public static String logTopic(DestinationType type, String name) {
        return (type == DestinationType.QUEUE ? "q$" : "t$") + name;
    }

    /** The destination named by a log topic, or null when the log is not a destination's (an internal log). */
    public static Key keyOfLogTopic(String logTopic) {
        if (logTopic.startsWith("q$")) {
            return new Key(DestinationType.QUEUE, logTopic.substring(2));
        }
        if (logTopic.startsWith("t$")) {
            return new Key(DestinationType.TOPIC, logTopic.substring(2));
        }
        return null;
    }

    public PartitionLog partition(int partition) {
        if (partition < 0 || partition >= partitions.size()) {
            throw new BrokerException(ErrorCode.UNKNOWN_PARTITION, type.name().toLowerCase() + " " + name + " has "
                    + partitions.size() + " partition(s); there is no partition " + partition);
        }
        return partitions.get(partition);
    }

    /** A destination's identity. */
    public record Key(DestinationType type, String name) {
        @Override
        public String toString() {
            return type.name().toLowerCase() + " " + name;
        }
    }

    public Key key() {
        return new Key(type, name);
    }
}
