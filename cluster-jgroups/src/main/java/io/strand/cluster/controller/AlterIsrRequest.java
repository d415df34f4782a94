package io.strand.cluster.controller;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partition leader asks to shrink its ISR (a follower fell behind) or expand it (a follower caught up).
 * The request names the epochs it was made in, so a request from a deposed leader or one made against an
 * older state is refused rather than applied.
 *
 * @param brokerId       the requesting leader
 * @param topic          the partition's topic
 * @param partition      its index
 * @param leaderEpoch    the leader epoch the requester leads in
 * @param partitionEpoch the partition epoch the request was made against
 * @param newIsr         the ISR the leader wants
 * @param incarnations   for followers the request adds, the run (incarnation) of each that reported being in
 *                       sync: the controller refuses to add a broker that has registered again since, as it
 *                       may have restarted with less, or with an empty disk
 */
public record AlterIsrRequest(int brokerId, String topic, int partition, int leaderEpoch, int partitionEpoch,
                              List<Integer> newIsr, Map<Integer, Long> incarnations) {
    public AlterIsrRequest {
        Objects.requireNonNull(topic, "topic");
        newIsr = List.copyOf(newIsr);
        incarnations = Map.copyOf(incarnations);
    }

    /** A request that names no incarnations: the controller cannot tell a restarted follower from the one that caught up. */
    public AlterIsrRequest(int brokerId, String topic, int partition, int leaderEpoch, int partitionEpoch,
                           List<Integer> newIsr) {
        this(brokerId, topic, partition, leaderEpoch, partitionEpoch, newIsr, Map.of());
    }
}
