package io.strand.cluster.metadata;

import java.util.List;

/**
 * The complete new state of one partition: who leads it, who is in sync, where its replicas are.
 *
 * <p>The record carries the whole state rather than a delta so that a snapshot is just one such
 * record per partition. Its epochs say which decision it is: the leader epoch grows whenever the
 * leader changes (so at most one broker leads in each epoch), and the partition epoch grows with every
 * change (so a leader's ISR request made against an older state is refused).
 *
 * @param topic          the partition's topic
 * @param partition      its index, from 0
 * @param leader         the leading broker, or {@link #NO_LEADER}
 * @param leaderEpoch    the leader epoch, 0 or more
 * @param isr            the in-sync replicas, a subset of {@code replicas} that holds the leader
 * @param replicas       the assigned replicas, the preferred leader first, no duplicates
 * @param partitionEpoch the partition epoch, 0 or more
 * @param targetReplicas the replicas a reassignment in progress moves to, empty when none is
 */
public record PartitionChange(String topic, int partition, int leader, int leaderEpoch, List<Integer> isr,
                              List<Integer> replicas, int partitionEpoch, List<Integer> targetReplicas)
        implements MetadataRecord {
    /** The leader of a partition none of whose in-sync replicas is live. */
    public static final int NO_LEADER = -1;

    public PartitionChange {
        MetadataChecks.requireTopicName(topic);
        String where = topic + "-" + partition;
        if (partition < 0) {
            throw new IllegalArgumentException("partition=" + partition + " of topic " + topic + " is negative");
        }
        if (leaderEpoch < 0 || partitionEpoch < 0) {
            throw new IllegalArgumentException("epochs of " + where + " are negative: leaderEpoch=" + leaderEpoch
                    + ", partitionEpoch=" + partitionEpoch);
        }
        replicas = MetadataChecks.distinctBrokerIds(replicas, "replicas of " + where);
        isr = MetadataChecks.distinctBrokerIds(isr, "isr of " + where);
        targetReplicas = MetadataChecks.distinctBrokerIds(targetReplicas, "target replicas of " + where);
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException(where + " has no replica");
        }
        if (!replicas.containsAll(isr)) {
            throw new IllegalArgumentException("isr " + isr + " of " + where + " is not within replicas " + replicas);
        }
        if (leader != NO_LEADER && !isr.contains(leader)) {
            throw new IllegalArgumentException("leader " + leader + " of " + where + " is not in its isr " + isr);
        }
        if (leader < NO_LEADER) {
            throw new IllegalArgumentException("leader=" + leader + " of " + where + " is not a broker id");
        }
    }

    /** Whether a broker leads this partition. */
    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    /** Whether a reassignment of this partition's replicas is in progress. */
    public boolean isReassigning() {
        return !targetReplicas.isEmpty();
    }
}
