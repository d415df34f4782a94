package io.strand.cluster.metadata;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/** Argument checks the records share, so that every record names the bad value the same way. */
final class MetadataChecks {
    /** Longest topic name; it bounds what a malformed record can make a reader allocate. */
    static final int MAX_TOPIC_NAME_LENGTH = 249;

    private MetadataChecks() {
    }

    static void requireBrokerId(int brokerId) {
        if (brokerId < 0) {
            throw new IllegalArgumentException("brokerId=" + brokerId + " is negative");
        }
    }

    static void requireTopicName(String name) {
        Objects.requireNonNull(name, "topic name");
        if (name.isEmpty() || name.length() > MAX_TOPIC_NAME_LENGTH) {
            throw new IllegalArgumentException("topic name '" + name + "' must have 1 to "
                    + MAX_TOPIC_NAME_LENGTH + " characters");
        }
    }

    static List<Integer> distinctBrokerIds(List<Integer> ids, String what) {
        List<Integer> copy = List.copyOf(ids);
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException(what + " " + copy + " name a broker twice");
        }
        copy.forEach(MetadataChecks::requireBrokerId);
        return copy;
    }
}
