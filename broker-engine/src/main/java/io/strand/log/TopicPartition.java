package io.strand.log;

import java.util.regex.Pattern;

/**
 * The name of one partition of a topic, which is also its directory name: {@code <topic>-<partition>}.
 * Topic names are restricted to characters that are safe in file names on every platform.
 */
public record TopicPartition(String topic, int partition) {
    /**
     * Topic names: letters, digits, '.', '_', '-', and '$' for internal topics, at most 249 characters,
     * so that a directory name with its partition suffix stays under 255 bytes.
     */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[A-Za-z0-9._$-]{1,249}");

    public TopicPartition {
        validateTopicName(topic);
        if (partition < 0) {
            throw new IllegalArgumentException("partition=" + partition + " of topic " + topic + " is negative");
        }
    }

    public static void validateTopicName(String topic) {
        if (topic == null || !LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("topic name '" + topic + "' is not legal: use 1 to 249 of the characters"
                    + " A-Z a-z 0-9 . _ - $, and not '.' or '..'");
        }
    }

    /** The directory name of this partition. */
    public String dirName() {
        return topic + "-" + partition;
    }

    /** Parses a directory name written by {@link #dirName()}; null when the name is not one. */
    public static TopicPartition fromDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        try {
            int partition = Integer.parseInt(name.substring(dash + 1));
            String topic = name.substring(0, dash);
            if (partition < 0 || !LEGAL_TOPIC.matcher(topic).matches()) {
                return null;
            }
            return new TopicPartition(topic, partition);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return dirName();
    }
}
